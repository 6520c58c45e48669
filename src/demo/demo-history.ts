import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { addDays, type IsoDate } from '../platform/dates.ts';
import { previousQuarters, quarterOf, quarterRange } from '../platform/quarters.ts';
import { insertServiceNotOnMortar } from './demo-off-mortar.ts';
import {
  historyOfQuarter,
  REFERRERS,
  rngOf,
  type Build,
  type HistoryAuthority,
  type Row,
} from './demo-history-rows.ts';

// Nine quarters of plausible history (the current one so far and the eight before it) for Leeds,
// Manchester and four more authorities, so the dashboards show trends (issue 6). Deterministic: a seeded
// generator and dates counted back from `today`. Small (about 650 episodes) and written in a handful
// of multi-row inserts, so it adds well under a second to a demo database.
//
// The history belongs to the service each authority commissions: the demo's own Leeds and Manchester
// services where the demo has them, a community stop smoking service for the other authorities. So a
// service's return, its dashboard, its caseload and the commissioner's dashboard count the same
// episodes, and every figure of Leeds's return is one the Leeds service manager can trace (issue 10).
// The referrers are organisations of their own, so the demo referrers' lists stay as the demo sets
// them. Four-week outcomes are decided by the national rule (decideFourWeekOutcome) from a follow-up
// that has happened by `today`, as the product would record them. Names are made up.

/** The authorities with history, with how many quit dates a quarter and their character. */
const AUTHORITIES = [
  { code: 'E08000035', name: 'Leeds', perQuarter: 20, quitRate: 0.52, co: 0.18, postcode: 'LS9 7TF' },
  { code: 'E08000003', name: 'Manchester', perQuarter: 16, quitRate: 0.47, co: 0.08, postcode: 'M13 9WL' },
  { code: 'E08000032', name: 'Bradford', perQuarter: 12, quitRate: 0.55, co: 0.3, postcode: 'BD1 1HY' },
  { code: 'E08000034', name: 'Kirklees', perQuarter: 8, quitRate: 0.6, co: 0.12, postcode: 'HD1 2TA' },
  { code: 'E08000012', name: 'Liverpool', perQuarter: 12, quitRate: 0.44, co: 0.05, postcode: 'L1 8JQ' },
  { code: 'E08000039', name: 'Sheffield', perQuarter: 10, quitRate: 0.58, co: 0.22, postcode: 'S1 2HE' },
] as const satisfies readonly HistoryAuthority[];

export async function loadDemoHistory(db: Database, today: IsoDate): Promise<void> {
  const rng = rngOf(20260401);
  const current = quarterOf(today);
  const quarters = [...previousQuarters(current, 8), current];
  const firstDay = quarterRange(quarters[0]!.financialYear, quarters[0]!.quarter).start;
  const yesterday = addDays(today, -1);
  for (const la of AUTHORITIES) {
    const b: Build = {
      la,
      rng,
      today,
      serviceId: await commissionedService(db, la, firstDay),
      referrerOf: await insertReferrers(db, la),
      ids: {
        people: await newIds(db, la.perQuarter * 12),
        referrals: await newIds(db, la.perQuarter * 20),
        episodes: await newIds(db, la.perQuarter * 12),
      },
      ref: 0,
      rows: { people: [], referrals: [], events: [], episodes: [], sessions: [], outcomes: [] },
    };
    quarters.forEach((q, qi) => historyOfQuarter(b, q, qi, yesterday));
    await insertHistory(db, b.rows);
  }
}

/**
 * An authority has one open commission: where the demo already commissions a service (Leeds,
 * Manchester), the history is that service's, so everything it counts is the service's own.
 */
async function commissionedService(db: Database, la: HistoryAuthority, firstDay: IsoDate): Promise<string> {
  const open = await db
    .selectFrom('commissions')
    .select('service_organisation_id')
    .where('local_authority_code', '=', la.code)
    .where('ends_on', 'is', null)
    .executeTakeFirst();
  if (open) return open.service_organisation_id;
  // The others' services do not use Mortar: people there are given the service's own details.
  return insertServiceNotOnMortar(db, la, addDays(firstDay, -30));
}

/** The authority's referring organisations, one of each kind, by kind. */
async function insertReferrers(db: Database, la: HistoryAuthority): Promise<Map<string, string>> {
  const referrerRows = await db
    .insertInto('organisations')
    .values(
      REFERRERS.filter(([t]) => t !== 'self' && t !== 'none').map(([type, , label]) => ({
        name: `${la.name} ${label}`,
        type,
        local_authority_code: la.code,
        ods_code: null,
        email: null,
        phone: null,
      })),
    )
    .returning(['id', 'type'])
    .execute();
  return new Map(referrerRows.map((r) => [r.type, r.id]));
}

async function newIds(db: Database, n: number): Promise<string[]> {
  const result = await sql<{
    id: string;
  }>`select gen_random_uuid() as id from generate_series(1, ${n})`.execute(db);
  return result.rows.map((r) => r.id);
}

/** In a handful of multi-row inserts, parents before children. */
async function insertHistory(db: Database, rows: Build['rows']): Promise<void> {
  const chunks = async (
    table: 'people' | 'referrals' | 'referral_events' | 'episodes' | 'episode_sessions' | 'episode_outcomes',
    list: Row[],
  ) => {
    for (let i = 0; i < list.length; i += 1000)
      await db
        .insertInto(table)
        .values(list.slice(i, i + 1000) as never)
        .execute();
  };
  await chunks('people', rows.people);
  await chunks('referrals', rows.referrals);
  await chunks('referral_events', rows.events);
  await chunks('episodes', rows.episodes);
  await chunks('episode_sessions', rows.sessions);
  await chunks('episode_outcomes', rows.outcomes);
}
