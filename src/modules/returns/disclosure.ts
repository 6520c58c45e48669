// Statistical disclosure control: the ONE function every published table, every export meant for
// publication and every screen shown to someone without access to the records behind it goes through
// (docs/domain.md, Disclosure control: NHS England's method for sub-national tables). Pure.
//
// - 0 stays 0 (a true zero discloses nothing about anyone);
// - 1 to `threshold` (7) is shown as '*';
// - every other count is rounded to the nearest `base` (5). Ties, which whole counts only reach with an
//   even base (15 with base 10), round UP (away from zero), as a spreadsheet's MROUND does; never to even;
// - national figures are exact (`exact: true`, or `national: true` on a table);
// - a rate is computed from the ROUNDED figures, is '*' when either part is '*', and null (shown '–')
//   when the denominator is 0.
// (check) the exact NHS rule for rates: docs/domain.md (Disclosure control) says "hidden where the
// denominator is suppressed"; this also hides a rate whose numerator is suppressed, which is the safer
// reading (a rate over a rounded denominator would otherwise let the suppressed numerator be worked out).

import type { Measure } from './return-measures.ts';
import type { BreakdownKey } from './return-breakdowns.ts';
import type { QuarterlyReturn } from './return-definition.ts';

export const SUPPRESSED = '*';
export type Suppressed = typeof SUPPRESSED;
/** A count as published: a whole number, or '*' when it is too small to show. */
export type Disclosed = number | Suppressed;

export type DisclosureOptions = {
  /** Counts from 1 to this are shown as '*'. Default 7. */
  threshold?: number;
  /** Other counts are rounded to the nearest multiple of this. Default 5. */
  base?: number;
  /** Show the count as it is (national figures). Default false. */
  exact?: boolean;
};

export const DEFAULT_DISCLOSURE = { threshold: 7, base: 5, exact: false } as const;

export type Rule = { threshold: number; base: number; exact: boolean };

/** The rule the options describe, checked: throws on a rule that makes no sense. */
export function ruleOf(options: DisclosureOptions = {}): Rule {
  const threshold = options.threshold ?? DEFAULT_DISCLOSURE.threshold;
  const base = options.base ?? DEFAULT_DISCLOSURE.base;
  if (!Number.isSafeInteger(threshold) || threshold < 0)
    throw new RangeError(`Disclosure threshold must be a whole number, 0 or more: ${threshold}`);
  if (!Number.isSafeInteger(base) || base < 1)
    throw new RangeError(`Disclosure rounding base must be a whole number, 1 or more: ${base}`);
  // The smallest count shown, threshold + 1, must not round to 0: a published 0 has to mean nobody.
  if (2 * (threshold + 1) < base)
    throw new RangeError(
      `A rounding base of ${base} with a threshold of ${threshold} would show ${threshold + 1} as 0: raise the threshold`,
    );
  return { threshold, base, exact: options.exact ?? false };
}

function assertCount(value: number, what = 'A count'): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} to publish must be a whole number, 0 or more: ${String(value)}`);
  }
}

/** Nearest multiple of `base`; a tie rounds up. Integer arithmetic, so no floating-point surprises. */
function roundToBase(value: number, base: number): number {
  const remainder = value % base;
  return 2 * remainder >= base ? value - remainder + base : value - remainder;
}

function discloseWith(value: number, rule: Rule): Disclosed {
  assertCount(value);
  if (value === 0 || rule.exact) return value;
  if (value <= rule.threshold) return SUPPRESSED;
  return roundToBase(value, rule.base);
}

/**
 * Every count that a figure published as `shown` (a rounded count, not '*') can stand for: what anyone
 * reading the figure knows of the count. 0 is exactly 0; a rounded figure covers the counts that round to
 * it and are above the threshold.
 */
export function countsShownAs(shown: number, options?: DisclosureOptions): { lo: number; hi: number } {
  const rule = ruleOf(options);
  assertCount(shown, 'A published figure');
  if (shown === 0 || rule.exact) return { lo: shown, hi: shown };
  if (shown % rule.base !== 0) throw new RangeError(`${shown} is not a multiple of ${rule.base}`);
  // roundToBase sends shown - floor(base / 2) up (a tie) and shown + ceil(base / 2) - 1 down to shown.
  return {
    lo: Math.max(rule.threshold + 1, shown - Math.floor(rule.base / 2)),
    hi: shown + Math.ceil(rule.base / 2) - 1,
  };
}

/** A count as it may be published. Throws on a negative, fractional or non-finite value: counts are people. */
export function disclose(value: number, options?: DisclosureOptions): Disclosed {
  return discloseWith(value, ruleOf(options));
}

export type RateOptions = DisclosureOptions & {
  /** Decimal places of the percentage. Default 0. */
  decimals?: number;
};

/**
 * A percentage (numerator / denominator x 100) from the figures as published: '*' when either is
 * suppressed, null when there is nothing to divide by (a denominator of 0, shown as '–'). Rounded half up
 * to `decimals` places. A numerator above the denominator (possible only in a return that fails
 * validation) gives a rate above 100 rather than an error, so a page can still show what was imported.
 */
export function discloseRate(
  numerator: number,
  denominator: number,
  options: RateOptions = {},
): number | Suppressed | null {
  const rule = ruleOf(options);
  assertCount(numerator, 'A rate numerator');
  assertCount(denominator, 'A rate denominator');
  const decimals = options.decimals ?? 0;
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 6)
    throw new RangeError(`Decimal places must be a whole number from 0 to 6: ${decimals}`);
  if (denominator === 0) return null;
  return rateOf(discloseWith(numerator, rule), discloseWith(denominator, rule), decimals);
}

/**
 * A percentage from two figures as published: '*' when either is hidden, null (shown '–') when the
 * denominator is 0. Rounded half up to `decimals` places. Nothing but the published figures goes in, so a
 * rate can never tell more than they do.
 */
export function rateOf(top: Disclosed, bottom: Disclosed, decimals = 0): number | Suppressed | null {
  if (top === SUPPRESSED || bottom === SUPPRESSED) return SUPPRESSED;
  if (bottom === 0) return null;
  const scale = 10 ** decimals;
  // top * 100 * scale / bottom is a quotient of whole numbers: an exact half is exactly representable, so
  // Math.round (half up for positive numbers) rounds it the stated way.
  return Math.round((top * 100 * scale) / bottom) / scale;
}

/** How a published figure reads: '*' as it is, null as '–', a number with thousands separators. */
export function formatDisclosed(value: Disclosed | null, suffix = ''): string {
  if (value === null) return '–';
  if (value === SUPPRESSED) return SUPPRESSED;
  return `${value.toLocaleString('en-GB')}${suffix}`;
}

/** The sentence a page or export shows beside disclosed figures, so readers know what '*' means. */
export function disclosureNote(options: TableDisclosureOptions = {}): string {
  const rule = ruleOf(options);
  if (rule.exact || options.national) return 'National figures are shown exactly.';
  return (
    `To protect people's privacy, counts from 1 to ${rule.threshold} are shown as ${SUPPRESSED} and other counts are ` +
    `rounded to the nearest ${rule.base}. Percentages are worked out from the rounded counts, and not shown (${SUPPRESSED}) ` +
    `where a count behind them is hidden.`
  );
}

