import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { needInputs } from './need-data.ts';
import {
  DEFAULT_PARAMETERS,
  NATIONAL_GOAL,
  estimateNeed,
  validateParameters,
  type ApsPoint,
  type NeedInputs,
} from './need.ts';

const close = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) < 1e-6, `${what}: ${actual} ≠ ${expected}`);

describe('the need estimate on the shipped reference data', () => {
  const e = estimateNeed(needInputs());
  const byCode = (code: string) => e.authorities.find((a) => a.code === code)!;

  test('Leeds, by hand: 655,280 adults × 1/6 × 12.8% (APS 2024) × 1.7 = 23,764.82', () => {
    const leeds = byCode('E08000035');
    assert.equal(leeds.pop18, 655_280);
    assert.equal(leeds.prevalencePct, 12.8);
    assert.deepEqual(leeds.years, [2024]);
    assert.equal(leeds.districts[0]!.basis, 'latest');
    close(leeds.computed, (655_280 / 6) * 0.128 * 1.7, 'Leeds');
    close(leeds.computed, 23_764.821333, 'Leeds, written out');
    close(leeds.computedLow, (655_280 / 6) * 0.128 * 1.6, 'Leeds at 1.6');
    close(leeds.computedHigh, (655_280 / 6) * 0.128 * 1.8, 'Leeds at 1.8');
    assert.equal(leeds.figure, leeds.computed);
    assert.equal(leeds.local, null);
  });

  test('every one of the 153 authorities has a figure; England is in a sensible range below the 1.5 million for Britain', () => {
    assert.equal(e.authorities.length, 153);
    for (const a of e.authorities) {
      assert.ok(Number.isFinite(a.computed) && a.computed > 0, a.name);
      assert.ok(a.prevalencePct > 1 && a.prevalencePct < 30, `${a.name} ${a.prevalencePct}`);
    }
    assert.equal(e.latestYear, 2024);
    assert.equal(e.englandPrevalencePct, 10.4);
    // About 45.7 million adults × 1/6 × about 10.4% × 1.7 is about 1.35 million; Britain's 1.5 million includes Scotland and Wales.
    assert.ok(e.england.pop18 > 45_000_000 && e.england.pop18 < 46_500_000, String(e.england.pop18));
    assert.ok(e.england.computed > 1_200_000 && e.england.computed < 1_500_000, String(e.england.computed));
    assert.ok(e.england.computedLow < e.england.computed && e.england.computed < e.england.computedHigh);
    assert.equal(e.england.goal, NATIONAL_GOAL);
    close(e.england.shareOfGoal, e.england.figure / 1_500_000, 'share of goal');
    assert.match(e.england.goalNote, /Britain/);
    assert.match(e.england.goalNote, /England only/);
  });

  test('an authority of several districts is weighted by their adults (Surrey, with Epsom and Ewell from 2023)', () => {
    const surrey = byCode('E10000030');
    assert.ok(surrey.districts.length > 1);
    const weighted =
      surrey.districts.reduce((s, d) => s + d.pct * d.pop18, 0) /
      surrey.districts.reduce((s, d) => s + d.pop18, 0);
    close(surrey.prevalencePct, weighted, 'Surrey');
    const epsom = surrey.districts.find((d) => d.name === 'Epsom and Ewell')!;
    assert.equal(epsom.basis, 'earlier_year');
    assert.equal(epsom.year, 2023);
    assert.equal(epsom.pct, 5.4);
    assert.deepEqual(surrey.years, [2024, 2023]);
  });

  test('fallbacks in the real data: Isles of Scilly and City of London take England’s; Cumbria and North Yorkshire their former districts; Barnsley its 2023 code', () => {
    for (const code of ['E06000053', 'E09000001']) {
      const a = byCode(code);
      assert.equal(a.districts[0]!.basis, 'england', a.name);
      assert.equal(a.prevalencePct, 10.4);
    }
    const cumberland = byCode('E06000063');
    assert.equal(cumberland.districts[0]!.basis, 'former_districts');
    close(cumberland.prevalencePct, (13.3 + 13.8 + 13.4) / 3, 'Cumberland');
    const ny = byCode('E06000065');
    assert.equal(
      ny.districts[0]!.basis,
      'former_districts',
      'the former districts’ 2024 beats the code’s own 2019',
    );
    assert.equal(ny.districts[0]!.year, 2024);
    close(ny.prevalencePct, (6 + 11.6 + 8.1 + 16.1 + 8.3 + 13 + 2.9) / 7, 'North Yorkshire');
    const barnsley = byCode('E08000038');
    assert.equal(barnsley.prevalencePct, 12.5);
    assert.equal(barnsley.districts[0]!.basis, 'latest');
  });
});

