import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DatabaseHandle } from '../../db/database.ts';
import { createTestDatabase } from '../../../test/helpers/test-db.ts';
import * as repo from './strategy.repository.ts';

// loadTargets is what every dashboard compares its figures with: only targets of strategies in force,
// only the quarters asked for, only the authorities asked for, and each target as a number.

const LEEDS = 'E08000035';
const MANCHESTER = 'E08000003';
const BRADFORD = 'E08000032';

let h: DatabaseHandle;
before(async () => {
  h = await createTestDatabase();
  const leeds = await repo.insertStrategy(
    h.db,
    LEEDS,
    {
      title: 'Leeds 2025 to 2027',
      aims: 'Reach more people',
      period: { start: { financialYear: 2025, quarter: 1 }, end: { financialYear: 2026, quarter: 4 } },
    },
    null,
  );
  // A later Leeds strategy, in force after the first ends.
  const leedsNext = await repo.insertStrategy(
    h.db,
    LEEDS,
    {
      title: 'Leeds 2027',
      aims: 'Keep going',
      period: { start: { financialYear: 2027, quarter: 1 }, end: { financialYear: 2027, quarter: 4 } },
    },
    null,
  );
  const manchester = await repo.insertStrategy(
    h.db,
    MANCHESTER,
    {
      title: 'Manchester',
      aims: 'Close the gap',
      period: { start: { financialYear: 2025, quarter: 3 }, end: { financialYear: 2026, quarter: 2 } },
    },
    null,
  );
  await repo.writeTargets(
    h.db,
    leeds,
    new Map([
      ['tt_referrals:2025:1', 60],
      ['tt_referrals:2025:2', 70],
      ['tt_referrals:2026:4', 130],
      ['cmhc_quit_rate:2025:2', 47.5],
      ['quit_rate_gap:2025:2', -1.25],
    ]),
  );
  await repo.writeTargets(h.db, leedsNext, new Map([['tt_referrals:2027:1', 140]]));
  await repo.writeTargets(
    h.db,
    manchester,
    new Map([
      ['tt_referrals:2025:3', 40],
      ['days_to_first_contact:2026:2', 2.5],
    ]),
  );
  // A code Mortar does not know (an indicator since retired) and a target stored outside its strategy's
  // period (not possible through the service; guarded anyway): neither reaches a dashboard.
  await h.db
    .insertInto('strategy_targets')
    .values([
      {
        strategy_id: leeds,
        indicator_code: 'retired_indicator',
        financial_year: 2025,
        quarter: 2,
        target: 5,
      },
      {
        strategy_id: manchester,
        indicator_code: 'tt_referrals',
        financial_year: 2025,
        quarter: 2,
        target: 999,
      },
    ])
    .execute();
});
after(() => h?.close());

const Q = (financialYear: number, quarter: 1 | 2 | 3 | 4) => ({ financialYear, quarter });

describe('loadTargets', () => {
  test('one authority, a range of quarters: every target in it, as numbers, in a stable order', async () => {
    const rows = await repo.loadTargets(h.db, [LEEDS], Q(2025, 1), Q(2025, 2));
    assert.deepEqual(rows, [
      {
        localAuthorityCode: LEEDS,
        indicator: 'cmhc_quit_rate',
        financialYear: 2025,
        quarter: 2,
        target: 47.5,
      },
      {
        localAuthorityCode: LEEDS,
        indicator: 'quit_rate_gap',
        financialYear: 2025,
        quarter: 2,
        target: -1.25,
      },
      { localAuthorityCode: LEEDS, indicator: 'tt_referrals', financialYear: 2025, quarter: 1, target: 60 },
      { localAuthorityCode: LEEDS, indicator: 'tt_referrals', financialYear: 2025, quarter: 2, target: 70 },
    ]);
  });

  test('a range across financial years and two strategies of one authority takes each quarter from the strategy in force', async () => {
    const rows = await repo.loadTargets(h.db, [LEEDS], Q(2026, 4), Q(2027, 1));
    assert.deepEqual(
      rows.map((r) => [r.financialYear, r.quarter, r.target]),
      [
        [2026, 4, 130],
        [2027, 1, 140],
      ],
    );
  });

  test('every authority, or the ones asked for; none asked for gives none', async () => {
    const all = await repo.loadTargets(h.db, 'all', Q(2025, 1), Q(2026, 4));
    assert.deepEqual([...new Set(all.map((r) => r.localAuthorityCode))], [MANCHESTER, LEEDS]);
    const manchester = await repo.loadTargets(h.db, [MANCHESTER, BRADFORD], Q(2025, 1), Q(2026, 4));
    assert.deepEqual(
      manchester.map((r) => [r.indicator, r.financialYear, r.quarter, r.target]),
      [
        ['days_to_first_contact', 2026, 2, 2.5],
        ['tt_referrals', 2025, 3, 40],
      ],
    );
    assert.deepEqual(await repo.loadTargets(h.db, [], Q(2025, 1), Q(2026, 4)), []);
    assert.deepEqual(await repo.loadTargets(h.db, [BRADFORD], Q(2025, 1), Q(2026, 4)), []);
  });

  test('leaves out unknown indicator codes and targets outside their strategy’s period', async () => {
    const rows = await repo.loadTargets(h.db, 'all', Q(2025, 2), Q(2025, 2));
    assert.ok(!rows.some((r) => (r.indicator as string) === 'retired_indicator'));
    assert.ok(!rows.some((r) => r.target === 999));
  });

  test('a range whose end is before its start gives nothing', async () => {
    assert.deepEqual(await repo.loadTargets(h.db, 'all', Q(2026, 1), Q(2025, 4)), []);
  });
});

describe('writeTargets', () => {
  test('sets, replaces and removes, and a removed target is gone from loadTargets', async () => {
    const id = await repo.insertStrategy(
      h.db,
      BRADFORD,
      { title: 'Bradford', aims: 'Aims', period: { start: Q(2025, 1), end: Q(2025, 4) } },
      null,
    );
    await repo.writeTargets(
      h.db,
      id,
      new Map([
        ['tt_referrals:2025:1', 10],
        ['tt_referrals:2025:2', 20],
      ]),
    );
    await repo.writeTargets(
      h.db,
      id,
      new Map([
        ['tt_referrals:2025:1', 15],
        ['tt_referrals:2025:2', null],
      ]),
    );
    assert.deepEqual([...(await repo.strategyTargets(h.db, id))], [['tt_referrals:2025:1', 15]]);
    const rows = await repo.loadTargets(h.db, [BRADFORD], Q(2025, 1), Q(2025, 4));
    assert.deepEqual(
      rows.map((r) => r.target),
      [15],
    );
  });
});
