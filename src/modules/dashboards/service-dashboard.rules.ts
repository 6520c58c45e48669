// The rules behind the service manager's dashboard. Pure: dates and facts in, figures out. Each rule that
// already exists elsewhere is called, never copied: the phase of an episode (episodePhase), the follow-up
// window (followUpWindow, followUpStatus), the outcome known today (outcomeAsOf, which asks
// decideFourWeekOutcome) and what counts as a quit (countsAsQuit, isCoVerified).
import { daysBetween, isIsoDate, type IsoDate } from '../../platform/dates.ts';
import { episodePhase } from '../episodes/episode.service.ts';
import {
  countsAsQuit,
  followUpStatus,
  followUpWindow,
  isCoVerified,
  type FourWeekOutcome,
} from '../episodes/four-week-outcome.ts';
import { outcomeAsOf } from '../returns/return-measures.ts';

/**
 * The median: the middle value, or the mean of the two middle values when there is an even number (the
 * same definition the commissioner's dashboard uses for days to first contact). Null with no values.
 */
export function median(values: readonly number[]): number | null {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/**
 * The p-th percentile by the nearest-rank method: the smallest value that at least p% of values are at or
 * below. Always one of the values (a whole number of days stays whole). Null with no values.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (!(p > 0 && p <= 100)) throw new RangeError(`Percentile must be above 0 and at most 100: ${p}`);
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return null;
  return v[Math.max(0, Math.ceil((p / 100) * v.length) - 1)]!;
}

export type Wait = {
  /** Referrals received in the period. */
  received: number;
  /** Of those, how many have reached this step; the figures below are over these only. */
  reached: number;
  /** Still waiting for this step (received minus reached): shown beside the figures, so a median of the quick ones never hides them. */
  waiting: number;
  median: number | null;
  p90: number | null;
};

/** Waiting time to one step from each referral's day received (whole days); null where not reached yet. */
export function waitOf(days: readonly (number | null)[]): Wait {
  const reached = days
    .filter((d): d is number => d !== null && Number.isFinite(d))
    .map((d) => Math.max(0, d));
  return {
    received: days.length,
    reached: reached.length,
    waiting: days.length - reached.length,
    median: median(reached),
    p90: percentile(reached, 90),
  };
}

/** Whole days from a referral's day received to a later day, or null when that day has not come. */
export function daysFrom(receivedOn: IsoDate, on: IsoDate | null): number | null {
  if (!on || !isIsoDate(on) || !isIsoDate(receivedOn)) return null;
  return daysBetween(receivedOn, on);
}

/** Within this many days of the follow-up window closing, an overdue follow-up is urgent. */
export const CLOSING_SOON_DAYS = 7;

export type FollowUpAttention = {
  due: IsoDate;
  closes: IsoDate;
  /** Past day 28 with the window still open and no outcome recorded. */
  overdue: boolean;
  /** Days past the day the follow-up was due (0 when not overdue). */
  daysOverdue: number;
  /** Days on which the outcome can still be recorded, today included (0 once closed). */
  daysLeft: number;
  /** The window closes within CLOSING_SOON_DAYS days, today included. */
  closingSoon: boolean;
};

/**
 * Whether an episode with no four-week outcome recorded needs its follow-up chased, on `today`. The window
 * and its days left come from the national rule's own functions.
 */
export function followUpAttention(quitDate: IsoDate, today: IsoDate): FollowUpAttention {
  const w = followUpWindow(quitDate);
  const status = followUpStatus(quitDate, today);
  const pastDue = daysBetween(w.due, today);
  const open = status.phase === 'open';
  return {
    due: w.due,
    closes: w.closes,
    overdue: open && pastDue > 0,
    daysOverdue: open && pastDue > 0 ? pastDue : 0,
    daysLeft: status.daysLeft,
    closingSoon: open && status.daysLeft <= CLOSING_SOON_DAYS,
  };
}

export const STAGES = [
  'preparing',
  'quit_date_ahead',
  'quit_attempt',
  'follow_up_due',
  'follow_up_overdue',
  'window_closed',
] as const;
export type Stage = (typeof STAGES)[number];

