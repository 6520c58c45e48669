// What a referrer is told about the service a referral will go to, before sending it: how soon the
// service typically first tries to contact people, and how many of the referrals it decided on last
// quarter it accepted. Computed from Mortar's own records of that service; service-track-record.sql.ts
// counts the same in SQL and its test checks the two agree. Too few referrals say nothing rather than
// something misleading.
import { daysBetween, type IsoDate } from '../../platform/dates.ts';
import { previousQuarter, quarterOf, quarterRange } from '../../platform/quarters.ts';

/** Below this many referrals (for contact) or decisions (for acceptance) a figure is not given. */
export const MIN_REFERRALS = 10;

export type TrackRecordReferral = {
  receivedOn: IsoDate;
  /** The day of the first contact attempt, if any. */
  firstContactOn: IsoDate | null;
  accepted: boolean;
  declined: boolean;
};

export type TrackRecord = {
  quarter: { start: IsoDate; end: IsoDate };
  received: number;
  /** Median days from receipt to the first contact attempt, of those attempted; null when too few. */
  medianDaysToFirstContact: number | null;
  /** The same median whatever the count, so the SQL twin is checked below the threshold too. */
  medianDaysAny: number | null;
  decided: number;
  accepted: number;
  /** Accepted of those accepted or declined, 0 to 1; null when too few were decided. */
  acceptanceRate: number | null;
};

/** The last whole quarter before today's. */
export const lastQuarter = (today: IsoDate) => {
  const p = previousQuarter(quarterOf(today));
  return quarterRange(p.financialYear, p.quarter);
};

/** The median as PostgreSQL's percentile_cont(0.5) gives it: the mean of the middle two of an even count. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The track record of one service from its referrals; only those received last quarter count. */
export function trackRecord(referrals: readonly TrackRecordReferral[], today: IsoDate): TrackRecord {
  const quarter = lastQuarter(today);
  const inQuarter = referrals.filter((r) => r.receivedOn >= quarter.start && r.receivedOn <= quarter.end);
  const waits = inQuarter
    .filter((r) => r.firstContactOn !== null)
    .map((r) => daysBetween(r.receivedOn, r.firstContactOn!));
  // An accepted referral declined later (or the other way round) counts as accepted: it was taken on.
  const decided = inQuarter.filter((r) => r.accepted || r.declined);
  const accepted = decided.filter((r) => r.accepted).length;
  return {
    quarter,
    received: inQuarter.length,
    medianDaysToFirstContact: inQuarter.length >= MIN_REFERRALS ? median(waits) : null,
    medianDaysAny: median(waits),
    decided: decided.length,
    accepted,
    acceptanceRate: decided.length >= MIN_REFERRALS ? accepted / decided.length : null,
  };
}

/** The words the referral form shows. */
export function trackRecordWords(t: TrackRecord): { contact: string; acceptance: string } {
  const notEnough = 'Not enough referrals last quarter to say';
  const days = t.medianDaysToFirstContact;
  return {
    contact:
      days === null
        ? notEnough
        : days < 1
          ? 'Usually the day the referral arrives'
          : `Usually within ${Math.ceil(days)} ${Math.ceil(days) === 1 ? 'day' : 'days'}`,
    acceptance:
      t.acceptanceRate === null
        ? notEnough
        : `${Math.round(t.acceptanceRate * 100)}% accepted (${t.accepted} of ${t.decided} decided)`,
  };
}
