import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import type { StaffUser } from '../platform/roles.ts';
import type { IndicatorCode } from '../modules/strategy/indicators.ts';
import type { IsoDate } from '../platform/dates.ts';
import { quarterOf } from '../platform/quarters.ts';
import { quartersOf, type StrategyPeriod } from '../modules/strategy/strategy.periods.ts';
import { targetKey } from '../modules/strategy/strategy.repository.ts';
import { createStrategy, saveTargets, updateDetails } from '../modules/strategy/strategy.service.ts';
import { findStrategy } from '../modules/strategy/strategy.repository.ts';
import { createLocalIndicator } from '../modules/strategy/local-indicators.service.ts';

// Demonstration strategies for Leeds and Manchester over two financial years, last year and this (by the
// demonstration's today, so a demonstration started in any year has strategies in force), written through
// the same service as the pages so that each has its history. Leeds's commissioner revised the targets
// once after a strong first half-year and sharpened the aims; Manchester's strategy aims lower to start.

const LEEDS = 'E08000035';
const MANCHESTER = 'E08000003';

/** Last financial year's first quarter to this one's last. */
const periodFor = (today: IsoDate): StrategyPeriod => {
  const thisYear = quarterOf(today).financialYear;
  return { start: { financialYear: thisYear - 1, quarter: 1 }, end: { financialYear: thisYear, quarter: 4 } };
};

/** A target for each of the 8 quarters: from `first` to `last` in even steps, rounded to `dp` places. */
const ramp = (first: number, last: number, dp = 0) =>
  Array.from({ length: 8 }, (_, i) => Number((first + ((last - first) * i) / 7).toFixed(dp)));

const LEEDS_TARGETS: Record<IndicatorCode, number[]> = {
  tt_referrals: ramp(60, 130),
  community_referrals: ramp(25, 60),
  cmhc_quit_dates: ramp(80, 150),
  cmhc_quit_rate: ramp(45, 52, 1),
  other_quit_rate: ramp(55, 57, 1),
  quit_rate_gap: ramp(10, 5, 1),
  co_verification_rate: ramp(70, 80),
  cmhc_reach: ramp(0.35, 0.65, 2),
  days_to_first_contact: ramp(5, 2),
  vba_trained_staff: ramp(40, 200),
  partners_smokefree_policy: ramp(30, 65),
};

const MANCHESTER_TARGETS: Record<IndicatorCode, number[]> = {
  tt_referrals: ramp(40, 90),
  community_referrals: ramp(15, 40),
  cmhc_quit_dates: ramp(60, 110),
  cmhc_quit_rate: ramp(42, 48, 1),
  other_quit_rate: ramp(52, 54, 1),
  quit_rate_gap: ramp(12, 8, 1),
  co_verification_rate: ramp(65, 75),
  cmhc_reach: ramp(0.25, 0.5, 2),
  days_to_first_contact: ramp(7, 3),
  vba_trained_staff: ramp(20, 120),
  partners_smokefree_policy: ramp(20, 50),
};

function grid(period: StrategyPeriod, targets: Record<IndicatorCode, number[]>): Map<string, number> {
  const out = new Map<string, number>();
  const quarters = quartersOf(period);
  for (const [code, values] of Object.entries(targets))
    quarters.forEach((p, i) => out.set(targetKey(code, p), values[i]!));
  return out;
}

/** Moves the latest history line (and the strategy's own stamps) to the day it stands for (never after today). */
async function dated(db: Database, strategyId: string, day: IsoDate, today: IsoDate) {
  const at = new Date(`${day < today ? day : today}T10:30:00Z`);
  const last = await db
    .selectFrom('strategy_changes')
    .select((eb) => eb.fn.max('id').as('id'))
    .where('strategy_id', '=', strategyId)
    .executeTakeFirstOrThrow();
  await db
    .updateTable('strategy_changes')
    .set({ occurred_at: at })
    .where('id', '=', Number(last.id))
    .execute();
  await db
    .updateTable('strategies')
    .set({ updated_at: at, created_at: sql`least(created_at, ${at}::timestamptz)` })
    .where('id', '=', strategyId)
    .execute();
}

