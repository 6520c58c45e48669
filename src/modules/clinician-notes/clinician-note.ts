// A note back to the person's NHS Talking Therapies therapist or GP about their support to stop smoking.
// Pure: facts in, plain text out (no HTML); the route checks consent, saves the note and prints it.
// Only ever produced when the person has agreed that their progress may be shared with that clinician.

import { formatDate, type IsoDate } from '../../platform/dates.ts';
import { OUTCOME_LABELS, type FourWeekOutcome } from '../episodes/four-week-outcome.ts';
import { SMOKING_CHANGE_EVENTS, type SmokingChangeEvent } from '../medicines/medicines.ts';
import { describeMoodChange, type MoodScores } from '../mood/mood.ts';
import { DEFAULT_MOOD_THRESHOLDS, type MoodThresholds } from '../../config.ts';

export type NoteMedicineAlert = {
  /** The listed medicine's name, e.g. "Clozapine". */
  name: string;
  event: SmokingChangeEvent;
  direction: 'levels_may_rise' | 'levels_may_fall';
  raisedOn: IsoDate;
  acknowledged: boolean;
  /** When a letter to the prescriber was produced; null when none has been. */
  letterProducedOn: IsoDate | null;
};

export type ClinicianNoteInput = {
  person: { name: string; dateOfBirth?: IsoDate | null; nhsNumber?: string | null };
  clinician: { name: string; organisation?: string | null };
  service: { name: string; phone?: string | null; email?: string | null };
  adviser: { name: string };
  quitDate: IsoDate | null;
  sessions: { attended: number; missed: number };
  /** The national four-week outcome once it is known; null (or pending) before. */
  fourWeekOutcome: FourWeekOutcome | null;
  /** First and latest totals; a measure taken only once is null in `latest`. */
  mood: {
    baseline: MoodScores;
    latest: MoodScores;
    baselineOn?: IsoDate | null;
    latestOn?: IsoDate | null;
  } | null;
  medicineAlerts: readonly NoteMedicineAlert[];
  today: IsoDate;
  thresholds?: MoodThresholds;
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "Dr Ana Rees, Leeds NHS Talking Therapies": how the note is addressed and listed. */
export function clinicianRecipient(c: { name: string; organisation?: string | null }): string {
  return [c.name.trim(), c.organisation?.trim()].filter(Boolean).join(', ');
}

function scores(s: MoodScores): string {
  return [s.phq9 !== null ? `PHQ-9 ${s.phq9}` : null, s.gad7 !== null ? `GAD-7 ${s.gad7}` : null]
    .filter(Boolean)
    .join(', ');
}

function moodParagraph(input: ClinicianNoteInput): string[] {
  const m = input.mood;
  if (!m || (m.baseline.phq9 === null && m.baseline.gad7 === null)) {
    return ['Mood: no PHQ-9 or GAD-7 has been recorded with us.'];
  }
  const at = (d: IsoDate | null | undefined) => (d ? ` (${formatDate(d)})` : '');
  const lines = [`Mood: at the start of support${at(m.baselineOn)}: ${scores(m.baseline)}.`];
  if (m.latest.phq9 === null && m.latest.gad7 === null) {
    lines.push('There is not yet a second score to compare.');
    return lines;
  }
  lines.push(`Most recently${at(m.latestOn)}: ${scores(m.latest)}.`);
  lines.push(
    `What we told ${input.person.name}: ${describeMoodChange(m.baseline, m.latest, input.thresholds ?? DEFAULT_MOOD_THRESHOLDS)}`,
  );
  return lines;
}

function alertLine(a: NoteMedicineAlert): string {
  const direction = a.direction === 'levels_may_fall' ? 'levels may fall' : 'levels may rise';
  const state = [
    a.acknowledged ? 'acknowledged by the adviser' : 'not yet acknowledged',
    a.letterProducedOn
      ? `letter to the prescriber produced ${formatDate(a.letterProducedOn)}`
      : 'no letter to the prescriber yet',
  ].join('; ');
  return `- ${a.name}: ${direction} (${SMOKING_CHANGE_EVENTS[a.event].toLowerCase()}, ${formatDate(a.raisedOn)}); ${state}.`;
}

/** The note's text. Addressed to the clinician; written about the person, with their agreement. */
export function clinicianNote(input: ClinicianNoteInput): string {
  const { person, service } = input;
  const identity = [
    person.name,
    person.dateOfBirth ? `date of birth ${formatDate(person.dateOfBirth)}` : null,
    person.nhsNumber ? `NHS number ${person.nhsNumber}` : null,
  ]
    .filter(Boolean)
    .join(', ');

  const outcome =
    input.fourWeekOutcome && input.fourWeekOutcome !== 'pending'
      ? `Four-week outcome: ${OUTCOME_LABELS[input.fourWeekOutcome]}.`
      : input.quitDate
        ? 'Four-week outcome: not known yet.'
        : null;

  const medicines =
    input.medicineAlerts.length === 0
      ? [
          'Medicines: none of their recorded medicines is on our list of medicines affected by stopping smoking.',
        ]
      : [
          'Medicines affected by stopping smoking (chemicals in tobacco smoke change how the liver clears them; NRT and vapes do not):',
          ...input.medicineAlerts.map(alertLine),
        ];

  return [
    formatDate(input.today),
    '',
    `Dear ${input.clinician.name.trim()},`,
    '',
    identity,
    `Support to stop smoking from ${service.name}`,
    '',
    `${person.name} has agreed that we may tell you how their support to stop smoking is going.`,
    '',
    input.quitDate ? `Quit date: ${formatDate(input.quitDate)}.` : 'Quit date: not set yet.',
    `Sessions: ${plural(input.sessions.attended, 'session')} attended` +
      (input.sessions.missed > 0 ? `, ${plural(input.sessions.missed, 'session')} missed.` : '.'),
    ...(outcome ? [outcome] : []),
    '',
    ...moodParagraph(input),
    '',
    ...medicines,
    '',
    `Please contact us if you would like to discuss ${person.name}'s support.`,
    '',
    'Yours sincerely,',
    '',
    input.adviser.name,
    service.name,
    ...(service.phone ? [`Phone: ${service.phone}`] : []),
    ...(service.email ? [`Email: ${service.email}`] : []),
  ].join('\n');
}
