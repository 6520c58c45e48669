import { mergeErrors, type FormErrors } from '../../platform/forms.ts';
import { validateParameters } from './need.ts';

// What a person types on the estimate of need pages, read back and checked: the national parameters (a
// national analyst) and an authority's local estimate with its source (its commissioner).

/** A number as a person types it ("1,234", " 16.7 "), or NaN. */
export function numberOf(v: unknown): number {
  if (typeof v !== 'string') return NaN;
  const s = v.trim().replace(/,/g, '').replace(/%$/, '');
  return /^\d+(\.\d+)?$/.test(s) ? Number(s) : NaN;
}

export function parseParameters(
  body: Record<string, unknown>,
): { cmhcShare: number; relativeRate: number } | FormErrors {
  let errors: FormErrors | undefined;
  const sharePct = numberOf(body.cmhcSharePercent);
  const relativeRate = numberOf(body.relativeRate);
  if (Number.isNaN(sharePct))
    errors = mergeErrors(
      errors,
      'cmhcSharePercent',
      'Enter the share of adults with a common mental health condition as a percentage, like 16.7',
    );
  if (Number.isNaN(relativeRate))
    errors = mergeErrors(errors, 'relativeRate', 'Enter the relative rate as a number, like 1.7');
  const p = { cmhcShare: sharePct / 100, relativeRate };
  for (const e of validateParameters(p)) {
    const field = e.field === 'cmhcShare' ? 'cmhcSharePercent' : 'relativeRate';
    errors = mergeErrors(errors, field, e.message);
  }
  return errors ?? p;
}

export function parseLocalEstimate(
  body: Record<string, unknown>,
): { estimate: number; source: string } | FormErrors {
  let errors: FormErrors | undefined;
  const estimate = numberOf(body.localEstimate);
  const source = typeof body.localSource === 'string' ? body.localSource.trim() : '';
  if (Number.isNaN(estimate) || !Number.isInteger(estimate)) {
    errors = mergeErrors(errors, 'localEstimate', 'Enter the local estimate as a whole number, like 24000');
  } else if (estimate < 1 || estimate > 10_000_000) {
    errors = mergeErrors(errors, 'localEstimate', 'The local estimate must be between 1 and 10,000,000');
  }
  if (source === '') errors = mergeErrors(errors, 'localSource', 'Enter where the local estimate comes from');
  else if (source.length > 500)
    errors = mergeErrors(
      errors,
      'localSource',
      'Where the local estimate comes from must be 500 characters or fewer',
    );
  return errors ?? { estimate, source };
}

export const isErrors = (x: object): x is FormErrors => 'list' in x && 'fields' in x;
