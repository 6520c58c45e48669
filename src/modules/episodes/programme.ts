// The NCSCT Standard Treatment Programme and the code lists an adviser picks from while running it.
// Pure: dates in, sessions and plain-English errors out.

import {
  addDays,
  daysBetween,
  formatDate,
  isIsoDate,
  pluralDays,
  type IsoDate,
} from '../../platform/dates.ts';

export const SESSION_KINDS = [
  'pre_quit_assessment',
  'quit_date',
  'week_1',
  'week_2',
  'week_3',
  'four_week_follow_up',
] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

export type ScheduledSession = { number: number; kind: SessionKind; label: string; due: IsoDate };

/**
 * The six standard sessions. Sessions 3 to 5 are weekly because the programme gives weekly support for
 * at least the first four weeks; session 6 is due on day 28, the day the national four-week outcome is
 * due (it still counts from day 25 to day 42: see four-week-outcome.ts).
 */
export function standardSchedule(assessmentDate: IsoDate, quitDate: IsoDate): ScheduledSession[] {
  return [
    { number: 1, kind: 'pre_quit_assessment', label: 'Session 1: pre-quit assessment', due: assessmentDate },
    { number: 2, kind: 'quit_date', label: 'Session 2: quit date', due: quitDate },
    {
      number: 3,
      kind: 'week_1',
      label: 'Session 3: one week after the quit date',
      due: addDays(quitDate, 7),
    },
    {
      number: 4,
      kind: 'week_2',
      label: 'Session 4: two weeks after the quit date',
      due: addDays(quitDate, 14),
    },
    {
      number: 5,
      kind: 'week_3',
      label: 'Session 5: three weeks after the quit date',
      due: addDays(quitDate, 21),
    },
    {
      number: 6,
      kind: 'four_week_follow_up',
      label: 'Session 6: four-week follow-up',
      due: addDays(quitDate, 28),
    },
  ];
}

/** NHS Data Dictionary INTERVENTION SESSION TYPE (STOP SMOKING), from 2024/25. Codes 01 to 06 were retired. */
export const INTERVENTION_SESSION_TYPES = {
  '07': 'Group sessions, in person',
  '08': 'One-to-one, several sessions, in person',
  '09': 'One-to-one, several sessions, by telephone',
  '10': 'One-to-one, several sessions, by video or online',
  '11': 'Single session',
  '12': 'Group sessions, by video or online',
  '13': 'In person plus remote support',
  '14': 'App alone',
  '15': 'One-to-one support plus an app',
  '97': 'Other',
} as const;
/**
 * The codes in order. Use this, not Object.keys, to list them: JavaScript puts keys that look like whole
 * numbers ('10') before the others ('07'), so Object.keys would show 10 to 97 first and 07 to 09 last.
 */
export const INTERVENTION_SESSION_TYPE_CODES = [
  '07',
  '08',
  '09',
  '10',
  '11',
  '12',
  '13',
  '14',
  '15',
  '97',
] as const;
export type InterventionSessionType = keyof typeof INTERVENTION_SESSION_TYPES;

/**
 * Intervention settings: the published fallback list. (check) The current data set's setting codes could
 * not be confirmed, so these are keys of our own, not national codes: seed them into an editable table
 * and map them to the national codes when those are known.
 */
export const DEFAULT_SETTINGS = {
  community: 'Community',
  psychiatric: 'Mental health (psychiatric) service',
  hospital: 'Hospital',
  pharmacy: 'Pharmacy',
  dental: 'Dental practice',
  general_practice: 'GP practice',
  maternity: 'Maternity service',
  childrens_centre: "Children's centre",
  educational: 'School, college or university',
  prison: 'Prison',
  military: 'Military base',
  other: 'Other',
} as const;
export type Setting = keyof typeof DEFAULT_SETTINGS;

/** How one session was delivered (the episode's overall type is an INTERVENTION SESSION TYPE above). */
export const SESSION_MODES = {
  in_person: 'In person',
  telephone: 'By telephone',
  video: 'By video call',
  group: 'In a group',
} as const;
export type SessionMode = keyof typeof SESSION_MODES;

/**
 * Stop-smoking aids. (check) Like the settings, these are our keys, not the national aid codes. The Swap to
 * Stop kit is separate from other vapes because the return counts Swap to Stop on its own.
 */
export const AIDS = {
  combination_nrt: 'Combination NRT (a patch plus a short-acting form such as gum, spray or lozenge)',
  single_nrt: 'One type of NRT',
  varenicline: 'Varenicline',
  cytisine: 'Cytisine (cytisinicline)',
  bupropion: 'Bupropion',
  e_cigarette: 'E-cigarette (vape)',
  e_cigarette_swap_to_stop: 'E-cigarette from a Swap to Stop starter kit',
  none: 'No medicine or vape',
} as const;
export type Aid = keyof typeof AIDS;

/** How far ahead a quit date may be set unless the service chooses otherwise: six weeks. */
export const DEFAULT_MAX_DAYS_TO_QUIT_DATE = 42;

const daysOrWeeks = (days: number) =>
  days % 7 === 0 ? `${days / 7} ${days === 7 ? 'week' : 'weeks'}` : pluralDays(days);

/**
 * Errors for a proposed quit date. It cannot be before the referral (the episode is the support that
 * followed it), and it cannot be so far ahead that the person's motivation fades before the attempt: the
 * limit is a parameter because services set their own. A quit date in the recent past is allowed: the
 * adviser may record it after the session at which the person stopped.
 */
export function validateQuitDate({
  quitDate,
  referralDate,
  today,
  maxDaysAhead = DEFAULT_MAX_DAYS_TO_QUIT_DATE,
}: {
  quitDate: string;
  referralDate?: IsoDate | null;
  today: IsoDate;
  maxDaysAhead?: number;
}): string[] {
  if (!isIsoDate(quitDate)) return ['Enter the quit date as a real date'];
  const errors: string[] = [];
  if (referralDate && daysBetween(referralDate, quitDate) < 0) {
    errors.push(`The quit date cannot be before the referral date (${formatDate(referralDate, today)})`);
  }
  const latest = addDays(today, maxDaysAhead);
  if (daysBetween(latest, quitDate) > 0) {
    errors.push(
      `The quit date must be no more than ${daysOrWeeks(maxDaysAhead)} from today (${formatDate(latest, today)} at the latest)`,
    );
  }
  return errors;
}

export const CO_MIN_PPM = 0;
/** Monitors read higher, but a breath reading above about 100 ppm is implausible: treat it as a typing error. */
export const CO_MAX_PPM = 100;

/** Errors for a carbon monoxide reading: a whole number of parts per million from 0 to 100. */
export function validateCo(ppm: unknown): string[] {
  if (typeof ppm !== 'number' || !Number.isFinite(ppm) || ppm < CO_MIN_PPM || ppm > CO_MAX_PPM) {
    return [`CO reading must be between ${CO_MIN_PPM} and ${CO_MAX_PPM} ppm`];
  }
  // Monitors show whole numbers; a decimal means a mistyped reading, not a more precise one.
  if (!Number.isInteger(ppm))
    return [`CO reading must be a whole number between ${CO_MIN_PPM} and ${CO_MAX_PPM} ppm`];
  return [];
}
