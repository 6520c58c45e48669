import { z } from 'zod';
import { formErrors, mergeErrors, type FormErrors } from '../../platform/forms.ts';
import { requiredText } from '../../platform/validation.ts';
import { isFinancialYear, isQuarter, quarterLabel, type Period } from '../../platform/quarters.ts';
import { INDICATORS, type Indicator, type IndicatorUnit } from './indicators.ts';
import { MAX_QUARTERS, quarterCount, quartersOf, type StrategyPeriod } from './strategy.periods.ts';
import { targetKey } from './strategy.repository.ts';

// What a commissioner types, read back and checked. A target is checked by its indicator's unit, so a
// quit rate of 140% or a negative number of referrals is never stored as a target (hazard: a target that
// cannot be met, or is met by anything, makes a dashboard say "on track" or "behind" wrongly).

// --- Targets ------------------------------------------------------------------------------------------

type Rule = { min: number; max: number; decimals: number; what: string; example: string };

export const TARGET_RULES: Record<IndicatorUnit, Rule> = {
  count: { min: 0, max: 1_000_000, decimals: 0, what: 'a whole number', example: '120' },
  percent: { min: 0, max: 100, decimals: 2, what: 'a percentage from 0 to 100', example: '45.5' },
  points: {
    min: -100,
    max: 100,
    decimals: 2,
    what: 'a number of percentage points from -100 to 100',
    example: '5',
  },
  days: { min: 0, max: 365, decimals: 1, what: 'a number of days from 0 to 365', example: '3' },
};

/** An error has the message for the summary, which names the cell, and a brief one to show in the cell. */
export type TargetValue =
  { kind: 'blank' } | { kind: 'value'; value: number } | { kind: 'error'; message: string; brief: string };

/**
 * One cell of the grid. Blank means no target. Forgives what people type: spaces, thousands commas, a
 * percent sign on a percentage, a typographic minus on points.
 */
export function parseTargetValue(
  indicator: Pick<Indicator, 'name' | 'unit'>,
  period: Period,
  raw: string,
): TargetValue {
  const rule = TARGET_RULES[indicator.unit];
  const where = `${indicator.name} in ${quarterLabel(period.financialYear, period.quarter)}`;
  let s = raw
    .trim()
    .replace(/,/g, '')
    .replace(/\u2212/g, '-');
  if (s === '') return { kind: 'blank' };
  if (indicator.unit === 'percent') s = s.replace(/\s*%$/, '');
  if (indicator.unit === 'points') s = s.replace(/\s*points?$/i, '');
  if (indicator.unit === 'days') s = s.replace(/\s*days?$/i, '');
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(s)) {
    return {
      kind: 'error',
      message: `Enter the target for ${where} as ${rule.what}, like ${rule.example}`,
      brief: `Enter ${rule.what}`,
    };
  }
  const value = Number(s);
  const decimals = s.includes('.') ? s.split('.')[1]!.length : 0;
  if (rule.decimals === 0 && !Number.isInteger(value)) {
    return {
      kind: 'error',
      message: `The target for ${where} must be a whole number, like ${rule.example}`,
      brief: 'Enter a whole number',
    };
  }
  if (decimals > rule.decimals && rule.decimals > 0) {
    const places = `${rule.decimals} ${rule.decimals === 1 ? 'decimal place' : 'decimal places'}`;
    return {
      kind: 'error',
      message: `The target for ${where} can have at most ${places}`,
      brief: `At most ${places}`,
    };
  }
  if (value < rule.min) {
    return {
      kind: 'error',
      message: `The target for ${where} must be ${rule.min.toLocaleString('en-GB')} or more`,
      brief: `Must be ${rule.min.toLocaleString('en-GB')} or more`,
    };
  }
  if (value > rule.max) {
    return {
      kind: 'error',
      message: `The target for ${where} must be ${rule.max.toLocaleString('en-GB')} or less`,
      brief: `Must be ${rule.max.toLocaleString('en-GB')} or less`,
    };
  }
  return { kind: 'value', value: Object.is(value, -0) ? 0 : value };
}

