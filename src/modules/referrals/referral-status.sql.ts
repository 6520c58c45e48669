// deriveStatus (referral-status.ts) in SQL, so lists and counts can filter, sort and group on a referral's
// current status without loading its events. The rule is written here once; every module that needs it in
// SQL imports this file, and referral-status.sql.db.test.ts checks it against deriveStatus on generated
// histories.
import { sql, type RawBuilder } from 'kysely';
import type { ReferralStatus } from './referral-status.ts';

/**
 * A column of the latest status event of the referral aliased `referral` in the outer query. Latest by id,
 * the order the events were written and loadEvents hands them to deriveStatus, never by occurred_at;
 * contact attempts and the referrer's corrections are not status events (NOTE_KINDS).
 */
const latestStatusEvent = (referral: string, column: 'kind' | 'occurred_at') => sql`(
  select ${sql.ref(`status_event.${column}`)} from referral_events status_event
  where status_event.referral_id = ${sql.ref(`${referral}.id`)} and status_event.kind not in ('contact_attempt', 'details_corrected')
  order by status_event.id desc limit 1)`;

/** The current status of the referral aliased `referral` (`r` by default): deriveStatus's rule. */
export const currentStatusSql = (referral = 'r'): RawBuilder<ReferralStatus> =>
  sql<ReferralStatus>`coalesce(${latestStatusEvent(referral, 'kind')}, 'received')`;

/** When the referral took its current status (every referral is written with its 'received' event). */
export const statusSinceSql = (referral = 'r'): RawBuilder<Date> =>
  sql<Date>`${latestStatusEvent(referral, 'occurred_at')}`;

/**
 * When the referrer last saw the referral change: the time of referrerTimeline's latest entry. With the
 * person's consent to share progress, their latest status event; without it, the latest of its receipt and
 * the referrer's own withdrawal, the only events such a referrer is shown.
 */
export const referrerUpdatedSql = (referral = 'r'): RawBuilder<Date> =>
  sql<Date>`case when ${sql.ref(`${referral}.consent_share_progress`)} then ${statusSinceSql(referral)}
    else (select shown.occurred_at from referral_events shown
      where shown.referral_id = ${sql.ref(`${referral}.id`)} and shown.kind in ('received', 'withdrawn')
      order by shown.id desc limit 1) end`;