export const STAGE_LABELS: Record<Stage, string> = {
  preparing: 'Preparing to quit: no quit date yet',
  quit_date_ahead: 'Quit date set, still to come',
  quit_attempt: 'Quit attempt under way, before the follow-up window',
  follow_up_due: 'Four-week follow-up window open (days 25 to 28)',
  follow_up_overdue: 'Four-week follow-up overdue (past day 28)',
  window_closed: 'Follow-up window closed, no outcome recorded',
};

/**
 * Where an open episode (not closed, no four-week outcome) stands on `today`. Refines episodePhase's
 * "preparing" and "quit attempt" by the follow-up window, so a manager sees what needs doing.
 */
export function caseloadStage(quitDate: IsoDate | null, today: IsoDate): Stage {
  const phase = episodePhase({ quit_date: quitDate, closed_at: null, four_week_outcome: null });
  if (phase === 'preparing' || !quitDate || !isIsoDate(quitDate)) return 'preparing';
  if (daysBetween(today, quitDate) > 0) return 'quit_date_ahead';
  const status = followUpStatus(quitDate, today);
  if (status.phase === 'before_window') return 'quit_attempt';
  if (status.phase === 'closed') return 'window_closed';
  return followUpAttention(quitDate, today).overdue ? 'follow_up_overdue' : 'follow_up_due';
}

export type OutcomeTally = {
  quitDates: number;
  quits: number;
  coVerified: number;
  notQuit: number;
  lost: number;
  pending: number;
  /** Quits over everyone who set a quit date, lost and pending included, as a percentage. */
  quitRate: number | null;
  /**
   * CO-verified quits over all quits, as a percentage: shown beside the quit rate, always (docs/domain.md,
   * Four-week outcome).
   */
  coVerifiedShare: number | null;
};

export const emptyTally = (): OutcomeTally => ({
  quitDates: 0,
  quits: 0,
  coVerified: 0,
  notQuit: 0,
  lost: 0,
  pending: 0,
  quitRate: null,
  coVerifiedShare: null,
});

const pct = (n: number, d: number) => (d > 0 ? (n / d) * 100 : null);

/**
 * Counts episodes whose quit date has come by `asOf`, by the outcome known on `asOf`: a recorded outcome
 * stands; none recorded is pending until day 42 and lost to follow-up after, as the return counts it.
 */
export function tallyOutcomes(
  episodes: readonly { quitDate: IsoDate; outcome: FourWeekOutcome | null }[],
  asOf: IsoDate,
): OutcomeTally {
  const t = emptyTally();
  for (const e of episodes) {
    if (!isIsoDate(e.quitDate) || daysBetween(e.quitDate, asOf) < 0) continue;
    const outcome = outcomeAsOf({ quitDate: e.quitDate, outcome: e.outcome ?? 'pending' }, asOf);
    t.quitDates++;
    if (countsAsQuit(outcome)) t.quits++;
    if (isCoVerified(outcome)) t.coVerified++;
    if (outcome === 'not_quit') t.notQuit++;
    if (outcome === 'lost_to_follow_up') t.lost++;
    if (outcome === 'pending') t.pending++;
  }
  t.quitRate = pct(t.quits, t.quitDates);
  t.coVerifiedShare = pct(t.coVerified, t.quits);
  return t;
}

/** Tallies per group (adviser, intervention type, setting), in the order the groups are first met. */
export function tallyBy<T extends { quitDate: IsoDate; outcome: FourWeekOutcome | null }>(
  episodes: readonly T[],
  groupOf: (e: T) => string,
  asOf: IsoDate,
): Map<string, OutcomeTally> {
  const groups = new Map<string, T[]>();
  for (const e of episodes) {
    const k = groupOf(e);
    groups.set(k, [...(groups.get(k) ?? []), e]);
  }
  return new Map([...groups].map(([k, es]) => [k, tallyOutcomes(es, asOf)]));
}