/** The form field of one cell; also its id, which the error summary links to. */
export const cellName = (code: string, p: Period) => `t-${code}-${p.financialYear}-${p.quarter}`;

export type GridResult =
  | { ok: true; targets: Map<string, number | null> }
  | { ok: false; errors: FormErrors; values: Record<string, string> };

/**
 * Reads the whole grid. A cell that was not sent at all is left as it is (not every form shows every
 * cell); a cell sent blank removes that target. Errors come in the grid's order, row by row.
 */
export function parseTargetGrid(
  body: Record<string, unknown>,
  period: StrategyPeriod,
  indicators: readonly Indicator[] = INDICATORS,
): GridResult {
  const targets = new Map<string, number | null>();
  const values: Record<string, string> = {};
  let errors: FormErrors | undefined;
  const quarters = quartersOf(period);
  for (const indicator of indicators) {
    for (const p of quarters) {
      const name = cellName(indicator.code, p);
      const raw = body[name];
      if (raw === undefined) continue;
      const text = typeof raw === 'string' ? raw : '';
      values[name] = text.slice(0, 50);
      const parsed =
        typeof raw === 'string'
          ? parseTargetValue(indicator, p, text)
          : {
              kind: 'error' as const,
              message: `Enter one target for ${indicator.name} in ${quarterLabel(p.financialYear, p.quarter)}`,
              brief: 'Enter one target',
            };
      if (parsed.kind === 'error') {
        // The summary names the cell; inside the grid's narrow column the cell's own label already does.
        errors = mergeErrors(errors, name, parsed.message);
        errors.fields[name] = { text: parsed.brief };
      } else targets.set(targetKey(indicator.code, p), parsed.kind === 'blank' ? null : parsed.value);
    }
  }
  return errors ? { ok: false, errors, values } : { ok: true, targets };
}

/** A stored target as the grid shows it in its box: no thousands commas, no unit. */
export const targetText = (value: number | undefined) =>
  value === undefined ? '' : String(Number(value.toFixed(4)));

// --- Title, aims and period ---------------------------------------------------------------------------

/** "2025-1": how a quarter travels in the period's select boxes. */
export const periodValue = (p: Period) => `${p.financialYear}-${p.quarter}`;

export function parsePeriodValue(v: unknown): Period | null {
  if (typeof v !== 'string') return null;
  const m = /^(\d{4})-([1-4])$/.exec(v.trim());
  if (!m) return null;
  const financialYear = Number(m[1]);
  const quarter = Number(m[2]);
  return isFinancialYear(financialYear) && isQuarter(quarter) ? { financialYear, quarter } : null;
}

const detailsSchema = z.object({
  title: requiredText('a title', 200),
  aims: requiredText('the strategy’s aims', 5000),
});

export type StrategyDetails = { title: string; aims: string; period: StrategyPeriod };

export function parseDetails(
  body: Record<string, unknown>,
): { ok: true; details: StrategyDetails } | { ok: false; errors: FormErrors } {
  const parsed = detailsSchema.safeParse({ title: body.title, aims: body.aims });
  let errors: FormErrors | undefined = parsed.success ? undefined : formErrors(parsed.error);
  const start = parsePeriodValue(body.start);
  const end = parsePeriodValue(body.end);
  if (!start) errors = mergeErrors(errors, 'start', 'Select the first quarter of the strategy');
  if (!end) errors = mergeErrors(errors, 'end', 'Select the last quarter of the strategy');
  if (start && end) {
    const n = quarterCount({ start, end });
    if (n === 0)
      errors = mergeErrors(
        errors,
        'end',
        'The last quarter must be the same as the first quarter or after it',
      );
    else if (n > MAX_QUARTERS)
      errors = mergeErrors(
        errors,
        'end',
        `A strategy can cover at most ${MAX_QUARTERS / 4} years (${MAX_QUARTERS} quarters)`,
      );
  }
  if (errors || !parsed.success || !start || !end)
    return { ok: false, errors: errors ?? { list: [], fields: {} } };
  return { ok: true, details: { title: parsed.data.title, aims: parsed.data.aims, period: { start, end } } };
}
