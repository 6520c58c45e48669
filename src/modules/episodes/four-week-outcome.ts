// The four-week outcome: the national rule every stop smoking return is built on (docs/domain.md, Four-week
// outcome). Pure: the service loads the quit date and the follow-up, asks decideFourWeekOutcome, and stores
// or counts what it returns. Days are counted from the quit date, which is day 0.

import {
  addDays,
  daysBetween,
  formatDate,
  isIsoDate,
  pluralDays,
  type IsoDate,
} from '../../platform/dates.ts';
import { validateCo } from './programme.ts';

/** National definitions, not local choices: a service that changed them would no longer be comparable. */
export const FOUR_WEEK_RULE = {
  /** The follow-up counts from this day after the quit date... */
  windowOpensDay: 25,
  /** ...is due on this one... */
  dueDay: 28,
  /** ...and counts up to and including this one. After it, nobody followed up is lost to follow-up. */
  windowClosesDay: 42,
  /** Not a single puff from this day to dueDay: slips in the first two weeks do not undo a quit. */
  abstinenceFromDay: 15,
  /**
   * A CO reading strictly below this confirms the quit. A reading at or above it (exactly 10 included)
   * means the person is counted as not quit, whatever they said (the Russell Standard (clinical), as the
   * national stop smoking services monitoring applies it: see docs/clinical-safety.md, H82).
   */
  coVerifiedBelowPpm: 10,
} as const;

const R = FOUR_WEEK_RULE;

export const OUTCOMES = [
  'quit_co_verified',
  'quit_self_reported',
  'not_quit',
  'lost_to_follow_up',
  'pending',
] as const;
export type FourWeekOutcome = (typeof OUTCOMES)[number];

export const OUTCOME_LABELS: Record<FourWeekOutcome, string> = {
  quit_co_verified: 'Quit, confirmed by a carbon monoxide (CO) reading',
  quit_self_reported: 'Quit, by their own account (not confirmed by a CO reading)',
  not_quit: 'Not quit',
  lost_to_follow_up: 'Lost to follow-up (not reached by day 42)',
  pending: 'Waiting for the four-week follow-up',
};

/**
 * A quit counts in the return whether or not it was CO-verified: the return's "quit (self-reported)" count
 * includes every CO-verified quit, and the CO-verified count is a subset of it.
 */
export function countsAsQuit(outcome: FourWeekOutcome): boolean {
  return outcome === 'quit_co_verified' || outcome === 'quit_self_reported';
}

export function isCoVerified(outcome: FourWeekOutcome): boolean {
  return outcome === 'quit_co_verified';
}

export type FollowUpWindow = { opens: IsoDate; due: IsoDate; closes: IsoDate };

export function followUpWindow(quitDate: IsoDate): FollowUpWindow {
  return {
    opens: addDays(quitDate, R.windowOpensDay),
    due: addDays(quitDate, R.dueDay),
    closes: addDays(quitDate, R.windowClosesDay),
  };
}

/** A follow-up counts only from day 25 to day 42 after the quit date, both days included. */
export function isValidFollowUpDate(quitDate: IsoDate, contactDate: IsoDate): boolean {
  const day = daysBetween(quitDate, contactDate);
  return day >= R.windowOpensDay && day <= R.windowClosesDay;
}

export type FollowUp = {
  /** The day the adviser reached the person and asked. */
  date: IsoDate;
  /** Whether the person smoked at all, even a puff, from day 15 to day 28 after the quit date. */
  smokedDays15to28: boolean;
  /** A CO reading taken at this follow-up, if one was. */
  coPpm?: number | null;
};

export type OutcomeDecision = { outcome: FourWeekOutcome; reason: string };

/** Why a recorded follow-up cannot be used, or null when it counts. */
function whyFollowUpDoesNotCount(quitDate: IsoDate, date: string, today: IsoDate): string | null {
  if (!isIsoDate(date)) {
    return `The follow-up date recorded (${JSON.stringify(date)}) is not a real date, so it does not count.`;
  }
  const day = daysBetween(quitDate, date);
  const when = `${formatDate(date, quitDate)} (day ${day})`;
  const window = `the four-week follow-up counts from day ${R.windowOpensDay} to day ${R.windowClosesDay}`;
  // The window is checked first so that, once day 42 has passed, the reason no longer depends on today.
  if (day < R.windowOpensDay) return `The follow-up on ${when} was too early to count: ${window}.`;
  if (day > R.windowClosesDay) return `The follow-up on ${when} was too late to count: ${window}.`;
  // A contact cannot have happened yet: counting it would let a mistyped date decide the outcome early.
  if (daysBetween(today, date) > 0)
    return `The follow-up recorded for ${when} is in the future, so it does not count yet.`;
  return null;
}

