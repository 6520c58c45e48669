import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { toRows, type ReturnRow } from './csv-layout.ts';
import { SUPPRESSED, disclose } from './disclosure.ts';
import { episode, episodeFactArb, LA } from './facts.fixtures.ts';
import { integerAttack } from './integer-attack.fixtures.ts';
import { attack, linkedBreakdowns, rowKey, type AttackInput } from './publication-attack.fixtures.ts';
import { smallInputArb } from './publication.fixtures.ts';
import { nationalInput } from './national-input.fixtures.ts';
import {
  ENGLAND,
  buildPublication,
  publicationRows,
  publishReturn,
  type PublicationInput,
} from './publication.ts';
import { LINKED_CATEGORIES } from './publication-relations.ts';
import { computeReturn, type QuarterlyReturn } from './return-definition.ts';
import { sumReturns } from './return-figures.ts';

// The attacks' time depends on the publications drawn (a draw once ran for over 15 minutes in a loaded
// suite, against seconds for most), so every property here draws from a fixed seed and the suite takes the
// same time each run. PROPERTY_SEED=<n> draws other publications (the seed is printed on a failure).
fc.configureGlobal({ seed: Number(process.env.PROPERTY_SEED) || 20261206 });

const asAttacked = (rows: readonly ReturnRow[]) =>
  rows.map((r) => ({
    area: r.local_authority_code,
    breakdown: r.breakdown,
    category: r.category,
    measure: r.measure,
    value: r.value,
  }));

const truthOf = (returns: readonly QuarterlyReturn[]) =>
  new Map(
    returns.flatMap((ret) =>
      toRows(ret).map((r) => [rowKey(asAttacked([r])[0]!), r.value as number] as const),
    ),
  );

/** What an attacker is given about a publication of `input`, and the truth to check its answers. */
function setting(input: PublicationInput) {
  const all = input.regions.flatMap((r) => r.returns.map((s) => s.data));
  const { financialYear: fy, quarter: q } = input;
  const regions = input.regions.map((r) =>
    sumReturns(
      r.code,
      fy,
      q,
      r.returns.map((s) => s.data),
    ),
  );
  const england = sumReturns(ENGLAND, fy, q, all);
  const parentOf = new Map<string, string>();
  for (const r of input.regions) {
    parentOf.set(r.code, ENGLAND);
    for (const s of r.returns) parentOf.set(s.code, r.code);
  }
  return { england, regions, all, parentOf, truth: truthOf([england, ...regions, ...all]) };
}

const englandTotals = (r: { area: string; breakdown: string }) =>
  r.area === ENGLAND && r.breakdown === 'total';

/** The issue's example: 22 set a quit date, 8 men, 13 women, 1 "not stated", none "not known". */
const issueExample = () =>
  computeReturn({
    episodes: [
      ...Array.from({ length: 8 }, (_, i) => episode({ episodeId: `m${i}`, sex: 'male' })),
      ...Array.from({ length: 13 }, (_, i) => episode({ episodeId: `f${i}`, sex: 'female' })),
      episode({ episodeId: 'n', sex: 'not_stated' }),
    ],
    referrals: [],
    localAuthorityCode: LA,
    financialYear: 2026,
    quarter: 1,
    asOf: '2026-09-01',
  });

test('the issue’s example: published one figure at a time, "not stated" is worked out as 1; published as one table, nothing is', () => {
  const ret = issueExample();
  const truth = truthOf([ret]);
  const base = { parentOf: new Map(), exact: () => false, threshold: 7, base: 5, truth };
  const row = (rows: readonly ReturnRow[], category: string) =>
    rows.find((r) => r.breakdown === 'sex' && r.category === category && r.measure === 'set_quit_date')
      ?.value;

  const before = toRows(ret, { disclose: {} });
  assert.deepEqual(
    ['all', 'male', 'female', 'not_known', 'not_stated'].map((c) =>
      c === 'all'
        ? before.find((r) => r.breakdown === 'total' && r.measure === 'set_quit_date')?.value
        : row(before, c),
    ),
    [20, 10, 15, 0, SUPPRESSED],
  );
  const old = attack({ ...base, rows: asAttacked(before), hiddenMeans: 'small' });
  assert.ok(
    old.recovered.some((r) => r.key === `${LA}|sex|not_stated|set_quit_date` && r.value === 1),
    'the attack finds the issue’s "not stated" = 1',
  );

  const pub = publishReturn(ret, 'Hartlepool');
  const after = publicationRows(pub);
  assert.equal(row(after, 'not_stated'), SUPPRESSED);
  assert.ok(pub.hidden.secondary > 0, 'other figures are hidden to protect it');
  const now = attack({ ...base, rows: asAttacked(after), hiddenMeans: 'any' }, { exact: integerAttack() });
  assert.deepEqual(now.recovered, [], 'not one hidden figure has a single possible value');
});

