// The clinical codes Mortar uses: SNOMED CT concepts and LOINC codes, each with where it was checked.
// Mortar has no terminology server, so every concept here was looked up by hand in a published source
// (NHS Digital's primary care domain refsets as OpenCodelists publishes them, HL7 implementation guides,
// the US value set authority's published value sets). A concept that could not be confirmed is not
// given a code: it is listed in `unconfirmedConcepts` instead, so no screen or message offers a guess
// for a GP record. docs/clinical-codes.md says what was checked and how. Pure, imports nothing, so
// other modules can copy this one file unchanged (keep exports stable: add, do not rename).

export const SNOMED_CT_SYSTEM = 'http://snomed.info/sct';
export const LOINC_SYSTEM = 'http://loinc.org';
/** The day the concepts below were last checked against their sources. */
export const CODES_CHECKED_ON = '2026-12-07';

export type SnomedConcept = {
  /** The SCTID, as text: some are longer than a JavaScript number holds exactly. */
  code: string;
  /** The preferred term in UK English, what a GP system shows. */
  display: string;
  /** The fully specified name's semantic tag: finding, procedure, disorder, observable entity... */
  semanticTag: string;
  /** Active in the release the source was built from. */
  active: boolean;
  /** International concepts have 00 in the partition; the UK extension's have 10 (namespace 1000000). */
  edition: 'international' | 'uk';
  /** Where the id, term and status were checked: a page or file anyone can open. */
  source: string;
  /**
   * How strong that check is. 'published': listed in a published value set, refset or implementation
   * guide. 'gp-records': seen only in public code that queries real UK GP records by this id and term
   * (so in use, but not checked against a release). 'public-code': seen only in public examples and
   * research code. docs/clinical-codes.md says which, and what should be checked before wider use.
   */
  evidence: 'published' | 'gp-records' | 'public-code';
};

export type LoincCode = {
  code: string;
  display: string;
  source: string;
};

export type UnconfirmedConcept = {
  /** What Mortar would record, in words. */
  meaning: string;
  /** What was searched and why no code is given. */
  note: string;
};

const PHARM_COD =
  'https://www.opencodelists.org/codelist/nhsd-primary-care-domain-refsets/smoking-pharmacotherapy-codes/20241205/';
const IPS_SMOKING_STATUS =
  'https://github.com/HL7/fhir-ips/blob/master/input/fsh/valuesets/CurrentSmokingStatusUvIps.fsh';
const VSAC_TOBACCO_CESSATION_COUNSELING =
  'https://build.fhir.org/ig/OHSUCMP/htnu18ig/ValueSet-2.16.840.1.113883.3.526.3.509.html';
const ANS_SMOKING_COMPREHENSIVE =
  'https://ansforge.github.io/IG-FHIR-EDS-SOCLE-COMMUN/ValueSet-EDSSmokingStatusComprehensive.html';
const NHSD_SMOKINGINT =
  'NHS Digital primary care domain refset SMOKINGINT_COD (smoking cessation intervention), as queried in public SMI register code (docs/clinical-codes.md)';
const EMIS_RISK_FACTORS =
  'Public code that reads UK GP (EMIS) records by concept id and term: SMOKING CESSATION REFUSED (docs/clinical-codes.md)';
const BSER_QUIT_DATE =
  'https://github.com/HL7/bser/blob/master/input/fsh/instances/observation-BSeR-TobaccoUseCessationFeedbackObs-1-eve-everywoman.fsh';
const QOF_V39_SMOK_COD =
  'https://digital.nhs.uk/data-and-information/data-collections-and-data-sets/data-collections/quality-and-outcomes-framework-qof/quality-and-outcome-framework-qof-business-rules/quality-and-outcomes-framework-qof-business-rule-v39-2018-2019-baseline-release (SNOMED cluster list, Smoking habit codes)';

