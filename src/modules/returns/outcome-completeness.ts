import { addDays, daysBetween, type IsoDate } from '../../platform/dates.ts';
import { quarterRange } from '../../platform/quarters.ts';
import { FOUR_WEEK_RULE } from '../episodes/four-week-outcome.ts';

/**
 * The last day on which a four-week outcome for someone who set a quit date in the quarter can still be
 * recorded: day 42 after the quarter's last day. From the day after, every outcome in the quarter is
 * known (or, by the national rule, lost to follow-up), so a return generated then has none pending.
 */
export function outcomesCompleteAfter(financialYear: number, quarter: number): IsoDate {
  return addDays(quarterRange(financialYear, quarter).end, FOUR_WEEK_RULE.windowClosesDay);
}

/** True when every outcome in the quarter is decided on `asOf` (it is after outcomesCompleteAfter). */
export function areOutcomesComplete(financialYear: number, quarter: number, asOf: IsoDate): boolean {
  return daysBetween(outcomesCompleteAfter(financialYear, quarter), asOf) > 0;
}
