// Medicines whose blood levels change when someone stops (or restarts) smoking, and the alerts and
// letters that route the change to the prescriber (DOMAIN.md §6). Chemicals in tobacco smoke, not nicotine,
// induce the liver enzyme CYP1A2; stopping removes the induction within days, so levels of medicines it
// clears rise, and a relapse brings it back, so they fall. NRT and vapes do not induce CYP1A2.
//
// DEFAULT_AFFECTED_MEDICINES is plain data: it is seeded into a table an administrator edits, and every
// rule below takes the list as a parameter so the edited list, not this default, is what runs.

import { formatDate, type IsoDate } from './dates.ts';

export const MEDICINE_CONCERNS = {
  significant: 'Clinically significant',
  review: 'Review advised',
} as const;
export type MedicineConcern = keyof typeof MEDICINE_CONCERNS;

export type AffectedMedicine = {
  code: string;
  name: string;
  /** UK brand names, matched as well as the generic name when a person's medicines are checked. */
  alsoKnownAs: readonly string[];
  concern: MedicineConcern;
  /** For the prescriber, when the person stops smoking. */
  advice: string;
  /** For the prescriber, when the person starts smoking again. */
  adviceOnRelapse: string;
  source: string;
  /** When a pharmacist last checked the entry against the source; null until someone has. */
  reviewedOn: IsoDate | null;
};

export const SPS_SOURCE = 'SPS: Managing specific interactions with smoking';

const review = (
  code: string,
  name: string,
  alsoKnownAs: readonly string[],
  sideEffects: string,
): AffectedMedicine => ({
  code,
  name,
  alsoKnownAs,
  concern: 'review',
  advice:
    `${name} levels may rise after stopping smoking. A dose change is not usually needed at once, but watch for ` +
    `more side effects (such as ${sideEffects}) and review the dose if they appear.`,
  adviceOnRelapse: `${name} levels may fall now the person is smoking again. If the dose was lowered when they stopped, review it.`,
  source: SPS_SOURCE,
  reviewedOn: null,
});

/**
 * The default list, written from DOMAIN.md §6 and SPS's guidance. reviewedOn is null on every entry: a
 * pharmacist must check each one against the current SPS page before the list is relied on.
 */
