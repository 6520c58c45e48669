// Reading the costs form and the assumptions form. Pure.
import { mergeErrors, type FormErrors } from '../../platform/forms.ts';
import { ASSUMPTIONS, type AssumptionName } from './funding-estimate.ts';
import type { ServiceCosts } from './funding.ts';
import { parsePounds } from '../../platform/money.ts';

const text = (body: Record<string, unknown>, k: string) => (typeof body[k] === 'string' ? body[k] : '');

export const COST_FIELDS = {
  contract: { label: 'the contract value for the year', example: '120000', max: 1_000_000_000 },
  perPerson: { label: 'the tariff per person who sets a quit date', example: '150', max: 1_000_000 },
  perQuit: { label: 'the tariff per four-week quit', example: '200', max: 1_000_000 },
} as const;
type CostField = keyof typeof COST_FIELDS;

export function parseCostsForm(body: Record<string, unknown>): ServiceCosts | FormErrors {
  let errors: FormErrors | undefined;
  const pence: Partial<Record<CostField, number | null>> = {};
  for (const [field, f] of Object.entries(COST_FIELDS) as [CostField, (typeof COST_FIELDS)[CostField]][]) {
    const r = parsePounds(text(body, field), f.max);
    if ('error' in r)
      errors = mergeErrors(
        errors,
        field,
        r.error === 'too-large'
          ? `Enter ${f.label} as £${f.max.toLocaleString('en-GB')} or less`
          : `Enter ${f.label} in pounds, like ${f.example} or ${f.example}.50`,
      );
    else pence[field] = r.pence;
  }
  if (errors) return errors;
  const costs = {
    contractPence: pence.contract ?? null,
    perPersonPence: pence.perPerson ?? null,
    perQuitPence: pence.perQuit ?? null,
  };
  if (costs.contractPence === null && costs.perPersonPence === null && costs.perQuitPence === null)
    return mergeErrors(undefined, 'contract', 'Enter a contract value or a tariff, or both');
  return costs;
}

const LIMITS = { count: 10_000_000, percent: 100 } as const;

/** The national team's values; a blank box leaves the assumption to Mortar's measure or the published figure. */
export function parseAssumptionsForm(
  body: Record<string, unknown>,
): Partial<Record<AssumptionName, number>> | FormErrors {
  let errors: FormErrors | undefined;
  const out: Partial<Record<AssumptionName, number>> = {};
  for (const a of ASSUMPTIONS) {
    const raw = text(body, a.name).trim();
    if (raw === '') continue;
    if (a.kind === 'money') {
      const r = parsePounds(raw, 100_000);
      if ('error' in r)
        errors = mergeErrors(errors, a.name, `Enter the cost per person in pounds, like 250, up to £100,000`);
      else if (r.pence !== null) out[a.name] = r.pence;
      continue;
    }
    const n = Number(raw.replaceAll(',', '').replace(/%$/, ''));
    const whole = a.kind === 'count';
    const ok =
      /^[\d,]+(\.\d+)?%?$/.test(raw) &&
      Number.isFinite(n) &&
      n >= 0 &&
      n <= LIMITS[a.kind] &&
      (whole ? Number.isInteger(n) : Number.isInteger(n * 10));
    if (!ok)
      errors = mergeErrors(
        errors,
        a.name,
        whole
          ? `Enter the referrals as a whole number up to ${LIMITS.count.toLocaleString('en-GB')}, like 1820000`
          : `Enter “${a.label.toLowerCase()}” as a percentage from 0 to 100, with at most one decimal place, like 26.3`,
      );
    else out[a.name] = n;
  }
  return errors ?? out;
}
