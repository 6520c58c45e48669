// What the returns module's queries share: the executor they run on, which authorities and days a return
// counts, and the day a timestamp falls on in England.
import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { IsoDate } from '../../platform/dates.ts';
import type { Quarter } from '../../platform/quarters.ts';
import { FOUR_WEEK_RULE } from '../episodes/four-week-outcome.ts';

export type Executor = Database | Transaction<DB>;

/** The London date of a timestamp: when a referral was received, as people in England count days. */
export const londonDate = (column: RawBuilder<unknown>) =>
  sql`(${column} at time zone 'Europe/London')::date`;

export type Authorities = readonly string[] | 'all';

export type ComputeRequest = {
  authorities: Authorities;
  financialYear: number;
  quarter: Quarter;
  /** The day the return is generated: outcomes as known then; nothing after it counts. */
  asOf: IsoDate;
};

/** The last day that counts: the quarter's last day, or the day the return is generated if earlier. */
export const lastCountedDay = (end: IsoDate, asOf: IsoDate): IsoDate => (asOf < end ? asOf : end);

/** Rows whose authority `column` is one of `authorities` (every row for 'all'). */
export const laFilter = (authorities: Authorities, column: RawBuilder<unknown>) =>
  authorities === 'all' ? sql`true` : sql`${column} = any(${[...authorities]}::text[])`;

/** A stored JSON value, parsed if it comes back as text. */
export const parsed = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

/**
 * The key of the return a row of episode facts counts in (return-unit.ts unitKeyOf): its authority, or
 * `integrated:<service id>` for an episode delivered integrated with mental health care. `route` and
 * `service` are the row's delivery route and service organisation columns.
 */
export const unitKeySql = (
  la: RawBuilder<unknown>,
  route: RawBuilder<unknown>,
  service: RawBuilder<unknown>,
) => sql`case when ${route} = 'integrated' then 'integrated:' || ${service}::text else ${la} end`;

/** The services of the integrated-delivery returns among these keys (return-unit.ts). */
export const integratedServicesOf = (keys: Authorities): string[] =>
  keys === 'all'
    ? []
    : keys.filter((k) => k.startsWith('integrated:')).map((k) => k.slice('integrated:'.length));

/**
 * The outcome of a row of episode facts `f` as known on `asOf`: the stored one, or (none stored) lost to
 * follow-up once day 42 after the quit date has passed, pending until then, as decideFourWeekOutcome
 * decides with no follow-up.
 */
export const outcomeAsOfSql = (asOf: IsoDate) =>
  sql`coalesce(f.outcome, case when ${asOf}::date > f.quit_date + ${sql.lit(FOUR_WEEK_RULE.windowClosesDay)}
    then 'lost_to_follow_up' else 'pending' end)`;
