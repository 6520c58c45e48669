import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { firstSupplyWarning, sameDayWarning, supplyWhileSmokingWarning } from './appointment-warnings.ts';

const codes = (w: { code: string }[]) => w.map((x) => x.code);

test('a session on the same day as another of the episode is warned about; itself and other days are not', () => {
  const others = [
    { id: 'a', day: '2026-12-07' },
    { id: 'b', day: '2026-12-14' },
  ];
  assert.deepEqual(codes(sameDayWarning(null, '2026-12-14', others)), ['same-day']);
  assert.deepEqual(codes(sameDayWarning('b', '2026-12-14', others)), []);
  assert.deepEqual(codes(sameDayWarning(null, '2026-12-15', others)), []);
});

test('a first supply of more than 14 days is warned about; 14 days, later supplies and unknown lengths are not', () => {
  assert.deepEqual(codes(firstSupplyWarning(true, 15)), ['long-first-supply']);
  assert.deepEqual(codes(firstSupplyWarning(true, 14)), []);
  assert.deepEqual(codes(firstSupplyWarning(false, 28)), []);
  assert.deepEqual(codes(firstSupplyWarning(true, null)), []);
});

test('a supply at a session with smoking reported or CO at 10 ppm or more is warned about', () => {
  assert.deepEqual(codes(supplyWhileSmokingWarning({ supplied: true, smokedSinceLast: true, coPpm: 3 })), [
    'supply-while-smoking',
  ]);
  assert.deepEqual(codes(supplyWhileSmokingWarning({ supplied: true, smokedSinceLast: false, coPpm: 10 })), [
    'supply-while-smoking',
  ]);
  assert.deepEqual(
    codes(supplyWhileSmokingWarning({ supplied: true, smokedSinceLast: false, coPpm: 9 })),
    [],
  );
  assert.deepEqual(
    codes(supplyWhileSmokingWarning({ supplied: false, smokedSinceLast: true, coPpm: 40 })),
    [],
  );
});

test('the supply warning appears exactly when something was supplied and the person smoked or read 10+ ppm', () => {
  fc.assert(
    fc.property(
      fc.boolean(),
      fc.option(fc.boolean(), { nil: null }),
      fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
      (supplied, smokedSinceLast, coPpm) => {
        const warned = supplyWhileSmokingWarning({ supplied, smokedSinceLast, coPpm }).length === 1;
        assert.equal(warned, supplied && (smokedSinceLast === true || (coPpm ?? 0) >= 10));
      },
    ),
  );
});
