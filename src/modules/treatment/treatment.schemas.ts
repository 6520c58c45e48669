// What every treatment form shares: reading fields and dates from a form body, the error summary built in
// page order, the checks several forms make (a past date, yes or no, a CO reading), and the words and
// limits more than one page uses. Each form's own reading is in its page group's schemas file
// (assessment, plan, session, outcome); the rules themselves live in the pure modules (programme.ts,
// heaviness.ts, four-week-outcome.ts): those files call them and place their messages against the right
// field.
import { z } from 'zod';
import { mergeErrors, type FormErrors } from '../../platform/forms.ts';
import { isoDateOf } from '../../platform/form-fields.ts';
import { daysBetween, formatDate, isIsoDate, type IsoDate } from '../../platform/dates.ts';
import { validateCo, type Aid } from '../episodes/programme.ts';

export type Body = Record<string, unknown>;
export type Parsed<T> = { ok: true; data: T } | { ok: false; errors: FormErrors };

/** A form that did not read: its error summary, empty only when a check failed without a message. */
export const invalid = (errors: FormErrors | undefined): { ok: false; errors: FormErrors } => ({
  ok: false,
  errors: errors ?? { list: [], fields: {} },
});

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

export const text = (label: string) =>
  z
    .string()
    .max(TEXT_MAX, `${label} must be ${TEXT_MAX} characters or fewer`)
    .transform((v) => v || null);

export const choice = <T extends Record<string, string>>(list: T, message: string) =>
  z.enum(keys(list), { error: message });

export const optionalWhole = (message: string, min: number, max: number) =>
  z
    .string()
    .refine((v) => v === '' || (/^\d{1,4}$/.test(v) && Number(v) >= min && Number(v) <= max), message)
    .transform((v) => (v === '' ? null : Number(v)));

/** Builds the error summary in the order fields appear on the page, whatever order they were found in. */
export class Errors {
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

export const dateAnchors = (...names: string[]) => Object.fromEntries(names.map((n) => [n, `${n}-day`]));

/** A date field's own errors: missing, not a real date, in the future, before `earliest`, too far back. */
export function checkPastDate(
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

export function yesNo(errors: Errors, body: Body, name: string, message: string | null): boolean | null {
  const v = field(body, name);
  if (v === 'yes') return true;
  if (v === 'no') return false;
  if (message) errors.add(name, message);
  return null;
}

export function co(errors: Errors, body: Body, name = 'coPpm'): number | null {
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

export const earliestOf = (d: EpisodeDates) =>
  d.referralDate ? { date: d.referralDate, what: 'the referral date' } : null;