test('what is shown is the primary rule’s figure: zeros are never hidden, England’s totals exact, the rest rounded', () => {
  const input = nationalInput({ seed: 3, quitDates: 4000, submitted: 0.3 });
  const { truth } = setting(input);
  const pub = buildPublication(input);
  let hidden = 0;
  for (const r of asAttacked(publicationRows(pub))) {
    const t = truth.get(rowKey(r))!;
    if (r.value === SUPPRESSED) {
      hidden++;
      assert.ok(t > 0, `${rowKey(r)}: a 0 is never hidden`);
      continue;
    }
    const exact = englandTotals(r);
    assert.equal(r.value, disclose(t, { exact }), rowKey(r));
    assert.notEqual(disclose(t, { exact }), SUPPRESSED, `${rowKey(r)}: every small count is hidden`);
  }
  assert.equal(hidden, pub.hidden.primary + pub.hidden.secondary);
  assert.equal(publicationRows(pub).length, pub.hidden.figures);
});

test('national data: 0 of the hidden figures can be worked out, where publishing one figure at a time gives some away', () => {
  const input = nationalInput({ seed: 1 });
  const { england, regions, all, parentOf, truth } = setting(input);
  const base: Omit<AttackInput, 'rows' | 'hiddenMeans' | 'exact'> = {
    parentOf,
    threshold: 7,
    base: 5,
    truth,
  };
  const before = [
    ...toRows(england, { disclose: { national: true } }),
    ...regions.flatMap((r) => toRows(r, { disclose: {} })),
    ...all.flatMap((r) => toRows(r, { disclose: {} })),
  ];
  const old = attack({
    ...base,
    rows: asAttacked(before),
    exact: (r) => r.area === ENGLAND,
    hiddenMeans: 'small',
  });
  assert.ok(old.recovered.length > 20, `the attack works: ${old.recovered.length} of ${old.hidden} before`);

  const pub = buildPublication(input);
  assert.equal(pub.areas.length, 1 + 9 + all.length);
  const now = attack({
    ...base,
    rows: asAttacked(publicationRows(pub)),
    exact: englandTotals,
    hiddenMeans: 'any',
  });
  assert.equal(now.hidden, pub.hidden.primary + pub.hidden.secondary);
  assert.deepEqual(now.recovered, [], `${now.recovered.length} of ${now.hidden} worked out`);
  // Secondary suppression costs little: a small share of the figures hidden for the small counts.
  assert.ok(pub.hidden.secondary < pub.hidden.primary / 100, JSON.stringify(pub.hidden));
});

test('property: small publications (1 to 3 regions of 1 to 4 authorities), no hidden figure can be worked out', () => {
  fc.assert(
    fc.property(smallInputArb(), (input) => {
      const { parentOf, truth } = setting(input);
      const pub = buildPublication(input);
      const now = attack({
        rows: asAttacked(publicationRows(pub)),
        parentOf,
        exact: englandTotals,
        threshold: 7,
        base: 5,
        truth,
        hiddenMeans: 'any',
      });
      assert.deepEqual(now.recovered, []);
    }),
    { numRuns: 8 },
  );
});

