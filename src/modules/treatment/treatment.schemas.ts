// Reading the treatment forms: assessment, plan, sessions, four-week and local outcomes. A form body and
// the facts it is checked against (today, the referral date, the quit date) in; typed input or the NHS
// error summary out. The rules themselves live in the pure modules (programme.ts, heaviness.ts,
// four-week-outcome.ts): this file calls them and places their messages against the right field.
import { z } from 'zod';
import { mergeErrors, type FormErrors } from '../../platform/forms.ts';
import { IN_TALKING_THERAPIES, VAPING_STATUS } from '../referrals/referral.codes.ts';
import { DEMOGRAPHIC_ITEMS } from '../referrals/demographics.ts';
import { isoDateOf } from '../../platform/form-fields.ts';
import { addDays, daysBetween, formatDate, isIsoDate, type IsoDate } from '../../platform/dates.ts';
import { validateOutcomeEntry } from '../episodes/four-week-outcome.ts';
import { heavinessOfSmokingIndex, type TimeToFirstCigarette } from '../episodes/heaviness.ts';
import {
  AIDS,
  DEFAULT_SETTINGS,
  INTERVENTION_SESSION_TYPE_CODES,
  SESSION_MODES,
  validateCo,
  validateQuitDate,
  type Aid,
  type InterventionSessionType,
  type SessionMode,
  type Setting,
} from '../episodes/programme.ts';

type Body = Record<string, unknown>;
export type Parsed<T> = { ok: true; data: T } | { ok: false; errors: FormErrors };

const keys = <T extends Record<string, string>>(o: T) =>
  Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];

export const MENTAL_HEALTH_CODES = ['depression', 'anxiety', 'both', 'other', 'none', 'not_known'] as const;
export type EpisodeMentalHealth = (typeof MENTAL_HEALTH_CODES)[number];

export const MENTAL_HEALTH_BASIS = {
  diagnosed: 'Diagnosed by a doctor or other health professional',
  self_reported: 'Their own description (not diagnosed)',
  not_known: 'Not known',
} as const;
export type MentalHealthBasis = keyof typeof MENTAL_HEALTH_BASIS;

export const YES_NO = { yes: 'Yes', no: 'No' } as const;

/** The NCSCT adaptation for people with mental health conditions: talk through their beliefs before the quit date. */
export const BELIEFS_PROMPT =
  'Many people believe smoking calms them or lifts their mood. Talk through what they believe about smoking and ' +
  'their mental health. Explain that the calm they feel is mostly relief from withdrawal, that withdrawal can feel ' +
  'like anxiety or low mood for a few weeks, and that people who stop smoking usually end up less anxious, less ' +
  'depressed and less stressed than if they had kept smoking.';

/** Supply is abstinence-contingent (NCSCT): said on every page where a supply is recorded. */
export const ABSTINENCE_CONTINGENT =
  'The first supply should last until about two weeks after the quit date. Further supply depends on the person ' +
  'not smoking: check at each session, with a CO reading, before supplying more.';

/** Aids that replace tobacco without its effect on medicines: switching to them counts as stopping smoking. */
export const NRT_OR_VAPE: readonly Aid[] = [
  'combination_nrt',
  'single_nrt',
  'e_cigarette',
  'e_cigarette_swap_to_stop',
];

/** Assessment and session dates further back than this are taken for a mistyped year. */
export const MAX_DAYS_BACK = 183;
/** How far ahead an extra session may be booked. */
export const MAX_DAYS_TO_EXTRA_SESSION = 365;
/** Local follow-ups (no national definition): a contact this many days before the week counts (local choice). */
export const LOCAL_FOLLOW_UP_EARLY_DAYS = 14;

const TEXT_MAX = 2000;

/** The first string a field sent (repeated fields arrive as arrays), trimmed. */
export function field(body: Body, name: string): string {
  const v = body[name];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first.trim() : '';
}

