// Medicines whose blood levels change when someone stops (or restarts) smoking, and the alerts and
// letters that route the change to the prescriber (docs/domain.md, Medicines affected by stopping smoking).
// Chemicals in tobacco smoke, not nicotine, induce the liver enzyme CYP1A2; stopping removes the induction
// within days, so levels of medicines it clears rise, and a relapse brings it back, so they fall. NRT and
// vapes do not induce CYP1A2.
//
// DEFAULT_AFFECTED_MEDICINES (medicines.defaults.ts) is plain data: it is seeded into a table an
// administrator edits, and every rule below takes the list as a parameter so the edited list, not this
// default, is what runs. Names are recognised by medicine-names.ts, not by exact spelling.

import { formatDate, type IsoDate } from '../../platform/dates.ts';
import type { AffectedMedicine, MedicineConcern } from './medicine.types.ts';
import { DEFAULT_AFFECTED_MEDICINES } from './medicines.defaults.ts';
import { listedCodes, medicineVocabulary, recogniseMedicineName } from './medicine-names.ts';

export { DEFAULT_AFFECTED_MEDICINES, SPS_SOURCE } from './medicines.defaults.ts';
export { MEDICINE_CONCERNS, type AffectedMedicine, type MedicineConcern } from './medicine.types.ts';

export const SMOKING_CHANGE_EVENTS = {
  quit_date_set: 'Quit date set',
  switched_to_nrt_or_vape: 'Switched from smoking to NRT or a vape',
  relapse: 'Started smoking again',
} as const;
export type SmokingChangeEvent = keyof typeof SMOKING_CHANGE_EVENTS;

export type LevelDirection = 'levels may rise' | 'levels may fall';

/**
 * NRT and vapes do not induce CYP1A2, so swapping cigarettes for them is, for these medicines, the same as
 * stopping: levels rise. Only going back to tobacco makes them fall.
 */
export function directionFor(event: SmokingChangeEvent): LevelDirection {
  return event === 'relapse' ? 'levels may fall' : 'levels may rise';
}

/** A medicine as recorded for the person: a free-text name ("Clozapine 100mg tablets"), or a code and name. */
export type PersonMedicine = string | { code?: string | null; name: string };

export type MatchedMedicine = { medicine: AffectedMedicine; recordedAs: string[] };

/**
 * The listed medicines the person takes, in list order, each once. A coded medicine matches its entry;
 * a name matches when medicine-names.ts recognises it (generic or brand name, with strengths, forms and
 * salts around it, or a near spelling that is closer to this entry than to any other medicine).
 */
export function matchMedicines(
  medicines: readonly PersonMedicine[],
  list: readonly AffectedMedicine[] = DEFAULT_AFFECTED_MEDICINES,
): MatchedMedicine[] {
  const vocabulary = medicineVocabulary(list);
  const codesOf = medicines.map((m) => {
    const codes = new Set(listedCodes(recogniseMedicineName(typeof m === 'string' ? m : m.name, vocabulary)));
    if (typeof m !== 'string' && m.code) codes.add(m.code);
    return codes;
  });
  const matched: MatchedMedicine[] = [];
  for (const entry of list) {
    const recordedAs = medicines
      .filter((_, i) => codesOf[i]!.has(entry.code))
      .map((m) => (typeof m === 'string' ? m : m.name));
    if (recordedAs.length > 0) matched.push({ medicine: entry, recordedAs });
  }
  return matched;
}

export type MedicineAlert = {
  code: string;
  name: string;
  concern: MedicineConcern;
  direction: LevelDirection;
  recordedAs: string[];
  /** What the adviser reads and should do. */
  text: string;
  /** What the prescriber is asked to consider; the letter carries it. */
  prescriberAdvice: string;
};

function alertText(event: SmokingChangeEvent, m: AffectedMedicine): string {
  const significant = m.concern === 'significant';
  if (event === 'relapse') {
    return (
      `${m.name}: levels may fall now the person is smoking again. ` +
      (significant
        ? 'This is clinically significant: contact the prescriber promptly, because a dose lowered when they stopped may now be too low.'
        : 'Let the prescriber know so they can review the dose.')
    );
  }
  const why =
    event === 'switched_to_nrt_or_vape'
      ? 'NRT and vapes do not have the effect tobacco smoke has on this medicine, so switching to them counts as stopping smoking: '
      : '';
  return (
    `${m.name}: ${why}levels may rise within days of stopping smoking. ` +
    (significant
      ? 'This is clinically significant: contact the prescriber before the quit date, send them the letter, and ask the person to report drowsiness or feeling unwell.'
      : 'Let the prescriber know, and ask the person to report any new or stronger side effects.')
  );
}