test('property: the linked categories hold for any facts (a category of one breakdown, the sum of another’s)', () => {
  fc.assert(
    fc.property(fc.array(episodeFactArb({ localAuthorityCodes: [LA] }), { maxLength: 40 }), (episodes) => {
      const ret = computeReturn({
        episodes,
        referrals: [],
        localAuthorityCode: LA,
        financialYear: 2026,
        quarter: 1,
        asOf: '2027-01-01',
      });
      for (const link of LINKED_CATEGORIES) {
        for (const m of ['setQuitDate', 'quitSelfReported', 'notQuit'] as const) {
          const sum = ([b, cats]: readonly [string, readonly string[]]) =>
            cats.reduce((s, c) => s + (ret.breakdowns[b as 'cmhc'][c]![m] ?? 0), 0);
          if (link.equal) assert.equal(sum(link.left), sum(link.right));
          else assert.ok(sum(link.left) <= sum(link.right));
        }
      }
    }),
  );
});

test('the linked categories cover every pair of breakdowns read from the same item', () => {
  const linked = new Set(LINKED_CATEGORIES.map((l) => [l.left[0], l.right[0]].sort().join('|')));
  for (const { a, b } of linkedBreakdowns()) assert.ok(linked.has([a, b].sort().join('|')), `${a} and ${b}`);
});

/** The exact attack on a small publication: how many hidden figures integer programming pins down. */
function exactAttack(input: PublicationInput) {
  const { parentOf, truth } = setting(input);
  return attack(
    {
      rows: asAttacked(publicationRows(buildPublication(input))),
      parentOf,
      exact: englandTotals,
      threshold: 7,
      base: 5,
      truth,
      hiddenMeans: 'any',
    },
    { exact: integerAttack() },
  );
}

test('a publication where propagation alone missed 86 figures that integer programming pinned down: probing finds them', () => {
  // Found by the property below before probing: an authority of 6 people whose figures, with England's
  // exact totals and the Swap to Stop and referral source tables, left its 1 CO-verified quit exposed.
  const input = fc.sample(smallInputArb(), { numRuns: 7, seed: 5 })[6]!;
  assert.deepEqual(exactAttack(input).recovered, []);
});

test('a publication where probing exposed a figure whose trail of narrowing relations had nothing left to hide: published, and safe', () => {
  // Found by timing the property above over seeds 1 to 200 (PROPERTY_SEED=6, its 8th draw): probing
  // found an authority's quits total pinned down by a contradiction in its CO-verified quits by referral
  // source, every figure there hidden and none narrowed by another relation, so the repair found nothing
  // to hide and publishing threw "No figure left to hide".
  const input = fc.sample(smallInputArb(), { numRuns: 8, seed: 6 })[7]!;
  const pub = buildPublication(input);
  assert.ok(pub.hidden.secondary < 20, JSON.stringify(pub.hidden));
  const { parentOf, truth } = setting(input);
  const now = attack({
    rows: asAttacked(publicationRows(pub)),
    parentOf,
    exact: englandTotals,
    threshold: 7,
    base: 5,
    truth,
    hiddenMeans: 'any',
  });
  assert.deepEqual(now.recovered, []);
});

test('a publication whose aids and Swap to Stop tables gave 268 hidden figures away to an attacker who counts each pair of their categories: none now', () => {
  // Found by the property above with PROPERTY_SEED=29 (its first draw: one region of authorities of 5,
  // 11, 21 and 4 people): with Swap to Stop "yes" 0, an authority's CO-verified quits with an e-cigarette
  // all count in "no", which the three sums of LINKED_CATEGORIES left to propagation could not see.
  const input = fc.sample(smallInputArb(), { numRuns: 1, seed: 29 })[0]!;
  const { parentOf, truth } = setting(input);
  const now = attack({
    rows: asAttacked(publicationRows(buildPublication(input))),
    parentOf,
    exact: englandTotals,
    threshold: 7,
    base: 5,
    truth,
    hiddenMeans: 'any',
  });
  assert.deepEqual(now.recovered, []);
});

// Integer programming is slow, so the suite attacks one publication; EXACT_ATTACK_RUNS=20 attacks more
// (with PROPERTY_SEED, other ones).
const EXACT_ATTACK_RUNS = Number(process.env.EXACT_ATTACK_RUNS) || 1;

test('property: small publications withstand the exact attack (integer programming)', () => {
  fc.assert(
    fc.property(smallInputArb(), (input) => assert.deepEqual(exactAttack(input).recovered, [])),
    { numRuns: EXACT_ATTACK_RUNS },
  );
});
