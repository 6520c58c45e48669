import type { AffectedMedicine } from './medicine.types.ts';

// The default list of medicines affected by stopping smoking: plain data, seeded into a table that
// administrators keep (/admin/medicines). Only codes not yet in the table are added at start-up, so an
// administrator's edits are never overwritten; migration 0017 brought the entries seeded before it up to
// date (brand names, the source's address and the day it was checked).
//
// Checked on 6 December 2026 against SPS's "Managing specific interactions with smoking", whose contents
// name agomelatine, amitriptyline, benperidol, chlorpromazine, clomipramine, clozapine, duloxetine,
// erlotinib, fluvoxamine, haloperidol, imipramine, melatonin, nortriptyline, olanzapine, riociguat,
// ropinirole, theophylline and warfarin among others, and SPS's summary of the clinically significant
// interactions (aminophylline, theophylline, clozapine, erlotinib, olanzapine and riociguat: the six marked
// "significant" here). Fluphenazine, flupentixol and zuclopenthixol are not on the SPS page; they are here
// because mental health prescribing guidance advises watching them when someone stops smoking, and their
// source says so. Medicines on the SPS page that SPS expects no routine action for (such as citalopram,
// the benzodiazepines and propranolol) are not on the list. No entry has been reviewed by a pharmacist
// (reviewedOn is null): the administrators' page flags each one until someone has.

export const SPS_SOURCE = 'SPS: Managing specific interactions with smoking';
export const SPS_SOURCE_URL = 'https://www.sps.nhs.uk/articles/managing-specific-interactions-with-smoking/';
/** The day the entries below were compared with their sources. */
export const SOURCES_CHECKED_ON = '2026-12-06';

const MENTAL_HEALTH_SOURCE =
  'Mental health prescribing guidance (for example the Maudsley Prescribing Guidelines): monitor and consider a lower dose. Not on the SPS page when checked';

const fromSps = {
  source: SPS_SOURCE,
  sourceUrl: SPS_SOURCE_URL,
  sourceCheckedOn: SOURCES_CHECKED_ON,
} as const;
const fromMentalHealthGuidance = {
  source: MENTAL_HEALTH_SOURCE,
  sourceUrl: null,
  sourceCheckedOn: SOURCES_CHECKED_ON,
} as const;

const review = (
  code: string,
  name: string,
  alsoKnownAs: readonly string[],
  sideEffects: string,
  from: Pick<AffectedMedicine, 'source' | 'sourceUrl' | 'sourceCheckedOn'> = fromSps,
): AffectedMedicine => ({
  code,
  name,
  alsoKnownAs,
  concern: 'review',
  advice:
    `${name} levels may rise after stopping smoking. A dose change is not usually needed at once, but watch for ` +
    `more side effects (such as ${sideEffects}) and review the dose if they appear.`,
  adviceOnRelapse: `${name} levels may fall now the person is smoking again. If the dose was lowered when they stopped, review it.`,
  ...from,
  reviewedOn: null,
});

const ANTIPSYCHOTIC_SIDE_EFFECTS = 'drowsiness, stiffness, tremor or restlessness';
const TRICYCLIC_SIDE_EFFECTS = 'drowsiness, dry mouth or dizziness';

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
    ...fromSps,
    reviewedOn: null,
  },
  {
    code: 'olanzapine',
    name: 'Olanzapine',
    alsoKnownAs: ['Zyprexa', 'ZypAdhera', 'Arkolamyl'],
    concern: 'significant',
    advice:
      'Olanzapine levels can rise within days of stopping smoking, with a risk of toxicity (for example sedation, ' +
      'dizziness or movement side effects). Please review the dose and consider checking levels.',
    adviceOnRelapse:
      'Olanzapine levels can fall when someone starts smoking again, especially if the dose was lowered when they ' +
      'stopped. Please review the dose.',
    ...fromSps,
    reviewedOn: null,
  },
  {
    code: 'theophylline',
    name: 'Theophylline',
    alsoKnownAs: ['Uniphyllin', 'Slo-Phyllin', 'Nuelin'],
    concern: 'significant',
    advice:
      'Theophylline has a narrow therapeutic range, and levels can rise within days of stopping smoking, with a risk ' +
      'of toxicity (for example nausea, palpitations, arrhythmias or seizures). Please review the dose and check a ' +
      'theophylline level about a week after stopping.',
    adviceOnRelapse:
      'Theophylline levels can fall when someone starts smoking again, so their asthma or COPD may be less well ' +
      'controlled. Please review the dose and consider a theophylline level.',
    ...fromSps,
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
    ...fromSps,
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
    ...fromSps,
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
    ...fromSps,
    reviewedOn: null,
  },
  review('fluvoxamine', 'Fluvoxamine', ['Faverin'], 'nausea, drowsiness or agitation'),
  review('duloxetine', 'Duloxetine', ['Cymbalta', 'Yentreve'], 'nausea, dizziness or drowsiness'),
  review('chlorpromazine', 'Chlorpromazine', ['Largactil'], 'drowsiness, dizziness or low blood pressure'),
  review('haloperidol', 'Haloperidol', ['Haldol', 'Serenace', 'Dozic'], ANTIPSYCHOTIC_SIDE_EFFECTS),
  review('amitriptyline', 'Amitriptyline', ['Triptafen'], TRICYCLIC_SIDE_EFFECTS),
  review('imipramine', 'Imipramine', ['Tofranil'], TRICYCLIC_SIDE_EFFECTS),
  review('agomelatine', 'Agomelatine', ['Valdoxan'], 'drowsiness, dizziness or nausea'),
  review('clomipramine', 'Clomipramine', ['Anafranil'], TRICYCLIC_SIDE_EFFECTS),
  review('nortriptyline', 'Nortriptyline', ['Allegron'], TRICYCLIC_SIDE_EFFECTS),
  review('benperidol', 'Benperidol', ['Anquil'], ANTIPSYCHOTIC_SIDE_EFFECTS),
  review(
    'fluphenazine',
    'Fluphenazine',
    ['Modecate', 'Moditen'],
    ANTIPSYCHOTIC_SIDE_EFFECTS,
    fromMentalHealthGuidance,
  ),
  review(
    'flupentixol',
    'Flupentixol',
    ['Depixol', 'Fluanxol', 'Psytixol'],
    ANTIPSYCHOTIC_SIDE_EFFECTS,
    fromMentalHealthGuidance,
  ),
  review(
    'zuclopenthixol',
    'Zuclopenthixol',
    ['Clopixol'],
    ANTIPSYCHOTIC_SIDE_EFFECTS,
    fromMentalHealthGuidance,
  ),
  {
    code: 'warfarin',
    name: 'Warfarin',
    alsoKnownAs: [],
    concern: 'review',
    advice:
      'Smoking speeds up the clearance of warfarin, so after stopping its effect may increase and the INR may rise. ' +
      'Please consider checking the INR more often in the weeks after the quit date and adjusting the dose if needed.',
    adviceOnRelapse:
      'Warfarin may be cleared faster now the person is smoking again, so the INR may fall. Please consider checking ' +
      'the INR more often, especially if the dose was lowered when they stopped.',
    ...fromSps,
    reviewedOn: null,
  },
  review('ropinirole', 'Ropinirole', ['Requip'], 'nausea, dizziness, drowsiness or hallucinations'),
  review('melatonin', 'Melatonin', ['Circadin', 'Slenyto'], 'drowsiness the next day or headache'),
];
