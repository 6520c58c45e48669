// Staff training in partner organisations: which courses count, when each needs renewing, whether a
// record is current on a day, and how trained staff are counted. Pure: no I/O. The SQL that counts at
// scale (workforce.repository.ts) follows these rules and is tested against them.

import { isIsoDate, type IsoDate } from '../../platform/dates.ts';

export const COURSES = {
  vba: 'Very Brief Advice',
  ncsct_practitioner: 'NCSCT practitioner training',
  ncsct_mental_health: 'NCSCT mental health specialty module',
} as const;
export type Course = keyof typeof COURSES;
export const COURSE_CODES = Object.keys(COURSES) as [Course, ...Course[]];

export const isCourse = (v: unknown): v is Course => typeof v === 'string' && v in COURSES;

/**
 * Years after completion when a course is due for renewal, used when the person recording it gives no
 * date of their own. There is no national expiry for these courses, so these are Mortar's defaults,
 * chosen to match common local practice (a local date, typed in, always wins):
 * - Very Brief Advice: every 2 years. It is a 30-minute e-learning module; refreshing it every two
 *   years keeps the Ask, Advise, Act wording and referral route current as services change.
 * - NCSCT practitioner training: every 3 years. It is long certified training; services usually ask
 *   practitioners to refresh it (or take the NCSCT update) about every three years.
 * - NCSCT mental health specialty module: every 3 years, in step with the practitioner training it
 *   builds on.
 */
export const DEFAULT_RENEWAL_YEARS: Readonly<Record<Course, number>> = {
  vba: 2,
  ncsct_practitioner: 3,
  ncsct_mental_health: 3,
};

/** Records due for renewal within this many days are shown as "due soon". */
export const DUE_SOON_DAYS = 90;

/**
 * The same date `years` later; 29 February becomes 28 February in a year without one. PostgreSQL's
 * `date + interval 'n years'` gives the same answer, which is what lets SQL count by this rule.
 */
export function addYears(d: IsoDate, years: number): IsoDate {
  if (!isIsoDate(d)) throw new RangeError(`Not a calendar date: ${JSON.stringify(d)}`);
  if (!Number.isInteger(years)) throw new RangeError(`Years must be a whole number: ${years}`);
  const y = Number(d.slice(0, 4)) + years;
  const m = Number(d.slice(5, 7));
  const day = Number(d.slice(8, 10));
  const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(day, lastDay)).padStart(2, '0')}`;
}

/** When training completed on a day is due for renewal when nobody said otherwise. */
export function defaultRenewalDate(course: Course, completedOn: IsoDate): IsoDate {
  return addYears(completedOn, DEFAULT_RENEWAL_YEARS[course]);
}

export type TrainingDates = { course: Course; completedOn: IsoDate; renewalDueOn: IsoDate | null };

/** The renewal date that applies: the one recorded, or the course's default. */
export function renewalDateOf(r: TrainingDates): IsoDate {
  return r.renewalDueOn ?? defaultRenewalDate(r.course, r.completedOn);
}

/**
 * Current on a day: completed on or before it, and its renewal not yet due. On the renewal date itself
 * the training is due, so it no longer counts: "renew by" means before that day.
 */
export function isCurrentOn(r: TrainingDates, day: IsoDate): boolean {
  return r.completedOn <= day && day < renewalDateOf(r);
}

export type TrainingState = 'not_yet' | 'current' | 'due_soon' | 'lapsed';

/** What a list tells the commissioner about one record on a day. */
export function trainingStateOn(r: TrainingDates, day: IsoDate, dueSoonDays = DUE_SOON_DAYS): TrainingState {
  if (r.completedOn > day) return 'not_yet';
  const due = renewalDateOf(r);
  if (day >= due) return 'lapsed';
  const soon = new Date(Date.parse(`${day}T00:00:00Z`) + dueSoonDays * 86_400_000).toISOString().slice(0, 10);
  return due <= soon ? 'due_soon' : 'current';
}

export const TRAINING_STATE_LABELS: Record<TrainingState, { text: string; colour: string }> = {
  not_yet: { text: 'Not yet completed', colour: 'grey' },
  current: { text: 'Current', colour: 'green' },
  due_soon: { text: 'Renewal due soon', colour: 'yellow' },
  lapsed: { text: 'Renewal overdue', colour: 'red' },
};

/**
 * One person, however their name was typed: surrounding spaces dropped, runs of spaces made one, and
 * letter case ignored. Two records for "Sam  Jones" and "sam jones" at one partner are one person.
 * Stored with each record (training_records.staff_key) so SQL counts by exactly this rule.
 */
export function staffKey(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

export type CountableRecord = TrainingDates & { partnerId: string; staffName: string };

/**
 * Distinct members of staff with current training in `course` on `day`: a person with two current
 * records of one course counts once; the same name at two partners is two people (two jobs, two
 * organisations' workforce).
 */
export function countTrainedStaff(records: readonly CountableRecord[], course: Course, day: IsoDate): number {
  const people = new Set<string>();
  for (const r of records) {
    if (r.course === course && isCurrentOn(r, day))
      people.add(`${r.partnerId}\u0000${staffKey(r.staffName)}`);
  }
  return people.size;
}

/** Distinct members of staff with any current training on `day`, per partner. */
export function trainedStaffByPartner(
  records: readonly CountableRecord[],
  day: IsoDate,
): Map<string, number> {
  const people = new Map<string, Set<string>>();
  for (const r of records) {
    if (!isCurrentOn(r, day)) continue;
    const set = people.get(r.partnerId) ?? new Set<string>();
    set.add(staffKey(r.staffName));
    people.set(r.partnerId, set);
  }
  return new Map([...people].map(([id, s]) => [id, s.size]));
}