/** A date's three boxes as 'YYYY-MM-DD' (possibly not a real date), or '' when all three are empty. */
export function dateField(body: Body, name: string): string {
  return (
    isoDateOf(field(body, `${name}-day`), field(body, `${name}-month`), field(body, `${name}-year`)) ?? ''
  );
}

/** A stored date as the three boxes, to fill a form. */
export function dateBoxes(name: string, iso: string | null | undefined): Record<string, string> {
  if (!iso || !isIsoDate(iso)) return {};
  const [y, m, d] = iso.split('-');
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y! };
}

/** A CO reading as typed: undefined when empty, otherwise a number (NaN for text) for validateCo to judge. */
export function coOf(raw: string): number | undefined {
  if (raw === '') return undefined;
  return /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN;
}

const text = (label: string) =>
  z
    .string()
    .max(TEXT_MAX, `${label} must be ${TEXT_MAX} characters or fewer`)
    .transform((v) => v || null);

const choice = <T extends Record<string, string>>(list: T, message: string) =>
  z.enum(keys(list), { error: message });

const optionalWhole = (message: string, min: number, max: number) =>
  z
    .string()
    .refine((v) => v === '' || (/^\d{1,4}$/.test(v) && Number(v) >= min && Number(v) <= max), message)
    .transform((v) => (v === '' ? null : Number(v)));

