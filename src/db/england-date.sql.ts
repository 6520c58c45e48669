// England's date in SQL. The database's current_date is the session's time zone's (UTC on a server
// left at its default, and in PGlite), so from 23:00 UTC in summer it is still yesterday in England:
// a commission that starts on 1 April would only take referrals from 01:00. Every query that asks
// "in force today" uses these instead (organisations/commission.sql.ts for commissions), and they agree
// with platform/clock.ts's londonDate.
import { sql, type RawBuilder } from 'kysely';

/** The date in England at an instant (a timestamptz expression). */
export function englandDateOf(instant: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`((${instant}) at time zone 'Europe/London')::date`;
}

/** Today in England, by the database's clock. */
export const ENGLAND_TODAY: RawBuilder<string> = englandDateOf(sql`now()`);
