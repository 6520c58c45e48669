// commissionInForce (commission.ts) in SQL: the one place a query says a commission is in force, so routing,
// the directory, the area counts, the returns and the dashboards cannot disagree about it.
// commission.sql.db.test.ts checks it against commissionInForce on generated commissions and days.
import { sql, type RawBuilder } from 'kysely';
import { ENGLAND_TODAY } from '../../db/england-date.sql.ts';

/** An ISO date (YYYY-MM-DD), or a date expression such as ENGLAND_TODAY or a column. */
export type Day = string | RawBuilder<string>;

const asDate = (d: Day): RawBuilder<string> => (typeof d === 'string' ? sql<string>`${d}::date` : d);

/**
 * The commission aliased `c` in the query is in force on `day`: England's today unless given, never the
 * database's current_date (the session's time zone's, a day behind England after 23:00 UTC in summer).
 * Given `lastDay` too: in force on at least one day from `day` to `lastDay`, both included.
 */
export function commissionInForceSql(day: Day = ENGLAND_TODAY, lastDay: Day = day): RawBuilder<boolean> {
  return sql<boolean>`(c.starts_on <= ${asDate(lastDay)} and (c.ends_on is null or c.ends_on >= ${asDate(day)}))`;
}
