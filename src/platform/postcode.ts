/**
 * UK postcode normalisation. Pure functions, no I/O.
 *
 * A postcode is an outward code (area + district, e.g. "LS6", "SW1A") and an inward code
 * (sector digit + two unit letters, e.g. "1AN"). The normalised form is upper case with exactly one
 * space before the inward code: "LS6 1AN". The postcode sector is the outward code, a space and the
 * sector digit: "LS6 1".
 *
 * Validation follows the Royal Mail / BS 7666 shape rules (the letters that never appear in a given
 * position are rejected), so typos such as "LS6 1AI" are caught before any look-up. "GIR 0AA" (the
 * historic Girobank code) is accepted as well-formed.
 */

/** Longest raw input we are prepared to look at (a postcode is at most 8 characters with its space). */
const MAX_INPUT_LENGTH = 16;

// Outward code forms: A9, A99, AA9, AA99, A9A, AA9A.
//   1st letter: not Q, V, X.   2nd letter: not I, J, Z.
//   Letter after the digit in A9A: A B C D E F G H J K P S T U W.
//   Letter after the digit in AA9A: A B E H M N P R V W X Y.
// Inward code: a digit then two letters, never C, I, K, M, O or V.
export const OUTWARD =
  '(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])';
const INWARD = '[0-9][ABD-HJLNP-UW-Z]{2}';
const COMPACT_POSTCODE = new RegExp(`^(?:${OUTWARD}${INWARD}|GIR0AA)$`);

/** Each character class also in lower case: JSON Schema patterns take no flags. */
const anyCase = (source: string) =>
  source.replace(/\[([^\]]+)\]/g, (_, c: string) => `[${c}${c.toLowerCase()}]`);

/**
 * What normalisePostcode accepts typed with the usual spacing, as the API's description publishes it:
 * the same shape rules, in either case, with spaces around the inward code. Anything it matches (up to
 * 16 characters) normalises; the tests hold the two together.
 */
export const POSTCODE_PATTERN = `^\\s*(?:${anyCase(OUTWARD)}\\s*${anyCase(INWARD)}|[Gg][Ii][Rr]\\s*0[Aa][Aa])\\s*$`;

/**
 * Normalise user input to the canonical "LS6 1AN" form, or return null when the input is not shaped
 * like a UK postcode. Leading/trailing/inner whitespace and case are ignored; nothing else is
 * tolerated (no punctuation, no markup, no extra characters).
 *
 *   normalisePostcode(' ls61an ')  === 'LS6 1AN'
 *   normalisePostcode('sw1a   1aa') === 'SW1A 1AA'
 *   normalisePostcode('LS6')        === null
 */
export function normalisePostcode(input: string): string | null {
  if (typeof input !== 'string' || input.length > MAX_INPUT_LENGTH) return null;
  const stripped = input.replace(/\s+/g, '');
  // ASCII check before upper-casing: 'ı'.toUpperCase() === 'I' and 'ſ'.toUpperCase() === 'S'.
  if (!/^[A-Za-z0-9]{5,7}$/.test(stripped)) return null;
  const compact = stripped.toUpperCase();
  if (!COMPACT_POSTCODE.test(compact)) return null;
  return `${compact.slice(0, -3)} ${compact.slice(-3)}`;
}

/**
 * The postcode sector ("LS6 1") of a postcode given in any form normalisePostcode accepts, or null
 * when the input is not a postcode.
 */
export function postcodeSector(pc: string): string | null {
  const normalised = normalisePostcode(pc);
  return normalised === null ? null : normalised.slice(0, -2);
}