/** Alerts for a change in smoking, clinically significant medicines first. */
export function alertsFor(
  event: SmokingChangeEvent,
  medicines: readonly PersonMedicine[],
  list: readonly AffectedMedicine[] = DEFAULT_AFFECTED_MEDICINES,
): MedicineAlert[] {
  const matched = matchMedicines(medicines, list);
  const ordered = [
    ...matched.filter((x) => x.medicine.concern === 'significant'),
    ...matched.filter((x) => x.medicine.concern !== 'significant'),
  ];
  return ordered.map(({ medicine: m, recordedAs }) => ({
    code: m.code,
    name: m.name,
    concern: m.concern,
    direction: directionFor(event),
    recordedAs,
    text: alertText(event, m),
    prescriberAdvice: event === 'relapse' ? m.adviceOnRelapse : m.advice,
  }));
}

export type LetterInput = {
  person: { name: string; dateOfBirth?: IsoDate | null; nhsNumber?: string | null };
  medicine: AffectedMedicine;
  event: SmokingChangeEvent;
  quitDate: IsoDate;
  service: { name: string; phone?: string | null; email?: string | null };
  adviser: { name: string; role?: string | null };
  /** The GP or psychiatrist, when known; otherwise the letter is addressed to "prescriber". */
  prescriberName?: string | null;
  today: IsoDate;
};

const formatNhsNumber = (n: string) => {
  const digits = n.replace(/\D/g, '');
  return digits.length === 10 ? `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}` : n;
};

/** The body of a letter to the prescriber, in plain text (no HTML): the caller adds letterhead and sends it. */
export function prescriberLetter({
  person,
  medicine,
  event,
  quitDate,
  service,
  adviser,
  prescriberName,
  today,
}: LetterInput): string {
  const drug = medicine.name.toLowerCase();
  const identity = [
    person.name,
    person.dateOfBirth ? `date of birth ${formatDate(person.dateOfBirth)}` : null,
    person.nhsNumber ? `NHS number ${formatNhsNumber(person.nhsNumber)}` : null,
  ]
    .filter(Boolean)
    .join(', ');
  const quit = formatDate(quitDate);
  const relapse = event === 'relapse';

  const subject = relapse
    ? `Starting smoking again: ${drug} levels may fall`
    : `Stopping smoking: ${drug} levels may rise`;
  const situation = {
    quit_date_set: `${person.name} is getting support to stop smoking from ${service.name}. Their quit date is ${quit}.`,
    switched_to_nrt_or_vape:
      `${person.name} is getting support to stop smoking from ${service.name} and has switched from smoking to ` +
      `nicotine replacement therapy or a vape (quit date ${quit}).`,
    relapse: `${person.name} had support to stop smoking from ${service.name} from ${quit}, and has told us that they have started smoking again.`,
  }[event];
  const mechanism = relapse
    ? `Chemicals in tobacco smoke (not nicotine) induce the liver enzyme CYP1A2, which metabolises ${drug}. Now that ` +
      `${person.name} is smoking again, the enzyme will be induced again and ${drug} levels may fall.`
    : `Chemicals in tobacco smoke (not nicotine) induce the liver enzyme CYP1A2, which metabolises ${drug}. When ` +
      `someone stops smoking, the induction wears off and ${drug} levels may rise within days. Nicotine replacement ` +
      'therapy and vapes do not induce CYP1A2, so using them instead of smoking counts as stopping.';
  const reviewed = medicine.reviewedOn ? ` (checked on ${formatDate(medicine.reviewedOn)})` : '';
  const where = medicine.sourceUrl ? `, ${medicine.sourceUrl}` : '';
  const contact = [
    service.phone ? `Phone: ${service.phone}` : null,
    service.email ? `Email: ${service.email}` : null,
  ];

  return [
    formatDate(today),
    '',
    `Dear ${prescriberName?.trim() || 'prescriber'},`,
    '',
    identity,
    subject,
    '',
    `${situation} Their current medicines include ${drug}.`,
    '',
    mechanism,
    '',
    relapse ? medicine.adviceOnRelapse : medicine.advice,
    '',
    `This advice comes from ${medicine.source}${where}${reviewed}. Decisions about the dose are yours; please contact us if ` +
      `you would like to discuss ${person.name}'s support to stop smoking.`,
    '',
    'Yours sincerely,',
    '',
    adviser.name,
    ...(adviser.role ? [adviser.role] : []),
    service.name,
    ...contact.filter((c): c is string => c !== null),
  ].join('\n');
}
