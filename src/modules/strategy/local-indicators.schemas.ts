import { z } from 'zod';
import { formErrors, mergeErrors, type FormErrors } from '../../platform/forms.ts';
import { requiredText } from '../../platform/validation.ts';
import { isCountCode, pairingProblem, type CountCode } from './local-indicator-counts.ts';

// A local indicator as the commissioner types it, read back and checked: a name, a definition in plain
// English, a numerator and a denominator from the list of counts that pair (the numerator's people are
// among the denominator's), an optional target as a percentage and which way is better. Pure.

export type LocalIndicatorInput = {
  name: string;
  definition: string;
  numerator: CountCode;
  denominator: CountCode;
  target: number | null;
  better: 'higher' | 'lower';
};

const textSchema = z.object({
  name: requiredText('a name', 120),
  definition: requiredText('a definition', 1000),
});

/** The order of the fields on the page, so the error summary lists them in the same order. */
const FIELD_ORDER = ['name', 'definition', 'numerator', 'denominator', 'target', 'better'];

/** A target: blank for none; otherwise a percentage from 0 to 100 with at most 2 decimal places. */
export function parsePercentTarget(raw: unknown): { value: number | null } | { error: string } {
  const s = (typeof raw === 'string' ? raw : '').trim().replace(/\s*%$/, '');
  if (s === '') return { value: null };
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(s))
    return { error: 'Enter the target as a percentage from 0 to 100, like 45.5' };
  if (s.includes('.') && s.split('.')[1]!.length > 2)
    return { error: 'The target can have at most 2 decimal places' };
  const value = Number(s);
  if (value > 100) return { error: 'The target must be 100% or less' };
  return { value };
}

function sorted(errors: FormErrors): FormErrors {
  const rank = (href: string) => {
    const i = FIELD_ORDER.indexOf(href.slice(1));
    return i < 0 ? FIELD_ORDER.length : i;
  };
  return { ...errors, list: [...errors.list].sort((a, b) => rank(a.href) - rank(b.href)) };
}

export function parseLocalIndicator(
  body: Record<string, unknown>,
): { ok: true; input: LocalIndicatorInput } | { ok: false; errors: FormErrors } {
  const text = textSchema.safeParse({ name: body.name, definition: body.definition });
  let errors: FormErrors | undefined = text.success ? undefined : formErrors(text.error);
  const numerator = isCountCode(body.numerator) ? body.numerator : null;
  const denominator = isCountCode(body.denominator) ? body.denominator : null;
  if (!numerator) errors = mergeErrors(errors, 'numerator', 'Select what to count (the numerator)');
  if (!denominator)
    errors = mergeErrors(errors, 'denominator', 'Select what to count it out of (the denominator)');
  if (numerator && denominator) {
    const problem = pairingProblem(numerator, denominator);
    if (problem) errors = mergeErrors(errors, problem.field, problem.message);
  }
  const target = parsePercentTarget(body.target);
  if ('error' in target) errors = mergeErrors(errors, 'target', target.error);
  const better = body.better === 'higher' || body.better === 'lower' ? body.better : null;
  if (!better) errors = mergeErrors(errors, 'better', 'Select whether a higher or a lower figure is better');
  if (errors || !text.success || !numerator || !denominator || !better || 'error' in target)
    return { ok: false, errors: sorted(errors ?? { list: [], fields: {} }) };
  return {
    ok: true,
    input: { ...text.data, numerator, denominator, target: target.value, better },
  };
}
