// SQL for the service manager's dashboard. Every query takes the ServiceScope and reads that one
// service's records only; rules that decide figures live in service-dashboard.rules.ts.
import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { ServiceScope } from '../../platform/scope.ts';
import type { IsoDate } from '../../platform/dates.ts';
import type { FourWeekOutcome } from '../episodes/four-week-outcome.ts';

const londonDay = (col: string) =>
  sql<string>`to_char((${sql.ref(col)} at time zone 'Europe/London')::date, 'YYYY-MM-DD')`;

/**
 * Open episodes (not closed, no four-week outcome recorded), as the caseload page counts them, with their
 * adviser. No names: the caseload figures are counts.
 */
export async function openEpisodes(db: Database, scope: ServiceScope) {
  // The open ones are kept by migration 0052's triggers: the rule below is checked again on each, so
  // the table decides only which episodes are looked at, never that one is open.
  return db
    .selectFrom('open_episodes as oe')
    .innerJoin('episodes as e', 'e.id', 'oe.episode_id')
    .leftJoin('episode_outcomes as o', 'o.episode_id', 'e.id')
    .leftJoin('users as a', 'a.id', 'e.adviser_user_id')
    .select(['e.id', 'e.quit_date', 'e.adviser_user_id', 'a.name as adviser_name'])
    .where('oe.service_organisation_id', '=', scope.organisationId)
    .where('e.service_organisation_id', '=', scope.organisationId)
    .where('e.closed_at', 'is', null)
    .where('o.episode_id', 'is', null)
    .execute();
}

/** The people on some of the service's episodes, for the lists that name them (overdue follow-ups). */
export async function episodesNamed(db: Database, scope: ServiceScope, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('episodes as e')
    .innerJoin('people as p', 'p.id', 'e.person_id')
    .select(['e.id', 'p.given_name', 'p.family_name'])
    .where('e.service_organisation_id', '=', scope.organisationId)
    .where('e.id', 'in', ids)
    .execute();
}

/**
 * Referrals the service received from `first` to `last` (days in England, both included), each with the day
 * it arrived, the day of its first contact attempt, and the day of the first session attended in an
 * episode started from it.
 */
export async function referralWaits(db: Database, scope: ServiceScope, first: IsoDate, last: IsoDate) {
  // The service, the day received and the day of the first contact attempt are kept in referral_facts
  // (migration 0012, England's calendar; indexed for this by 0055, which holds every column read), so the busiest service's quarter is
  // read from one index rather than referral by referral and event by event.
  return db
    .selectFrom('referral_facts as rf')
    .select((eb) => [
      'rf.referral_id as id',
      sql<string>`to_char(rf.received_on, 'YYYY-MM-DD')`.as('received_on'),
      sql<string | null>`to_char(rf.first_contact_on, 'YYYY-MM-DD')`.as('first_attempt_on'),
      eb
        .selectFrom('episodes as e')
        .innerJoin('episode_sessions as s', 's.episode_id', 'e.id')
        .select(sql<string | null>`to_char(min(s.held_on::date), 'YYYY-MM-DD')`.as('d'))
        .whereRef('e.referral_id', '=', 'rf.referral_id')
        .where('e.service_organisation_id', '=', scope.organisationId)
        .where('s.attended', '=', true)
        .as('first_session_on'),
    ])
    .where('rf.service_organisation_id', '=', scope.organisationId)
    .where('rf.received_on', '>=', first)
    .where('rf.received_on', '<=', last)
    .execute();
}

/**
 * Referrals waiting now with nobody yet reached: current status "received" (deriveStatus's rule, kept for
 * each referral by migration 0048's triggers, so this reads the waiting rows through their partial index
 * rather than every referral the service ever received), oldest first, with how many attempts have failed
 * so far.
 */
export async function referralsWaiting(db: Database, scope: ServiceScope) {
  return db
    .selectFrom('referral_current_status as cs')
    .innerJoin('referrals as r', 'r.id', 'cs.referral_id')
    .leftJoin('organisations as ref', 'ref.id', 'r.referrer_organisation_id')
    .select((eb) => [
      'r.id',
      'r.reference',
      'r.source',
      'ref.name as referrer_name',
      londonDay('r.created_at').as('received_on'),
      eb
        .selectFrom('referral_events as ev')
        .select((s) => s.fn.countAll<number>().as('n'))
        .whereRef('ev.referral_id', '=', 'r.id')
        .where('ev.kind', '=', 'contact_attempt')
        .as('attempts'),
    ])
    .where('cs.status', '=', 'received')
    .where('r.service_organisation_id', '=', scope.organisationId)
    .orderBy('r.created_at')
    .limit(500)
    .execute();
}

export type OutcomeFact = {
  id: string;
  quitDate: IsoDate;
  outcome: FourWeekOutcome | null;
  adviserName: string | null;
  interventionType: string | null;
  setting: string | null;
};

/**
 * Episodes whose quit date falls from `first` to `last`, with the outcome recorded (null when none yet).
 * Read from episode_facts, which the database keeps equal to the episodes and their outcomes in the same
 * transaction (migration 0011), through an index that holds every column read (0057): from episodes, each
 * outcome was a look-up of its own.
 */
export async function outcomeFacts(
  db: Database,
  scope: ServiceScope,
  first: IsoDate,
  last: IsoDate,
): Promise<OutcomeFact[]> {
  const rows = await db
    .selectFrom('episode_facts as f')
    .leftJoin('users as a', 'a.id', 'f.adviser_user_id')
    .select([
      'f.episode_id as id',
      sql<string>`to_char(f.quit_date, 'YYYY-MM-DD')`.as('quit_date'),
      'f.outcome',
      'a.name as adviser_name',
      'f.intervention_type',
      'f.setting',
    ])
    .where('f.service_organisation_id', '=', scope.organisationId)
    .where('f.quit_date', '>=', first)
    .where('f.quit_date', '<=', last)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    quitDate: r.quit_date,
    outcome: (r.outcome ?? null) as FourWeekOutcome | null,
    adviserName: r.adviser_name,
    interventionType: r.intervention_type,
    setting: r.setting,
  }));
}