/** SNOMED CT concepts, by the name Mortar's code uses for them. */
export const snomed = {
  smoker: {
    code: '77176002',
    display: 'Smoker',
    semanticTag: 'finding',
    active: true,
    edition: 'international',
    source: IPS_SMOKING_STATUS,
    evidence: 'published',
  },
  exSmoker: {
    code: '8517006',
    display: 'Ex-smoker',
    semanticTag: 'finding',
    active: true,
    edition: 'international',
    source: IPS_SMOKING_STATUS,
    evidence: 'published',
  },
  neverSmokedTobacco: {
    code: '266919005',
    display: 'Never smoked tobacco',
    semanticTag: 'finding',
    active: true,
    edition: 'international',
    source: IPS_SMOKING_STATUS,
    evidence: 'published',
  },
  electronicCigaretteUser: {
    code: '722499006',
    display: 'Electronic cigarette user',
    semanticTag: 'finding',
    active: true,
    edition: 'international',
    source: ANS_SMOKING_COMPREHENSIVE,
    evidence: 'published',
  },
  referralToStopSmokingClinic: {
    code: '315232003',
    display: 'Referral to stop-smoking clinic',
    semanticTag: 'procedure',
    active: true,
    edition: 'international',
    source: VSAC_TOBACCO_CESSATION_COUNSELING,
    evidence: 'published',
  },
  referralToSmokingCessationAdvisor: {
    code: '395700008',
    display: 'Referral to smoking cessation advisor',
    semanticTag: 'procedure',
    active: true,
    edition: 'international',
    source: VSAC_TOBACCO_CESSATION_COUNSELING,
    evidence: 'published',
  },
  referralToSmokingCessationService: {
    code: '871661000000106',
    display: 'Referral to smoking cessation service',
    semanticTag: 'procedure',
    active: true,
    edition: 'uk',
    source: NHSD_SMOKINGINT,
    evidence: 'gp-records',
  },
  referralToSmokingCessationServiceDeclined: {
    code: '871641000000105',
    display: 'Referral for smoking cessation service declined',
    semanticTag: 'situation',
    active: true,
    edition: 'uk',
    source: NHSD_SMOKINGINT,
    evidence: 'gp-records',
  },
  smokingCessationProgrammeDeclined: {
    code: '1087441000000106',
    display: 'Smoking cessation programme declined',
    semanticTag: 'situation',
    active: true,
    edition: 'uk',
    source: NHSD_SMOKINGINT,
    evidence: 'gp-records',
  },
  expiredCarbonMonoxideConcentration: {
    code: '251900003',
    display: 'Expired carbon monoxide concentration',
    semanticTag: 'observable entity',
    active: true,
    edition: 'international',
    source:
      'Public code that reads UK maternity and GP records (breath CO in ppm, 4 or more a smoker) and the Open mHealth breath carbon monoxide schema',
    evidence: 'gp-records',
  },
  depressiveDisorder: {
    code: '35489007',
    display: 'Depressive disorder',
    semanticTag: 'disorder',
    active: true,
    edition: 'international',
    source: 'To be confirmed in a UK source: seen only in public code (HL7 examples, research code lists)',
    evidence: 'public-code',
  },
  anxietyDisorder: {
    code: '197480006',
    display: 'Anxiety disorder',
    semanticTag: 'disorder',
    active: true,
    edition: 'international',
    source: 'To be confirmed in a UK source: seen only in public code (HL7 examples, research code lists)',
    evidence: 'public-code',
  },
  vareniclineTherapy: {
    code: '719591006',
    display: 'Varenicline therapy',
    semanticTag: 'procedure',
    active: true,
    edition: 'international',
    source: PHARM_COD,
    evidence: 'published',
  },
  bupropionTherapy: {
    code: '719509001',
    display: 'Bupropion therapy',
    semanticTag: 'procedure',
    active: true,
    edition: 'international',
    source: PHARM_COD,
    evidence: 'published',
  },
  nicotineReplacementTherapy: {
    code: '151159008',
    display: 'Nicotine replacement therapy',
    semanticTag: 'procedure',
    active: true,
    edition: 'international',
    source: PHARM_COD,
    evidence: 'published',
  },
  smokingCessationEducation: {
    code: '225323000',
    display: 'Smoking cessation education',
    semanticTag: 'procedure',
    active: true,
    edition: 'international',
    source: VSAC_TOBACCO_CESSATION_COUNSELING,
    evidence: 'published',
  },
  negotiatedDateForCessationOfSmoking: {
    code: '390901002',
    display: 'Negotiated date for cessation of smoking',
    semanticTag: 'observable entity',
    active: true,
    edition: 'international',
    source: BSER_QUIT_DATE,
    evidence: 'published',
  },
  smokingStatusAtFourWeeks: {
    code: '390902009',
    display: 'Smoking status at 4 weeks',
    semanticTag: 'observable entity',
    active: true,
    edition: 'international',
    source: QOF_V39_SMOK_COD,
    evidence: 'published',
  },
  smokingCessationDrugTherapyDeclined: {
    code: '822591000000108',
    display: 'Smoking cessation drug therapy declined',
    semanticTag: 'situation',
    active: true,
    edition: 'uk',
    source: EMIS_RISK_FACTORS,
    evidence: 'gp-records',
  },
} as const satisfies Record<string, SnomedConcept>;