export type TableDisclosureOptions = DisclosureOptions & {
  /** A national table: every figure is shown exactly (same as exact: true). */
  national?: boolean;
};

const tableRule = (options: TableDisclosureOptions): Rule =>
  ruleOf({ ...options, exact: options.exact || options.national });

export type DisclosedTable<R extends string, C extends string> = Record<R, Record<C, Disclosed | null>>;

/** Every cell of a table of counts (rows of cells, such as one breakdown of a return) disclosed; null stays null. */
export function discloseTable<R extends string, C extends string>(
  table: Readonly<Record<R, Readonly<Record<C, number | null>>>>,
  options: TableDisclosureOptions = {},
): DisclosedTable<R, C> {
  const rule = tableRule(options);
  const out = {} as DisclosedTable<R, C>;
  for (const [row, cells] of Object.entries(table) as [R, Record<C, number | null>][]) {
    out[row] = Object.fromEntries(
      Object.entries(cells).map(([col, v]) => [col, v === null ? null : discloseWith(v as number, rule)]),
    ) as Record<C, Disclosed | null>;
  }
  return out;
}

export type DisclosedReturn = Omit<QuarterlyReturn, 'totals' | 'breakdowns'> & {
  totals: Record<Measure, Disclosed>;
  breakdowns: Record<BreakdownKey, Record<string, Record<Measure, Disclosed | null>>>;
  /** The rule applied, so a page can say what '*' means (disclosureNote). */
  disclosure: { threshold: number; base: number; exact: boolean };
};

/** A whole return disclosed: its totals and every cell of every breakdown. */
export function discloseReturn(ret: QuarterlyReturn, options: TableDisclosureOptions = {}): DisclosedReturn {
  const rule = tableRule(options);
  const { totals } = discloseTable({ totals: ret.totals }, rule);
  const breakdowns = {} as DisclosedReturn['breakdowns'];
  for (const [key, table] of Object.entries(ret.breakdowns) as [
    BreakdownKey,
    QuarterlyReturn['breakdowns'][BreakdownKey],
  ][]) {
    breakdowns[key] = discloseTable(table, rule);
  }
  return { ...ret, totals: totals as Record<Measure, Disclosed>, breakdowns, disclosure: rule };
}

export type Rates = {
  /** Quit (self-reported) / set a quit date: the national quit rate. */
  quitRate: number | Suppressed | null;
  /** CO-verified quits / set a quit date. */
  coVerifiedQuitRate: number | Suppressed | null;
  /**
   * CO-verified / self-reported quits: how many quits were confirmed (docs/domain.md, Four-week outcome:
   * show both, always).
   */
  coVerifiedShare: number | Suppressed | null;
};

/** The rates shown beside a return's counts, each from the disclosed figures. */
export function ratesOf(
  counts: { setQuitDate: number; quitSelfReported: number; quitCoVerified: number },
  options: RateOptions & { national?: boolean } = {},
): Rates {
  const o = { ...options, exact: options.exact || options.national };
  return {
    quitRate: discloseRate(counts.quitSelfReported, counts.setQuitDate, o),
    coVerifiedQuitRate: discloseRate(counts.quitCoVerified, counts.setQuitDate, o),
    coVerifiedShare: discloseRate(counts.quitCoVerified, counts.quitSelfReported, o),
  };
}
