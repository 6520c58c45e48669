// When a commission is in force. Pure: commission.sql.ts states the same rule for queries, and
// commission.sql.db.test.ts checks the two agree on generated commissions and days.

/** A commission's days, as ISO dates (YYYY-MM-DD), which compare in calendar order as text. */
export type CommissionDays = {
  startsOn: string;
  /** The last day it is in force, or null while it has no end. */
  endsOn: string | null;
};

/**
 * In force on `day`: from its first day to its last, both included, so a successor set up in advance takes
 * over on its start day. Given `lastDay` too: in force on at least one day from `day` to `lastDay`.
 */
export function commissionInForce(c: CommissionDays, day: string, lastDay: string = day): boolean {
  return c.startsOn <= lastDay && (c.endsOn === null || c.endsOn >= day);
}