// A small made-up country, to test each rule on its own.
function tiny(aps: Record<string, ApsPoint[]>, predecessors: Record<string, string[]> = {}): NeedInputs {
  return {
    englandCode: 'E92000001',
    aps: new Map(
      Object.entries({
        E92000001: [
          { year: 2023, pct: 11 },
          { year: 2024, pct: 10 },
        ],
        ...aps,
      }),
    ),
    predecessors,
    authorities: [
      {
        code: 'U1',
        name: 'Shire',
        regionName: 'Somewhere',
        pop18: 3000,
        districts: [
          { code: 'D1', code23: 'D1', name: 'One', pop18: 1000 },
          { code: 'D2', code23: 'OLD2', name: 'Two', pop18: 2000 },
        ],
      },
    ],
  };
}

describe('fallbacks', () => {
  test('latest year, an earlier year when the latest is missing, the 2023 code, weighted by adults', () => {
    const e = estimateNeed(
      tiny({
        D1: [
          { year: 2023, pct: 20 },
          { year: 2024, pct: null },
        ],
        OLD2: [{ year: 2024, pct: 5 }],
      }),
    );
    const [one, two] = e.authorities[0]!.districts;
    assert.deepEqual([one!.basis, one!.year, one!.pct], ['earlier_year', 2023, 20]);
    assert.deepEqual([two!.basis, two!.year, two!.pct], ['latest', 2024, 5]);
    close(e.authorities[0]!.prevalencePct, (20 * 1000 + 5 * 2000) / 3000, 'weighted');
    close(e.authorities[0]!.computed, (3000 / 6) * 0.1 * 1.7, 'computed');
  });

  test('no value at all: England’s in the latest year', () => {
    const e = estimateNeed(tiny({ OLD2: [{ year: 2024, pct: 5 }] }));
    const one = e.authorities[0]!.districts[0]!;
    assert.deepEqual([one.basis, one.year, one.pct], ['england', 2024, 10]);
    assert.match(one.basisText, /England/);
  });

  test('former districts: used when newer than the district’s own code, as their plain mean; otherwise the own code', () => {
    const newer = estimateNeed(
      tiny(
        {
          D1: [{ year: 2019, pct: 30 }],
          P1: [{ year: 2024, pct: 10 }],
          P2: [{ year: 2024, pct: 14 }],
          OLD2: [{ year: 2024, pct: 5 }],
        },
        { D1: ['P1', 'P2'] },
      ),
    );
    const d1 = newer.authorities[0]!.districts[0]!;
    assert.deepEqual([d1.basis, d1.year, d1.pct], ['former_districts', 2024, 12]);
    const own = estimateNeed(
      tiny(
        { D1: [{ year: 2024, pct: 30 }], P1: [{ year: 2024, pct: 10 }], OLD2: [{ year: 2024, pct: 5 }] },
        { D1: ['P1'] },
      ),
    );
    assert.deepEqual(
      [own.authorities[0]!.districts[0]!.basis, own.authorities[0]!.districts[0]!.pct],
      ['latest', 30],
    );
  });

  test('a local estimate replaces the computed figure and the total, and is counted as local', () => {
    const inputs = tiny({ D1: [{ year: 2024, pct: 10 }], OLD2: [{ year: 2024, pct: 10 }] });
    const e = estimateNeed(
      inputs,
      DEFAULT_PARAMETERS,
      new Map([['U1', { estimate: 123, source: 'JSNA 2025', enteredBy: 'Chris', enteredAt: null }]]),
    );
    const a = e.authorities[0]!;
    assert.equal(a.figure, 123);
    close(a.computed, (3000 / 6) * 0.1 * 1.7, 'computed still shown');
    assert.equal(e.england.figure, 123);
    close(e.england.computed, a.computed, 'method total');
    assert.equal(e.england.localCount, 1);
  });

  test('parameters are used as given', () => {
    const inputs = tiny({ D1: [{ year: 2024, pct: 10 }], OLD2: [{ year: 2024, pct: 10 }] });
    close(
      estimateNeed(inputs, { cmhcShare: 0.2, relativeRate: 1.8 }).authorities[0]!.computed,
      3000 * 0.2 * 0.1 * 1.8,
      'with 20% and 1.8',
    );
  });
});

describe('parameter validation', () => {
  test('defaults are 1 in 6 and 1.7, and valid', () => {
    assert.equal(DEFAULT_PARAMETERS.cmhcShare, 1 / 6);
    assert.equal(DEFAULT_PARAMETERS.relativeRate, 1.7);
    assert.deepEqual(validateParameters(DEFAULT_PARAMETERS), []);
  });

  test('out of range or not a number is refused, and the estimate will not run with it', () => {
    for (const cmhcShare of [0, 0.01, 0.6, 16.7, Number.NaN]) {
      assert.deepEqual(
        validateParameters({ cmhcShare, relativeRate: 1.7 }).map((x) => x.field),
        ['cmhcShare'],
        String(cmhcShare),
      );
    }
    for (const relativeRate of [0.5, 17, Number.POSITIVE_INFINITY, Number.NaN]) {
      assert.deepEqual(
        validateParameters({ cmhcShare: 1 / 6, relativeRate }).map((x) => x.field),
        ['relativeRate'],
        String(relativeRate),
      );
    }
    assert.throws(() => estimateNeed(needInputs(), { cmhcShare: 1 / 6, relativeRate: 17 }), RangeError);
  });
});