/** Builds the error summary in the order fields appear on the page, whatever order they were found in. */
class Errors {
  #errors: FormErrors | undefined;
  readonly #anchors: Record<string, string>;
  constructor(anchors: Record<string, string> = {}) {
    this.#anchors = anchors;
  }
  zod(error: z.ZodError) {
    for (const issue of error.issues)
      this.add(issue.path.length ? String(issue.path[0]) : '_form', issue.message);
  }
  add(name: string, text: string) {
    this.#errors = mergeErrors(this.#errors, name, text, this.#anchors[name] ?? name);
  }
  result(order: readonly string[]): FormErrors | undefined {
    if (!this.#errors) return undefined;
    const rank = (href: string) => {
      const i = order.findIndex((f) => href === `#${this.#anchors[f] ?? f}`);
      return i === -1 ? order.length : i;
    };
    return {
      fields: this.#errors.fields,
      list: [...this.#errors.list].sort((a, b) => rank(a.href) - rank(b.href)),
    };
  }
}

const dateAnchors = (...names: string[]) => Object.fromEntries(names.map((n) => [n, `${n}-day`]));

/** A date field's own errors: missing, not a real date, in the future, before `earliest`, too far back. */
function checkPastDate(
  errors: Errors,
  name: string,
  value: string,
  o: {
    label: string;
    today: IsoDate;
    earliest?: { date: IsoDate; what: string } | null;
    required?: boolean;
    maxDaysBack?: number;
  },
): IsoDate | null {
  if (value === '') {
    if (o.required !== false) errors.add(name, `Enter ${o.label}`);
    return null;
  }
  if (!isIsoDate(value)) {
    errors.add(name, `${cap(o.label)} must be a real date`);
    return null;
  }
  if (daysBetween(o.today, value) > 0) {
    errors.add(name, `${cap(o.label)} cannot be in the future`);
    return null;
  }
  if (o.earliest && daysBetween(o.earliest.date, value) < 0) {
    errors.add(
      name,
      `${cap(o.label)} cannot be before ${o.earliest.what} (${formatDate(o.earliest.date, o.today)})`,
    );
    return null;
  }
  const back = o.maxDaysBack ?? MAX_DAYS_BACK;
  if (daysBetween(value, o.today) > back) {
    errors.add(name, `${cap(o.label)} must be within the last 6 months: check the year`);
    return null;
  }
  return value;
}

const cap = (s: string) => s.replace(/^the /, '').replace(/^./, (c) => c.toUpperCase());

function yesNo(errors: Errors, body: Body, name: string, message: string | null): boolean | null {
  const v = field(body, name);
  if (v === 'yes') return true;
  if (v === 'no') return false;
  if (message) errors.add(name, message);
  return null;
}

function co(errors: Errors, body: Body, name = 'coPpm'): number | null {
  const value = coOf(field(body, name));
  if (value === undefined) return null;
  const problems = validateCo(value);
  if (problems.length) {
    errors.add(name, problems[0]!);
    return null;
  }
  return value;
}

/** The referral, for the earliest date anything in the episode can have happened. */
export type EpisodeDates = { today: IsoDate; referralDate: IsoDate | null; startedOn: IsoDate };

const earliestOf = (d: EpisodeDates) =>
  d.referralDate ? { date: d.referralDate, what: 'the referral date' } : null;

// --- Assessment ------------------------------------------------------------------------------------

export type AssessmentInput = {
  assessedOn: IsoDate;
  cigarettesPerDay: number;
  timeToFirstCigarette: TimeToFirstCigarette;
  heavinessIndex: number;
  pastQuitAttempts: number | null;
  whatHelped: string | null;
  coPpm: number | null;
  vapingStatus: keyof typeof VAPING_STATUS;
  mentalHealth: EpisodeMentalHealth;
  mentalHealthBasis: MentalHealthBasis;
  inTalkingTherapies: keyof typeof IN_TALKING_THERAPIES;
  beliefs: string | null;
  goals: string | null;
  preferences: string | null;
} & Partial<Demographics>;

/**
 * The demographic items the quarterly return breaks every count by (referrals/demographics.ts), asked at
 * the assessment. Each is optional: null is "not recorded" (the return counts it as not known and lists
 * it as missing data); "not stated" is an answer of its own where the data set has it.
 */
export type DemographicItem = keyof typeof DEMOGRAPHIC_ITEMS;
export type Demographics = Record<DemographicItem, string | null>;
export const DEMOGRAPHIC_FIELDS = Object.keys(DEMOGRAPHIC_ITEMS) as DemographicItem[];

const DEMOGRAPHIC_MESSAGES: Record<DemographicItem, string> = {
  sex: 'Select their sex, or leave it unanswered',
  genderSameAsBirth:
    'Select whether their gender is the same as the sex registered at birth, or leave it unanswered',
  ethnicCategory: 'Select their ethnic group, or leave it unanswered',
  pregnant: 'Select whether they are pregnant, or leave it unanswered',
  freePrescriptions: 'Select whether they get free prescriptions, or leave it unanswered',
  nsSec: 'Select their occupation group, or leave it unanswered',
  sexualOrientation: 'Select their sexual orientation, or leave it unanswered',
};

/** Each demographic answer as sent: blank is null (not recorded), a code of its list is kept, anything else is an error. */
function parseDemographics(errors: Errors, body: Body): Demographics {
  const out = {} as Demographics;
  for (const name of DEMOGRAPHIC_FIELDS) {
    const v = field(body, name);
    if (v === '') out[name] = null;
    else if ((DEMOGRAPHIC_ITEMS[name].codes as readonly string[]).includes(v)) out[name] = v;
    else {
      errors.add(name, DEMOGRAPHIC_MESSAGES[name]);
      out[name] = null;
    }
  }
  return out;
}

const ASSESSMENT_ORDER = [
  'assessedOn',
  'cigarettesPerDay',
  'timeToFirstCigarette',
  'pastQuitAttempts',
  'whatHelped',
  'coPpm',
  'vapingStatus',
  'mentalHealth',
  'mentalHealthBasis',
  'inTalkingTherapies',
  'beliefs',
  ...DEMOGRAPHIC_FIELDS,
  'goals',
  'preferences',
] as const;

const AssessmentFields = z.object({
  pastQuitAttempts: optionalWhole('Past quit attempts must be a whole number from 0 to 200', 0, 200),
  whatHelped: text('What helped before'),
  vapingStatus: choice(VAPING_STATUS, 'Select whether they vape'),
  mentalHealth: z.enum(MENTAL_HEALTH_CODES, { error: 'Select what you know of their mental health' }),
  mentalHealthBasis: choice(
    MENTAL_HEALTH_BASIS,
    'Select whether the condition was diagnosed or is their own description',
  ),
  inTalkingTherapies: choice(
    IN_TALKING_THERAPIES,
    'Select whether they are getting help from NHS Talking Therapies',
  ),
  beliefs: text('Beliefs about smoking and mental health'),
  goals: text('Goals'),
  preferences: text('Preferences'),
});

export function parseAssessment(body: Body, dates: EpisodeDates): Parsed<AssessmentInput> {
  const errors = new Errors({ ...dateAnchors('assessedOn'), timeToFirstCigarette: 'timeToFirstCigarette' });
  const assessedOn = checkPastDate(errors, 'assessedOn', dateField(body, 'assessedOn'), {
    label: 'the date of the assessment',
    today: dates.today,
    earliest: earliestOf(dates),
  });
  const cpdRaw = field(body, 'cigarettesPerDay');
  const ttf = field(body, 'timeToFirstCigarette');
  const hsi = heavinessOfSmokingIndex({
    cigarettesPerDay: /^\d{1,4}$/.test(cpdRaw) ? Number(cpdRaw) : cpdRaw === '' ? undefined : Number.NaN,
    timeToFirstCigarette: ttf || undefined,
  });
  if (!hsi.ok) {
    for (const { field, message } of hsi.errors)
      errors.add(
        field,
        field === 'cigarettesPerDay' && cpdRaw === ''
          ? 'Enter how many cigarettes they smoke a day'
          : message,
      );
  }
  const coPpm = co(errors, body);
  const parsed = AssessmentFields.safeParse(
    Object.fromEntries(Object.keys(AssessmentFields.shape).map((k) => [k, field(body, k)])),
  );
  if (!parsed.success) errors.zod(parsed.error);
  const demographics = parseDemographics(errors, body);
  const result = errors.result(ASSESSMENT_ORDER);
  if (result || !parsed.success || !hsi.ok || !assessedOn)
    return { ok: false, errors: result ?? { list: [], fields: {} } };
  return {
    ok: true,
    data: {
      ...parsed.data,
      ...demographics,
      assessedOn,
      cigarettesPerDay: Number(cpdRaw),
      timeToFirstCigarette: ttf as TimeToFirstCigarette,
      heavinessIndex: hsi.score,
      coPpm,
    },
  };
}

// --- Plan ----------------------------------------------------------------------------------------------

export type AidSupplyInput = { aid: Aid; suppliedOn: IsoDate; supply: string | null };

export type PlanInput = {
  quitDate: IsoDate;
  interventionType: InterventionSessionType;
  setting: Setting;
  aid: AidSupplyInput | null;
};

const PLAN_ORDER = ['quitDate', 'interventionType', 'setting', 'aid', 'aidSuppliedOn', 'aidSupply'] as const;

export type PlanContext = EpisodeDates & {
  /** The pre-quit assessment's date: the quit date is the session after it. */
  assessedOn: IsoDate;
  maxDaysAhead?: number;
};

export function parsePlan(body: Body, ctx: PlanContext): Parsed<PlanInput> {
  const errors = new Errors(dateAnchors('quitDate', 'aidSuppliedOn'));
  const raw = dateField(body, 'quitDate');
  let quitDate: IsoDate | null = null;
  if (raw === '') errors.add('quitDate', 'Enter the quit date');
  else {
    const problems = validateQuitDate({
      quitDate: raw,
      referralDate: ctx.referralDate,
      today: ctx.today,
      ...(ctx.maxDaysAhead !== undefined ? { maxDaysAhead: ctx.maxDaysAhead } : {}),
    });
    if (problems.length) errors.add('quitDate', problems[0]!);
    else if (daysBetween(ctx.assessedOn, raw) < 0) {
      errors.add(
        'quitDate',
        `The quit date cannot be before the pre-quit assessment (${formatDate(ctx.assessedOn, ctx.today)})`,
      );
    } else quitDate = raw;
  }
  const interventionType = field(body, 'interventionType');
  if (!(INTERVENTION_SESSION_TYPE_CODES as readonly string[]).includes(interventionType)) {
    errors.add('interventionType', 'Select the type of support');
  }
  const setting = field(body, 'setting');
  if (!Object.hasOwn(DEFAULT_SETTINGS, setting)) errors.add('setting', 'Select where the support is given');
  const aid = parseAidSupply(errors, body, { ...ctx, suppliedOnField: 'aidSuppliedOn' });
  const result = errors.result(PLAN_ORDER);
  if (result || !quitDate || aid === undefined)
    return { ok: false, errors: result ?? { list: [], fields: {} } };
  return {
    ok: true,
    data: {
      quitDate,
      interventionType: interventionType as InterventionSessionType,
      setting: setting as Setting,
      aid,
    },
  };
}

/**
 * The optional "supply given" fields: null when none was given, undefined when they have errors. With
 * `suppliedOn`, the supply's date is that (a session's date) and no date field is read.
 */
function parseAidSupply(
  errors: Errors,
  body: Body,
  o: EpisodeDates & { suppliedOnField?: string; suppliedOn?: IsoDate | null },
): AidSupplyInput | null | undefined {
  const aid = field(body, 'aid');
  const supply = field(body, 'aidSupply');
  const dateRaw = o.suppliedOnField ? dateField(body, o.suppliedOnField) : '';
  if (!aid) {
    if (supply || dateRaw) {
      errors.add('aid', 'Select the medicine or vape supplied, or clear the supply details');
      return undefined;
    }
    return null;
  }
  if (!Object.hasOwn(AIDS, aid)) {
    errors.add('aid', 'Select the medicine or vape supplied');
    return undefined;
  }
  if (supply.length > 500) {
    errors.add('aidSupply', 'What was supplied must be 500 characters or fewer');
    return undefined;
  }
  let suppliedOn: IsoDate | null;
  if (o.suppliedOnField) {
    suppliedOn = checkPastDate(errors, o.suppliedOnField, dateRaw, {
      label: 'the date it was supplied',
      today: o.today,
      earliest: earliestOf(o),
    });
  } else suppliedOn = o.suppliedOn ?? null;
  if (!suppliedOn) return undefined;
  return { aid: aid as Aid, suppliedOn, supply: supply || null };
}

// --- Sessions --------------------------------------------------------------------------------------

export type SessionInput = {
  attended: boolean;
  heldOn: IsoDate | null;
  mode: SessionMode | null;
  coPpm: number | null;
  smokedSinceLast: boolean | null;
  cravings: number | null;
  withdrawal: string | null;
  notes: string | null;
  /** Only on the four-week follow-up session: answered, it records the four-week outcome. */
  smokedDays15to28: boolean | null;
  aid: AidSupplyInput | null;
};

const SESSION_ORDER = [
  'attended',
  'heldOn',
  'mode',
  'coPpm',
  'smokedSinceLast',
  'smokedDays15to28',
  'cravings',
  'withdrawal',
  'notes',
  'aid',
  'aidSupply',
] as const;

export type SessionContext = EpisodeDates & {
  quitDate: IsoDate | null;
  /** The four-week follow-up, with no outcome recorded yet: the day 15 to 28 question is asked. */
  asksFourWeekOutcome: boolean;
};

const SessionText = z.object({ withdrawal: text('Withdrawal symptoms'), notes: text('Notes') });

export function parseSession(body: Body, ctx: SessionContext): Parsed<SessionInput> {
  const errors = new Errors({
    ...dateAnchors('heldOn'),
    attended: 'attended',
    mode: 'mode',
    smokedSinceLast: 'smokedSinceLast',
    smokedDays15to28: 'smokedDays15to28',
    cravings: 'cravings',
  });
  const attended = yesNo(errors, body, 'attended', 'Select whether the session took place');
  const texts = SessionText.safeParse({ withdrawal: field(body, 'withdrawal'), notes: field(body, 'notes') });
  if (!texts.success) errors.zod(texts.error);
  if (attended !== true) {
    const result = errors.result(SESSION_ORDER);
    if (result || attended === null || !texts.success)
      return { ok: false, errors: result ?? { list: [], fields: {} } };
    return {
      ok: true,
      data: {
        attended: false,
        heldOn: null,
        mode: null,
        coPpm: null,
        smokedSinceLast: null,
        cravings: null,
        withdrawal: null,
        notes: texts.data.notes,
        smokedDays15to28: null,
        aid: null,
      },
    };
  }
  const heldOn = checkPastDate(errors, 'heldOn', dateField(body, 'heldOn'), {
    label: 'the date of the session',
    today: ctx.today,
    earliest: earliestOf(ctx),
  });
  const mode = field(body, 'mode');
  if (!Object.hasOwn(SESSION_MODES, mode)) errors.add('mode', 'Select how the session was held');
  const coPpm = co(errors, body);
  const afterQuitDate = !!(heldOn && ctx.quitDate && daysBetween(ctx.quitDate, heldOn) > 0);
  const smokedSinceLast = yesNo(
    errors,
    body,
    'smokedSinceLast',
    afterQuitDate ? 'Select whether they have smoked since the last session, even a puff' : null,
  );
  let smokedDays15to28: boolean | null = null;
  if (ctx.asksFourWeekOutcome && ctx.quitDate) {
    smokedDays15to28 = yesNo(errors, body, 'smokedDays15to28', null);
    if (smokedDays15to28 !== null && heldOn) {
      const problems = validateOutcomeEntry(ctx.quitDate, heldOn, ctx.today);
      if (problems.length)
        errors.add(
          'heldOn',
          `${problems[0]!}. Leave the four-week question unanswered to record the session without an outcome`,
        );
    }
  }
  const cravingsRaw = field(body, 'cravings');
  let cravings: number | null = null;
  if (cravingsRaw !== '') {
    if (/^[0-5]$/.test(cravingsRaw)) cravings = Number(cravingsRaw);
    else errors.add('cravings', 'Cravings must be from 0 (none) to 5 (all the time)');
  }
  const aid = parseAidSupply(errors, body, { ...ctx, suppliedOn: heldOn });
  const result = errors.result(SESSION_ORDER);
  if (result || !heldOn || !texts.success || aid === undefined)
    return { ok: false, errors: result ?? { list: [], fields: {} } };
  return {
    ok: true,
    data: {
      attended: true,
      heldOn,
      mode: mode as SessionMode,
      coPpm,
      smokedSinceLast,
      cravings,
      withdrawal: texts.data.withdrawal,
      notes: texts.data.notes,
      smokedDays15to28,
      aid,
    },
  };
}

export function parseExtraSession(body: Body, dates: EpisodeDates): Parsed<{ scheduledOn: IsoDate }> {
  const errors = new Errors(dateAnchors('extraOn'));
  const raw = dateField(body, 'extraOn');
  const earliest = earliestOf(dates) ?? { date: dates.startedOn, what: 'the episode started' };
  if (raw === '') errors.add('extraOn', 'Enter the date of the extra session');
  else if (!isIsoDate(raw)) errors.add('extraOn', 'The date of the extra session must be a real date');
  else if (daysBetween(earliest.date, raw) < 0) {
    errors.add(
      'extraOn',
      `The extra session cannot be before ${earliest.what} (${formatDate(earliest.date, dates.today)})`,
    );
  } else if (daysBetween(dates.today, raw) > MAX_DAYS_TO_EXTRA_SESSION) {
    errors.add(
      'extraOn',
      `The extra session must be within a year from today (${formatDate(addDays(dates.today, MAX_DAYS_TO_EXTRA_SESSION), dates.today)} at the latest)`,
    );
  }
  const result = errors.result(['extraOn']);
  if (result) return { ok: false, errors: result };
  return { ok: true, data: { scheduledOn: raw } };
}

// --- Outcomes ------------------------------------------------------------------------------------------

export type OutcomeInput = {
  followUpOn: IsoDate;
  smokedDays15to28: boolean;
  coPpm: number | null;
  mode: SessionMode | null;
};

export function parseOutcome(body: Body, ctx: { quitDate: IsoDate; today: IsoDate }): Parsed<OutcomeInput> {
  const errors = new Errors({
    ...dateAnchors('followUpOn'),
    smokedDays15to28: 'smokedDays15to28',
    mode: 'mode',
  });
  const raw = dateField(body, 'followUpOn');
  let followUpOn: IsoDate | null = null;
  if (raw === '') errors.add('followUpOn', 'Enter the date you followed them up');
  else {
    const problems = validateOutcomeEntry(ctx.quitDate, raw, ctx.today);
    if (problems.length) errors.add('followUpOn', problems[0]!);
    else followUpOn = raw;
  }
  const mode = field(body, 'mode');
  if (mode && !Object.hasOwn(SESSION_MODES, mode)) errors.add('mode', 'Select how you reached them');
  const smoked = yesNo(
    errors,
    body,
    'smokedDays15to28',
    'Select whether they have smoked at all, even a single puff, since day 15',
  );
  const coPpm = co(errors, body);
  const result = errors.result(['followUpOn', 'mode', 'smokedDays15to28', 'coPpm']);
  if (result || !followUpOn || smoked === null)
    return { ok: false, errors: result ?? { list: [], fields: {} } };
  return {
    ok: true,
    data: { followUpOn, smokedDays15to28: smoked, coPpm, mode: (mode || null) as SessionMode | null },
  };
}

export type LocalOutcomeInput = {
  weeks: 12 | 52;
  contactOn: IsoDate;
  abstinent: boolean;
  coPpm: number | null;
};

export function parseLocalOutcome(
  body: Body,
  ctx: { quitDate: IsoDate; today: IsoDate },
): Parsed<LocalOutcomeInput> {
  const errors = new Errors({
    ...dateAnchors('contactOn'),
    weeks: 'weeks',
    abstinent: 'abstinent',
    coPpm: 'local-coPpm',
  });
  const w = field(body, 'weeks');
  const weeks = w === '12' ? 12 : w === '52' ? 52 : null;
  if (!weeks) errors.add('weeks', 'Select the 12-week or the 52-week follow-up');
  const raw = dateField(body, 'contactOn');
  let contactOn: IsoDate | null = null;
  const earliest = weeks ? addDays(ctx.quitDate, weeks * 7 - LOCAL_FOLLOW_UP_EARLY_DAYS) : null;
  if (raw === '') errors.add('contactOn', 'Enter the date you followed them up');
  else if (!isIsoDate(raw)) errors.add('contactOn', 'The follow-up date must be a real date');
  else if (daysBetween(ctx.today, raw) > 0)
    errors.add('contactOn', 'The follow-up date cannot be in the future');
  else if (earliest && daysBetween(earliest, raw) < 0) {
    errors.add(
      'contactOn',
      `The ${weeks}-week follow-up is too early: it counts from ${formatDate(earliest, ctx.today)}, two weeks before week ${weeks}`,
    );
  } else contactOn = raw;
  const abstinent = yesNo(errors, body, 'abstinent', 'Select whether they are still not smoking');
  const coPpm = co(errors, body);
  const result = errors.result(['weeks', 'contactOn', 'abstinent', 'coPpm']);
  if (result || !weeks || !contactOn || abstinent === null)
    return { ok: false, errors: result ?? { list: [], fields: {} } };
  return { ok: true, data: { weeks, contactOn, abstinent, coPpm } };
}