function decideAtFollowUp(quitDate: IsoDate, followUp: FollowUp): OutcomeDecision {
  const at = `At the follow-up on ${formatDate(followUp.date, quitDate)} (day ${daysBetween(quitDate, followUp.date)})`;
  const period = `from day ${R.abstinenceFromDay} to day ${R.dueDay} after the quit date`;
  if (followUp.smokedDays15to28) {
    return {
      outcome: 'not_quit',
      reason: `${at} the person said they had smoked ${period}, so they have not quit at four weeks.`,
    };
  }
  const quit = `${at} the person said they had not had a single puff ${period}`;
  const co = followUp.coPpm;
  if (co === undefined || co === null) {
    return {
      outcome: 'quit_self_reported',
      reason: `${quit}. No CO reading was taken, so the quit is self-reported and not CO-verified.`,
    };
  }
  if (validateCo(co).length > 0) {
    return {
      outcome: 'quit_self_reported',
      reason: `${quit}. The CO reading recorded (${co}) is not a possible reading, so the quit is self-reported and not CO-verified.`,
    };
  }
  if (co < R.coVerifiedBelowPpm) {
    return {
      outcome: 'quit_co_verified',
      reason: `${quit}, and the CO reading was ${co} ppm, below ${R.coVerifiedBelowPpm} ppm, so the quit is CO-verified.`,
    };
  }
  // The national monitoring rule: a reading of 10 ppm or more at the four-week follow-up contradicts the
  // person's account, and the client is counted as not quit, not as a self-reported quit. A high reading
  // can have other causes (a faulty boiler, traffic, cannabis, someone else's smoke), so the reason says
  // so and the adviser talks it through; the count follows the reading.
  return {
    outcome: 'not_quit',
    reason:
      `${quit}, but the CO reading was ${co} ppm, which is ${R.coVerifiedBelowPpm} ppm or more. The national monitoring rule ` +
      `counts a reading of ${R.coVerifiedBelowPpm} ppm or more at the four-week follow-up as not quit, whatever the person said. ` +
      `A high reading can have other causes, such as a faulty boiler or someone else's smoke: talk it through with the person.`,
  };
}

/**
 * The four-week outcome as it stands on `today`. Dates in the reason carry a year only when it differs
 * from the quit date's, so a reason stored once the outcome is final reads the same whenever it is shown.
 * A follow-up that does not count (outside days 25 to 42, in the future, or not a real date) is treated
 * exactly as if there were none. Once day 42 has passed the outcome is final: it no longer changes however
 * late `today` is.
 */
export function decideFourWeekOutcome({
  quitDate,
  followUp,
  today,
}: {
  quitDate: IsoDate;
  followUp?: FollowUp | null;
  today: IsoDate;
}): OutcomeDecision {
  const notCounted = followUp ? whyFollowUpDoesNotCount(quitDate, followUp.date, today) : null;
  if (followUp && notCounted === null) return decideAtFollowUp(quitDate, followUp);

  const window = followUpWindow(quitDate);
  const note = notCounted ? `${notCounted} ` : '';
  if (daysBetween(window.closes, today) > 0) {
    return {
      outcome: 'lost_to_follow_up',
      reason:
        `${note}No valid follow-up was recorded by day ${R.windowClosesDay} (${formatDate(window.closes, quitDate)}), so the person ` +
        `is lost to follow-up. They still count among everyone who set a quit date.`,
    };
  }
  return {
    outcome: 'pending',
    reason: `${note}The four-week follow-up is due on ${formatDate(window.due, quitDate)} and counts from ${formatDate(window.opens, quitDate)} to ${formatDate(window.closes, quitDate)}.`,
  };
}

export type FollowUpPhase = 'before_window' | 'open' | 'closed';

export type FollowUpStatus = {
  phase: FollowUpPhase;
  /** Days from today until the window opens; 0 once it is open or closed. */
  daysUntilOpen: number;
  /** Days on which the outcome can still be recorded, today included while the window is open; 0 once closed. */
  daysLeft: number;
  message: string;
};

/** What the episode page says about the follow-up window on `today`. */
export function followUpStatus(quitDate: IsoDate, today: IsoDate): FollowUpStatus {
  const window = followUpWindow(quitDate);
  const windowLength = R.windowClosesDay - R.windowOpensDay + 1;
  const untilOpen = daysBetween(today, window.opens);
  if (untilOpen > 0) {
    const when = untilOpen === 1 ? 'tomorrow' : `in ${pluralDays(untilOpen)}`;
    return {
      phase: 'before_window',
      daysUntilOpen: untilOpen,
      daysLeft: windowLength,
      message: `The four-week follow-up window opens ${when} (${formatDate(window.opens, today)})`,
    };
  }
  const daysLeft = daysBetween(today, window.closes) + 1;
  if (daysLeft > 0) {
    return {
      phase: 'open',
      daysUntilOpen: 0,
      daysLeft,
      message:
        daysLeft === 1
          ? 'Today is the last day to record the four-week outcome'
          : `${pluralDays(daysLeft)} left to record the four-week outcome (the last day is ${formatDate(window.closes, today)})`,
    };
  }
  return {
    phase: 'closed',
    daysUntilOpen: 0,
    daysLeft: 0,
    message: `The follow-up window closed on ${formatDate(window.closes, today)}`,
  };
}

/** Errors for the date an adviser enters as the four-week follow-up contact. */
export function validateOutcomeEntry(quitDate: IsoDate, contactDate: string, today: IsoDate): string[] {
  if (!isIsoDate(contactDate)) return ['Enter the date of the follow-up contact as a real date'];
  const window = followUpWindow(quitDate);
  const errors: string[] = [];
  if (daysBetween(today, contactDate) > 0) errors.push('The follow-up date cannot be in the future');
  const day = daysBetween(quitDate, contactDate);
  if (day < R.windowOpensDay) {
    errors.push(
      `The follow-up date is too early: the follow-up counts from day ${R.windowOpensDay}, ${formatDate(window.opens, today)}`,
    );
  } else if (day > R.windowClosesDay) {
    errors.push(
      `The follow-up date is too late: the follow-up counts only up to day ${R.windowClosesDay}, ${formatDate(window.closes, today)}. ` +
        'After that the person is counted as lost to follow-up',
    );
  }
  return errors;
}
