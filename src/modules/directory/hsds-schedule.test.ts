import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { byday, serviceSchedules } from './hsds-schedule.ts';

const SERVICE = '3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b';

describe('byday', () => {
  test('days 1 (Monday) to 7 (Sunday) as RFC 5545 codes, in week order, each once', () => {
    assert.equal(byday([1, 2, 3, 4, 5]), 'MO,TU,WE,TH,FR');
    assert.equal(byday([7, 6, 6, 1]), 'MO,SA,SU');
    assert.equal(byday([]), '');
  });

  test('any set of days gives one code per distinct day, and nothing else', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 7 })), (days) => {
        const codes = byday(days) === '' ? [] : byday(days).split(',');
        assert.equal(codes.length, new Set(days).size);
        assert.ok(codes.every((c) => /^(MO|TU|WE|TH|FR|SA|SU)$/.test(c)));
      }),
    );
  });
});

describe('serviceSchedules', () => {
  test('Monday to Friday until the manager sets opening days; their words about the hours kept', () => {
    const [s] = serviceSchedules(SERVICE, null, '9am to 5pm');
    assert.deepEqual(
      { ...s, id: undefined },
      {
        id: undefined,
        service_id: SERVICE,
        freq: 'WEEKLY',
        wkst: 'MO',
        byday: 'MO,TU,WE,TH,FR',
        description: '9am to 5pm',
      },
    );
    assert.equal(serviceSchedules(SERVICE, [6, 7], null)[0]?.byday, 'SA,SU');
    assert.deepEqual(serviceSchedules(SERVICE, [], 'Closed'), []);
  });
});
