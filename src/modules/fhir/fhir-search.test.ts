import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_COUNT, parseDateParam, parseSearch } from './fhir-search.ts';
import { taskChangeOf } from './fhir-task-change.ts';

const iso = (d: Date | undefined) => d?.toISOString();

test('a date without a time is a day in England, in summer time too', () => {
  const winter = parseDateParam('2026-01-15')!;
  assert.deepEqual(
    [iso(winter.from), iso(winter.before)],
    ['2026-01-15T00:00:00.000Z', '2026-01-16T00:00:00.000Z'],
  );
  const summer = parseDateParam('2026-06-15')!;
  assert.deepEqual(
    [iso(summer.from), iso(summer.before)],
    ['2026-06-14T23:00:00.000Z', '2026-06-15T23:00:00.000Z'],
  );
  // The clocks go forward on 29 March 2026: that day in England is 23 hours long.
  const short = parseDateParam('2026-03-29')!;
  assert.equal(short.before!.getTime() - short.from!.getTime(), 23 * 3_600_000);
});

test('prefixes, months, years and instants', () => {
  assert.deepEqual(parseDateParam('ge2026-04'), { from: new Date('2026-03-31T23:00:00Z') });
  assert.deepEqual(parseDateParam('lt2026'), { before: new Date('2026-01-01T00:00:00Z') });
  assert.deepEqual(parseDateParam('gt2026-04-10T09:00:00Z'), { from: new Date('2026-04-10T09:00:01Z') });
  assert.deepEqual(parseDateParam('le2026-04-10T09:00Z'), { before: new Date('2026-04-10T09:01:00Z') });
  for (const bad of ['2026-02-30', 'tomorrow', 'ne2026-01-01', '2026-04-10T09:00:00', '', 'ge'])
    assert.equal(parseDateParam(bad), null, bad);
});

test('every day is split exactly: lt a day and ge the same day never overlap and leave no gap', () => {
  fc.assert(
    fc.property(
      fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
      (d) => {
        const day = d.toISOString().slice(0, 10);
        assert.deepEqual(parseDateParam(`lt${day}`)!.before, parseDateParam(`ge${day}`)!.from);
        assert.deepEqual(parseDateParam(`le${day}`)!.before, parseDateParam(`gt${day}`)!.from);
      },
    ),
  );
});

test('searches are strict: unknown parameters, codes and counts are refused, repeated dates all hold', () => {
  const spec = { tokens: { status: ['received', 'accepted'] }, dates: ['authored'] };
  const wrong = parseSearch(
    { colour: 'blue', status: 'lost', _count: String(MAX_COUNT + 1), authored: 'soon' },
    spec,
  );
  assert.ok('errors' in wrong);
  assert.deepEqual(wrong.errors.map((e) => e.path).sort(), ['_count', 'authored', 'colour', 'status']);
  const both = parseSearch(
    { authored: ['ge2026-04-01', 'lt2026-05-01'], status: 'received,accepted', _count: '10' },
    spec,
  );
  assert.ok(!('errors' in both));
  assert.deepEqual(both.dates.authored, {
    from: new Date('2026-03-31T23:00:00Z'),
    before: new Date('2026-04-30T23:00:00Z'),
  });
  assert.deepEqual(both.tokens.status, ['received', 'accepted']);
  assert.equal(both.page.count, 10);
});

test('a Task change: only status and its reason, by PUT or JSON Patch', () => {
  const current = { resourceType: 'Task', id: 't1', status: 'received' };
  assert.deepEqual(
    taskChangeOf(
      'patch',
      [
        { op: 'replace', path: '/status', value: 'cancelled' },
        { op: 'add', path: '/statusReason/text', value: 'Wrong person' },
      ],
      current,
    ),
    { status: 'cancelled', reason: 'Wrong person' },
  );
  assert.deepEqual(
    taskChangeOf('put', { ...current, status: 'cancelled', statusReason: { text: 'x' } }, current),
    {
      status: 'cancelled',
      reason: 'x',
    },
  );
  assert.ok('errors' in taskChangeOf('patch', [{ op: 'replace', path: '/owner', value: {} }], current));
  assert.ok('errors' in taskChangeOf('put', { ...current, id: 'other' }, current));
  assert.ok('errors' in taskChangeOf('patch', { op: 'replace' }, current));
  assert.ok('errors' in taskChangeOf('put', { ...current, status: 'lost' }, current));
});
