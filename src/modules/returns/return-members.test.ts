// What a return counted: every figure must list exactly the records it counts, by the return's own rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { episode, episodeFactArb, LA, referralFactArb } from './facts.fixtures.ts';
import { computeReturn, type ComputeReturnInput } from './return-definition.ts';
import { figuresOf } from './return-figures.ts';
import {
  checkCounted,
  countedOf,
  episodesIn,
  readCounted,
  referralsIn,
  storeCounted,
  type Counted,
} from './return-members.ts';

const SCOPE = { localAuthorityCode: LA, financialYear: 2026, quarter: 1 as const, asOf: '2026-07-20' };

const withIds = fc
  .tuple(fc.array(episodeFactArb(), { maxLength: 60 }), fc.array(referralFactArb(), { maxLength: 30 }))
  .map(([episodes, referrals]) => ({
    episodes,
    referrals: referrals.map((r, i) => ({
      ...r,
      referralId: `r${i}`,
      serviceOrganisationId: i % 3 ? 'svc-a' : 'svc-b',
    })),
  }));

const countedFor = (facts: Pick<ComputeReturnInput, 'episodes' | 'referrals'>) => {
  const input = { ...facts, ...SCOPE };
  return { ret: computeReturn(input), counted: countedOf(input) };
};

test('property: every figure lists exactly as many records as it says, and the check finds nothing', () => {
  fc.assert(
    fc.property(withIds, (facts) => {
      const { ret, counted } = countedFor(facts);
      assert.deepEqual(checkCounted(ret, counted), []);
      for (const f of figuresOf(ret)) {
        const listed = f.measure === 'referralsReceived' ? referralsIn(f, counted) : episodesIn(f, counted);
        assert.equal(listed.length, f.value, `${f.breakdown} ${f.category} ${f.measure}`);
      }
    }),
    { numRuns: 150 },
  );
});

test('property: the records kept are those the return counts, and only those', () => {
  fc.assert(
    fc.property(withIds, (facts) => {
      const { ret, counted } = countedFor(facts);
      assert.equal(counted.episodes.length, ret.totals.setQuitDate);
      assert.equal(counted.referrals.length, ret.totals.referralsReceived);
      assert.equal(new Set(counted.episodes.map((e) => e.id)).size, counted.episodes.length, 'each once');
    }),
    { numRuns: 100 },
  );
});

test('the check names a figure the records would not list: a record too few or too many is never stored', () => {
  const facts = {
    episodes: [episode({ episodeId: 'a' }), episode({ episodeId: 'b', sex: 'male' })],
    referrals: [],
  };
  const { ret, counted } = countedFor(facts);
  assert.equal(ret.totals.setQuitDate, 2);
  const short: Counted = { ...counted, episodes: counted.episodes.slice(1) };
  const changes = checkCounted(ret, short);
  assert.ok(changes.some((c) => c.breakdown === 'total' && c.measure === 'setQuitDate'));
  assert.ok(changes.some((c) => c.breakdown === 'sex' && c.category === 'female'));
});

test('a figure lists its own records: by outcome, by category, and referrals by source only', () => {
  const facts = {
    episodes: [
      episode({ episodeId: 'quit', outcome: 'quit_co_verified' }),
      episode({ episodeId: 'not', outcome: 'not_quit', sex: 'male' }),
      episode({ episodeId: 'later', quitDate: '2026-07-01' }),
    ],
    referrals: [
      {
        referralId: 'r1',
        serviceOrganisationId: 's',
        localAuthorityCode: LA,
        receivedOn: '2026-05-02',
        source: 'self',
      },
      {
        referralId: 'r2',
        serviceOrganisationId: 's',
        localAuthorityCode: LA,
        receivedOn: '2026-05-03',
        source: 'gp_practice',
      },
    ],
  };
  const { counted } = countedFor(facts);
  const ids = (xs: { id: string }[]) => xs.map((x) => x.id).sort();
  assert.deepEqual(
    ids(episodesIn({ breakdown: 'total', category: 'all', measure: 'setQuitDate' }, counted)),
    ['not', 'quit'],
  );
  assert.deepEqual(
    ids(episodesIn({ breakdown: 'total', category: 'all', measure: 'quitCoVerified' }, counted)),
    ['quit'],
  );
  assert.deepEqual(ids(episodesIn({ breakdown: 'sex', category: 'male', measure: 'notQuit' }, counted)), [
    'not',
  ]);
  assert.deepEqual(
    ids(referralsIn({ breakdown: 'total', category: 'all', measure: 'referralsReceived' }, counted)),
    ['r1', 'r2'],
  );
  assert.deepEqual(
    ids(
      referralsIn({ breakdown: 'referral_source', category: 'self', measure: 'referralsReceived' }, counted),
    ),
    ['r1'],
  );
  assert.deepEqual(
    referralsIn({ breakdown: 'sex', category: 'male', measure: 'referralsReceived' }, counted),
    [],
  );
  assert.deepEqual(
    episodesIn({ breakdown: 'total', category: 'all', measure: 'referralsReceived' }, counted),
    [],
  );
});

test('property: what is stored reads back the same', () => {
  fc.assert(
    fc.property(withIds, (facts) => {
      const { counted } = countedFor(facts);
      assert.deepEqual(readCounted(JSON.parse(JSON.stringify(storeCounted(counted)))), counted);
    }),
    { numRuns: 50 },
  );
  assert.equal(readCounted(null), null, 'a version that kept nothing');
  assert.equal(readCounted({ nonsense: true }), null);
});

test('a referral counted without saying which it is cannot be stored', () => {
  assert.throws(
    () =>
      countedOf({
        ...SCOPE,
        episodes: [],
        referrals: [{ localAuthorityCode: LA, receivedOn: '2026-05-02', source: 'self' }],
      }),
    /must say which referral/,
  );
});