export const DEFAULT_AFFECTED_MEDICINES: readonly AffectedMedicine[] = [
  {
    code: 'clozapine',
    name: 'Clozapine',
    alsoKnownAs: ['Clozaril', 'Denzapine', 'Zaponex'],
    concern: 'significant',
    advice:
      'Clozapine levels can rise within days of stopping smoking, with a risk of toxicity (for example sedation, ' +
      'hypersalivation, tachycardia, hypotension or seizures). Please review the dose, and check a clozapine level ' +
      'before the quit date and about a week after stopping.',
    adviceOnRelapse:
      'Clozapine levels can fall when someone starts smoking again, with a risk of their symptoms returning, ' +
      'especially if the dose was lowered when they stopped. Please review the dose and consider a clozapine level.',
    source: SPS_SOURCE,
    reviewedOn: null,
  },
  {
    code: 'olanzapine',
    name: 'Olanzapine',
    alsoKnownAs: ['Zyprexa'],
    concern: 'significant',
    advice:
      'Olanzapine levels can rise within days of stopping smoking, with a risk of toxicity (for example sedation, ' +
      'dizziness or movement side effects). Please review the dose and consider checking levels.',
    adviceOnRelapse:
      'Olanzapine levels can fall when someone starts smoking again, especially if the dose was lowered when they ' +
      'stopped. Please review the dose.',
    source: SPS_SOURCE,
    reviewedOn: null,
  },
  {
    code: 'theophylline',
    name: 'Theophylline',
    alsoKnownAs: ['Uniphyllin', 'Slo-Phyllin'],
    concern: 'significant',
    advice:
      'Theophylline has a narrow therapeutic range, and levels can rise within days of stopping smoking, with a risk ' +
      'of toxicity (for example nausea, palpitations, arrhythmias or seizures). Please review the dose and check a ' +
      'theophylline level about a week after stopping.',
    adviceOnRelapse:
      'Theophylline levels can fall when someone starts smoking again, so their asthma or COPD may be less well ' +
      'controlled. Please review the dose and consider a theophylline level.',
    source: SPS_SOURCE,
    reviewedOn: null,
  },
  {
    code: 'aminophylline',
    name: 'Aminophylline',
    alsoKnownAs: ['Phyllocontin'],
    concern: 'significant',
    advice:
      'Aminophylline is a form of theophylline, which has a narrow therapeutic range; levels can rise within days of ' +
      'stopping smoking, with a risk of toxicity (for example nausea, palpitations, arrhythmias or seizures). Please ' +
      'review the dose and check a theophylline level about a week after stopping.',
    adviceOnRelapse:
      'Theophylline levels can fall when someone starts smoking again, so their asthma or COPD may be less well ' +
      'controlled. Please review the dose and consider a theophylline level.',
    source: SPS_SOURCE,
    reviewedOn: null,
  },
  {
    code: 'erlotinib',
    name: 'Erlotinib',
    alsoKnownAs: ['Tarceva'],
    concern: 'significant',
    advice:
      'Smoking lowers erlotinib exposure, and people who smoke may have been prescribed a higher dose. When they ' +
      'stop, exposure rises and side effects may increase. Please ask the prescribing oncology team to review the dose.',
    adviceOnRelapse:
      'Erlotinib exposure falls when someone smokes, so it may work less well. Please ask the prescribing oncology ' +
      'team to review the dose.',
    source: SPS_SOURCE,
    reviewedOn: null,
  },
  {
    code: 'riociguat',
    name: 'Riociguat',
    alsoKnownAs: ['Adempas'],
    concern: 'significant',
    advice:
      'Smoking lowers riociguat levels, and people who smoke may have been prescribed a higher dose. When they stop, ' +
      'levels rise, with a risk of low blood pressure. Please ask the prescribing specialist team to review the dose.',
    adviceOnRelapse:
      'Riociguat levels fall when someone smokes, so it may work less well. Please ask the prescribing specialist ' +
      'team to review the dose.',
    source: SPS_SOURCE,
    reviewedOn: null,
  },
  review('fluvoxamine', 'Fluvoxamine', ['Faverin'], 'nausea, drowsiness or agitation'),
  review('duloxetine', 'Duloxetine', ['Cymbalta', 'Yentreve'], 'nausea, dizziness or drowsiness'),
  review('chlorpromazine', 'Chlorpromazine', ['Largactil'], 'drowsiness, dizziness or low blood pressure'),
  review('haloperidol', 'Haloperidol', ['Haldol'], 'drowsiness, stiffness, tremor or restlessness'),
  review('amitriptyline', 'Amitriptyline', [], 'drowsiness, dry mouth or dizziness'),
  review('imipramine', 'Imipramine', [], 'drowsiness, dry mouth or dizziness'),
  review('agomelatine', 'Agomelatine', ['Valdoxan'], 'drowsiness, dizziness or nausea'),
];

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

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const mentions = (text: string, term: string) =>
  new RegExp(`(^|[^a-z])${escapeRegExp(term.toLowerCase())}($|[^a-z])`).test(text.toLowerCase());

export type MatchedMedicine = { medicine: AffectedMedicine; recordedAs: string[] };

/**
 * The listed medicines the person takes, in list order, each once. A free-text name matches when it
 * contains the generic or a brand name as a whole word, so "Clozapine 25mg tablets" matches and
 * "Clozapine" does not match inside another word.
 */
export function matchMedicines(
  medicines: readonly PersonMedicine[],
  list: readonly AffectedMedicine[] = DEFAULT_AFFECTED_MEDICINES,
): MatchedMedicine[] {
  const matched: MatchedMedicine[] = [];
  for (const entry of list) {
    const terms = [entry.name, entry.code, ...entry.alsoKnownAs];
    const recordedAs = medicines
      .filter((m) =>
        typeof m === 'string'
          ? terms.some((t) => mentions(m, t))
          : m.code === entry.code || terms.some((t) => mentions(m.name, t)),
      )
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
    `This advice comes from ${medicine.source}${reviewed}. Decisions about the dose are yours; please contact us if ` +
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