export type SnomedKey = keyof typeof snomed;

/** LOINC codes for the questionnaires and the smoking status observation. */
export const loinc = {
  tobaccoSmokingStatus: {
    code: '72166-2',
    display: 'Tobacco smoking status',
    source: 'https://loinc.org/72166-2/',
  },
  phq9Panel: {
    code: '44249-1',
    display: 'PHQ-9 quick depression assessment panel [Reported.PHQ]',
    source: 'https://loinc.org/44249-1/',
  },
  phq9Total: {
    code: '44261-6',
    display: 'Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]',
    source: 'https://loinc.org/44261-6/',
  },
  gad7Panel: {
    code: '69737-5',
    display: 'Generalized anxiety disorder 7 item (GAD-7)',
    source: 'https://loinc.org/69737-5/',
  },
  gad7Total: {
    code: '70274-6',
    display: 'Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]',
    source: 'https://loinc.org/70274-6/',
  },
} as const satisfies Record<string, LoincCode>;

export type LoincKey = keyof typeof loinc;

/**
 * What Mortar would like to code but could not confirm a concept for. Nothing offers these as codes:
 * the referrer is told to record them in their own words.
 */
export const unconfirmedConcepts = {
  veryBriefAdviceGiven: {
    meaning: 'Very Brief Advice on smoking given',
    note: 'A UK concept for Very Brief Advice (said to be in the SMOKADV_COD refset) was found only in an unpublished note, not in a published refset, so it is not used. Mortar offers Smoking cessation education (225323000) instead.',
  },
  quitDateSet: {
    meaning: 'Quit date set',
    note: 'No UK concept for setting a quit date was found. Mortar offers Negotiated date for cessation of smoking (390901002) with the date as its value.',
  },
  fourWeekQuitSelfReported: {
    meaning: 'Stopped smoking at four weeks, self-reported',
    note: 'No concept for a self-reported four-week quit was found. Mortar offers Smoking status at 4 weeks (390902009) with Ex-smoker (8517006) as its value.',
  },
  fourWeekQuitCoVerified: {
    meaning: 'Stopped smoking at four weeks, confirmed by carbon monoxide reading',
    note: 'No concept for a CO-verified four-week quit was found. Mortar offers Smoking status at 4 weeks with Ex-smoker, and the reading as Expired carbon monoxide concentration (251900003).',
  },
  fourWeekNotQuit: {
    meaning: 'Not stopped smoking at four weeks',
    note: 'No concept of its own was found. Mortar offers Smoking status at 4 weeks (390902009) with Smoker (77176002) as its value.',
  },
  fourWeekLostToFollowUp: {
    meaning: 'Lost to follow-up at four weeks',
    note: 'Read code 13p8. (Lost to smoking cessation follow-up) exists, but no SNOMED CT id for it was confirmed, so no code is offered.',
  },
  treatmentDeclined: {
    meaning: 'Stop smoking treatment declined',
    note: 'Smoking cessation drug therapy declined (822591000000108) was seen only in code that reads GP records, and Mortar records no decline of treatment as a step, so it is not offered.',
  },
} as const satisfies Record<string, UnconfirmedConcept>;

export type UnconfirmedKey = keyof typeof unconfirmedConcepts;

/** A FHIR Coding for a SNOMED CT concept. */
export function snomedCoding(concept: SnomedConcept): { system: string; code: string; display: string } {
  return { system: SNOMED_CT_SYSTEM, code: concept.code, display: concept.display };
}

/** A FHIR Coding for a LOINC code. */
export function loincCoding(entry: LoincCode): { system: string; code: string; display: string } {
  return { system: LOINC_SYSTEM, code: entry.code, display: entry.display };
}
