// Reading the mood questionnaire and safety task forms. Pure: a form body in, answers or plain-English
// errors out. Scoring and validity of the answers belong to mood.ts (scorePhq9 / scoreGad7); this file
// only turns form fields into the arrays those functions take and their messages into the NHS error summary.
import { z } from 'zod';
import type { FormErrors } from '../../platform/forms.ts';
import { isoDateOf } from '../../platform/form-fields.ts';
import { isIsoDate, type IsoDate } from '../../platform/dates.ts';
import {
  ANSWER_OPTIONS,
  GAD7_BAND_LABELS,
  GAD7_ITEMS,
  GAD7_QUESTION,
  gad7Band,
  PHQ9_BAND_LABELS,
  PHQ9_ITEMS,
  PHQ9_QUESTION,
  phq9Band,
  scoreGad7,
  scorePhq9,
} from './mood.ts';
import { isUuid } from '../../platform/validation.ts';

export type Instrument = 'phq9' | 'gad7';
export const INSTRUMENTS: readonly Instrument[] = ['phq9', 'gad7'];

export const INSTRUMENT_INFO: Record<
  Instrument,
  { name: string; title: string; topic: string; question: string; items: readonly string[]; max: number }
> = {
  phq9: {
    name: 'PHQ-9',
    title: 'PHQ-9 (depression)',
    topic: 'depression',
    question: PHQ9_QUESTION,
    items: PHQ9_ITEMS,
    max: 27,
  },
  gad7: {
    name: 'GAD-7',
    title: 'GAD-7 (anxiety)',
    topic: 'anxiety',
    question: GAD7_QUESTION,
    items: GAD7_ITEMS,
    max: 21,
  },
};

/** The instrument named in a query string, or undefined for anything else (an array, a typo). */
export function instrumentOf(v: unknown): Instrument | undefined {
  return typeof v === 'string' && (INSTRUMENTS as readonly string[]).includes(v)
    ? (v as Instrument)
    : undefined;
}

/** A band's label ("Moderate (10 to 14)") for a total. */
export function bandLabel(instrument: Instrument, total: number): string {
  return instrument === 'phq9' ? PHQ9_BAND_LABELS[phq9Band(total)] : GAD7_BAND_LABELS[gad7Band(total)];
}

export function score(instrument: Instrument, items: readonly unknown[]) {
  return instrument === 'phq9' ? scorePhq9(items) : scoreGad7(items);
}

/** The field holding question n (1-based): item1, item2 ... */
export const itemField = (n: number) => `item${n}`;

/**
 * One answer as the form sent it: a whole number stays a number (even 4, so the scorer can refuse it with
 * its own message), nothing chosen is undefined, anything else is kept as text for the scorer to refuse.
 */
export function readAnswer(v: unknown): unknown {
  if (Array.isArray(v)) return v.length === 1 ? readAnswer(v[0]) : v;
  if (v === undefined || v === null) return undefined;
  const s = String(v).trim();
  if (s === '') return undefined;
  return /^\d{1,3}$/.test(s) ? Number(s) : s;
}

/** The raw answers in question order, one per item, as mood.ts expects them. */
export function answersOf(instrument: Instrument, body: Record<string, unknown>): unknown[] {
  return INSTRUMENT_INFO[instrument].items.map((_, i) => readAnswer(body[itemField(i + 1)]));
}

export { isUuid };

export type MoodFormInput = {
  instrument: Instrument;
  items: number[];
  total: number;
  takenOn: IsoDate;
  sessionId: string | null;
};

export type MoodFormResult = { ok: true; value: MoodFormInput } | { ok: false; errors: FormErrors };

function add(errors: FormErrors, field: string, text: string, href = field) {
  if (errors.fields[field]) return;
  errors.fields[field] = { text };
  errors.list.push({ text, href: `#${href}` });
}

/**
 * Reads a PHQ-9 or GAD-7 form. Every question must be answered 0 to 3 (the scorer decides; a missing
 * answer gets a message of its own because "must be 0, 1, 2 or 3" reads oddly when nothing was chosen),
 * the date must be real and not in the future, and a linked session must be one of `sessionIds`.
 */
export function readMoodForm(
  instrument: Instrument,
  body: Record<string, unknown>,
  opts: { today: IsoDate; sessionIds: readonly string[] },
): MoodFormResult {
  const info = INSTRUMENT_INFO[instrument];
  const errors: FormErrors = { list: [], fields: {} };
  const answers = answersOf(instrument, body);
  const scored = score(instrument, answers);
  if (!scored.ok) {
    for (const message of scored.errors) {
      const n = Number(/question (\d+)/.exec(message)?.[1]);
      if (Number.isInteger(n) && n >= 1 && n <= info.items.length) {
        const text =
          answers[n - 1] === undefined ? `Select an answer to ${info.name} question ${n}` : message;
        add(errors, itemField(n), text);
      } else {
        add(errors, '_form', message, itemField(1));
      }
    }
  }

  const takenOn = isoDateOf(body['takenOn-day'], body['takenOn-month'], body['takenOn-year']);
  if (!takenOn) add(errors, 'takenOn', 'Enter the date the questionnaire was completed', 'takenOn-day');
  else if (!isIsoDate(takenOn) || Number(takenOn.slice(0, 4)) < 1900)
    add(errors, 'takenOn', 'The date the questionnaire was completed must be a real date', 'takenOn-day');
  else if (takenOn > opts.today)
    add(errors, 'takenOn', 'The date the questionnaire was completed cannot be in the future', 'takenOn-day');

  const rawSession = typeof body.sessionId === 'string' ? body.sessionId.trim() : '';
  const sessionId = rawSession === '' ? null : rawSession;
  if (sessionId !== null && !opts.sessionIds.includes(sessionId))
    add(errors, 'sessionId', 'Select one of this episode’s sessions, or none');

  if (errors.list.length > 0 || !scored.ok || !takenOn) return { ok: false, errors };
  return {
    ok: true,
    value: { instrument, items: answers as number[], total: scored.total, takenOn, sessionId },
  };
}

/** Radio items for one question, with the answer given (if any) checked. */
export function answerRadios(value: unknown) {
  const given = typeof value === 'string' ? value.trim() : Array.isArray(value) ? String(value[0] ?? '') : '';
  return ANSWER_OPTIONS.map((o) => ({
    value: String(o.value),
    text: o.label,
    checked: given !== '' && given === String(o.value),
  }));
}

const freeText = (missing: string, tooLong: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v : Array.isArray(v) ? v.join(' ') : ''),
    z.string().trim().min(1, missing).max(2000, tooLong),
  );

/** Completing a safety task: what was done and who was contacted, both in the adviser's words. */
export const SafetyCompletionSchema = z.object({
  actionTaken: freeText(
    'Enter what you did to respond to the answer to question 9',
    'What you did must be 2000 characters or fewer',
  ),
  contacted: freeText(
    'Enter who you contacted, or that you did not need to contact anyone and why',
    'Who you contacted must be 2000 characters or fewer',
  ),
});
export type SafetyCompletion = z.infer<typeof SafetyCompletionSchema>;

/** Both answers kept in the one column the table has, labelled so the record reads on its own. */
export function actionTakenText(c: SafetyCompletion): string {
  return `${c.actionTaken}\n\nWho was contacted: ${c.contacted}`;
}
