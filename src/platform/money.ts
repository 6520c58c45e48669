// Money typed by a commissioner, kept in whole pence so sums are exact. Pure.

/** A limit that catches a slip (extra noughts) while allowing the largest contract a council lets. */
export const MAX_POUNDS = 1_000_000_000;

/**
 * "£12,500", "12500.5" or "12,500.50" to pence; null when blank; an error message when it is not an amount
 * of money in pounds and pence between 0 and MAX_POUNDS.
 */
export function parsePounds(raw: string, max = MAX_POUNDS): { pence: number | null } | { error: string } {
  const s = raw.trim().replace(/^£/, '').trim();
  if (s === '') return { pence: null };
  const plain = s.replaceAll(',', '');
  // Commas only as thousands separators, so "1,50" is not read as 150.
  if (s.includes(',') && !/^\d{1,3}(,\d{3})*(\.\d*)?$/.test(s)) return { error: 'not-money' };
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(plain);
  if (!m) return { error: 'not-money' };
  const pounds = Number(m[1]);
  if (pounds > max) return { error: 'too-large' };
  const pence = pounds * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  if (pence > max * 100) return { error: 'too-large' };
  return { pence };
}

const formatter = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' });
const wholeFormatter = new Intl.NumberFormat('en-GB', {
  style: 'currency',
  currency: 'GBP',
  maximumFractionDigits: 0,
});

/** £12,500.50; whole pounds without pence (£12,500) when `whole` or when the pence are 0. */
export function formatPence(pence: number, whole = false): string {
  return whole || pence % 100 === 0
    ? wholeFormatter.format(Math.round(pence / 100))
    : formatter.format(pence / 100);
}

/** What a form shows back for a saved amount: 12500.50, or 12500 for whole pounds. */
export const poundsInput = (pence: number | null): string =>
  pence === null ? '' : pence % 100 === 0 ? String(pence / 100) : (pence / 100).toFixed(2);
