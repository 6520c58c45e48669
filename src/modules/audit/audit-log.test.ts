import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  actorLabel,
  AUDIT_CSV_HEADERS,
  auditCsv,
  describeAuditSearch,
  londonDateTime,
  readAuditFilter,
  recordLabel,
  type AuditRow,
} from './audit-log.ts';

const row = (over: Partial<AuditRow> = {}): AuditRow => ({
  id: 1,
  at: new Date('2025-06-01T08:30:00Z'),
  action: 'view',
  entity_type: 'referral',
  entity_id: 'r1',
  detail: null,
  request_id: 'abc',
  actor_name: 'Adam Clarke',
  actor_email: 'adviser@demo.test',
  api_key_name: null,
  actor_organisation_name: 'Leeds Stop Smoking Service',
  reference: 'MOR-000001',
  ...over,
});

describe('readAuditFilter', () => {
  test('an empty form is no filter at all', () => {
    const r = readAuditFilter({});
    assert.equal(r.errors, undefined);
    assert.deepEqual(r.filter, { record: '', user: '' });
  });

  test('reads the person, user, dates (as ISO dates) and action', () => {
    const r = readAuditFilter({
      record: ' MOR-000001 ',
      user: 'adam',
      'from-day': '1',
      'from-month': '4',
      'from-year': '2025',
      'to-day': '30',
      'to-month': '4',
      'to-year': '2025',
      action: 'update',
    });
    assert.equal(r.errors, undefined);
    assert.deepEqual(r.filter, {
      record: 'MOR-000001',
      user: 'adam',
      from: '2025-04-01',
      to: '2025-04-30',
      action: 'update',
    });
  });

  test('bad dates, a range backwards, an unknown action and long text are each named, linked to their field', () => {
    const r = readAuditFilter({
      record: 'x'.repeat(101),
      'from-day': '31',
      'from-month': '2',
      'from-year': '2025',
      action: 'delete',
    });
    assert.deepEqual(
      r.errors?.list.map((e) => [e.href, e.text]),
      [
        ['#record', 'Person or record must be 100 characters or fewer'],
        ['#from-day', 'Date from must be a real date'],
        ['#action', 'Select an action from the list'],
      ],
    );
    assert.equal(r.values['from-day'], '31', 'what was typed is kept');
    const backwards = readAuditFilter({
      'from-day': '2',
      'from-month': '4',
      'from-year': '2025',
      'to-day': '1',
      'to-month': '4',
      'to-year': '2025',
    });
    assert.deepEqual(backwards.errors?.list, [
      { text: 'Date to must be the same as or after date from', href: '#to-day' },
    ]);
  });
});

describe('describeAuditSearch', () => {
  test('says which filters were used and never what was typed to find a person or user', () => {
    const expected = 'searched by person or record, by user, from 2025-04-01, action view, page 2';
    fc.assert(
      fc.property(fc.string({ minLength: 3, maxLength: 50 }), fc.string({ minLength: 3 }), (record, user) => {
        // Text that happens to be part of the fixed words ("ser" in "user") proves nothing either way.
        fc.pre(/[a-z]{3}/i.test(record) && /[a-z]{3}/i.test(user));
        fc.pre(!expected.includes(record) && !expected.includes(user));
        const d = describeAuditSearch({ record, user, from: '2025-04-01', action: 'view' }, 2);
        assert.equal(d, expected);
        assert.ok(!d.includes(record) && !d.includes(user));
      }),
    );
    assert.equal(describeAuditSearch({ record: '', user: '' }, 'all'), 'everything, all rows');
  });
});

describe('names of things', () => {
  test('who: a person, an API key, or nobody signed in', () => {
    assert.equal(actorLabel(row()), 'Adam Clarke');
    assert.equal(actorLabel(row({ actor_name: null, api_key_name: 'GP system' })), 'API key: GP system');
    assert.equal(actorLabel(row({ actor_name: null })), 'Nobody signed in');
  });

  test('records: known kinds in words, others from their code', () => {
    assert.equal(recordLabel('mood_measure'), 'Mood questionnaire');
    assert.equal(recordLabel('need_parameters'), 'Need parameters');
  });

  test('times in England’s time, across the clock change', () => {
    assert.equal(londonDateTime(new Date('2025-03-30T00:59:59Z')), '2025-03-30 00:59:59');
    assert.equal(londonDateTime(new Date('2025-03-30T01:00:00Z')), '2025-03-30 02:00:00');
    assert.equal(londonDateTime(new Date('2025-06-01T23:30:00Z')), '2025-06-02 00:30:00');
  });
});

describe('auditCsv', () => {
  test('a header and one line per row', () => {
    const csv = auditCsv([row(), row({ id: 2, action: 'update', detail: 'accepted' })]);
    const lines = csv.trimEnd().split('\r\n');
    assert.equal(lines[0], AUDIT_CSV_HEADERS.join(','));
    assert.equal(
      lines[1],
      '2025-06-01 09:30:00,Adam Clarke,adviser@demo.test,Leeds Stop Smoking Service,Viewed,Referral,MOR-000001,r1,,abc',
    );
    assert.match(lines[2]!, /,Changed,Referral,MOR-000001,r1,accepted,abc$/);
  });

  test('a cell beginning with = + - or @ is made plain text with an apostrophe', () => {
    for (const danger of ['=HYPERLINK("http://x")', '+SUM(1,2)', '-2+3', '@cmd']) {
      const csv = auditCsv([row({ actor_name: danger, detail: danger })]);
      const line = csv.split('\r\n')[1]!;
      assert.ok(!/(^|,)"?[=+\-@]/.test(line), `${danger}: ${line}`);
      assert.ok(line.includes(`'${danger.replaceAll('"', '""')}`), line);
    }
  });

  test('no cell of any row begins with a formula character, whatever it holds', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (name, detail, email) => {
        const csv = auditCsv([row({ actor_name: name || 'x', detail, actor_email: email })]);
        // Split the data line into cells the way a spreadsheet would.
        const cells: string[] = [];
        const line = csv.slice(csv.indexOf('\r\n') + 2);
        let i = 0;
        while (i < line.length) {
          if (line[i] === '"') {
            let j = i + 1;
            let v = '';
            for (; j < line.length; j++) {
              if (line[j] === '"' && line[j + 1] === '"') {
                v += '"';
                j++;
              } else if (line[j] === '"') break;
              else v += line[j];
            }
            cells.push(v);
            i = j + 2;
          } else {
            const j = line.indexOf(',', i);
            const end = j < 0 ? line.length : j;
            cells.push(line.slice(i, end).replace(/\r\n$/, ''));
            i = end + 1;
          }
        }
        for (const c of cells) assert.ok(!/^[=+\-@]/.test(c), JSON.stringify(c));
      }),
    );
  });
});