async function staff(db: Database, email: string): Promise<StaffUser> {
  const u = await db
    .selectFrom('users as u')
    .innerJoin('organisations as o', 'o.id', 'u.organisation_id')
    .select([
      'u.id',
      'u.name',
      'u.role',
      'o.id as organisationId',
      'o.name as organisationName',
      'o.type',
      'o.local_authority_code',
    ])
    .where('u.email', '=', email)
    .executeTakeFirstOrThrow();
  return {
    kind: 'user',
    id: u.id,
    email,
    name: u.name,
    role: u.role,
    organisationId: u.organisationId,
    organisationName: u.organisationName,
    organisationType: u.type,
    localAuthorityCode: u.local_authority_code,
  };
}

export async function loadDemoStrategies(db: Database, today: IsoDate): Promise<void> {
  const PERIOD = periodFor(today);
  const first = PERIOD.start.financialYear;
  const second = PERIOD.end.financialYear;
  const day = (year: number, monthDay: string) => `${year}-${monthDay}` as IsoDate;
  // Manchester's commissioner, so that its strategy has an author; the demonstration password is given
  // to every @demo.test account at start-up. (Tests make commissioner.manchester@demo.test themselves.)
  const council = await db
    .insertInto('organisations')
    .values({
      name: 'Manchester City Council Public Health',
      type: 'local_authority',
      local_authority_code: MANCHESTER,
      ods_code: null,
      email: null,
      phone: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('users')
    .values({
      email: 'sophie.grant@demo.test',
      name: 'Sophie Grant',
      role: 'commissioner',
      organisation_id: council.id,
      password_hash: null,
    })
    .execute();

  const chris = await staff(db, 'commissioner@demo.test');
  const leeds = await createStrategy(db, chris, LEEDS, {
    title: `Leeds smokefree minds ${first} to ${second + 1}`,
    aims:
      'Help more people in Leeds who have depression or anxiety to stop smoking, and close the gap between their quit rate and everyone else’s.\n\n' +
      'Every NHS Talking Therapies practitioner asks about smoking and refers in under a minute. Foodbanks, housing and money advice services refer too.',
    period: PERIOD,
  });
  if ('overlap' in leeds) throw new Error('Demo: the Leeds strategy overlaps another');
  await dated(db, leeds.id, day(first, '03-14'), today);
  const leedsRow = (await findStrategy(db, leeds.id))!;
  await saveTargets(db, chris, leedsRow, grid(PERIOD, LEEDS_TARGETS));
  await dated(db, leeds.id, day(first, '03-20'), today);
  // After a strong first half-year, the Talking Therapies referral targets for the second year went up.
  const raised = new Map<string, number>();
  quartersOf({ start: { financialYear: second, quarter: 1 }, end: PERIOD.end }).forEach((p, i) =>
    raised.set(targetKey('tt_referrals', p), 110 + i * 15),
  );
  await saveTargets(db, chris, leedsRow, raised);
  await dated(db, leeds.id, day(first, '10-06'), today);
  await updateDetails(db, chris, (await findStrategy(db, leeds.id))!, {
    title: leedsRow.title,
    aims: `${leedsRow.aims}\n\nFrom April ${second}, every adviser completes the NCSCT mental health module.`,
    period: PERIOD,
  });
  await dated(db, leeds.id, day(second, '04-15'), today);
  // A local indicator of Leeds's own, beside the national ones on its dashboard.
  await createLocalIndicator(
    db,
    chris,
    LEEDS,
    {
      name: 'Quits confirmed by carbon monoxide: depression or anxiety',
      definition:
        'Of people with depression or anxiety who had quit four weeks after their quit date, the share whose quit a carbon monoxide reading confirmed.',
      numerator: 'co_verified_cmhc',
      denominator: 'quits_cmhc',
      target: 65,
      better: 'higher',
    },
    new Date(`${today}T09:00:00Z`),
  );

  const sophie = await staff(db, 'sophie.grant@demo.test');
  const manchester = await createStrategy(db, sophie, MANCHESTER, {
    title: 'Manchester: stopping smoking, better mental health',
    aims: 'Make stop smoking support part of every NHS Talking Therapies care plan in Manchester, and reach people with depression or anxiety who have never asked for help to stop.',
    period: PERIOD,
  });
  if ('overlap' in manchester) throw new Error('Demo: the Manchester strategy overlaps another');
  await dated(db, manchester.id, day(first, '04-02'), today);
  await saveTargets(db, sophie, (await findStrategy(db, manchester.id))!, grid(PERIOD, MANCHESTER_TARGETS));
  await dated(db, manchester.id, day(first, '04-09'), today);
}
