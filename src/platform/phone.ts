// UK phone numbers: which are real, and which can take a text message. The numbering plan (which ranges
// are landlines, mobiles, pagers, personal numbers) comes from libphonenumber-js's full ('max') metadata,
// Google's libphonenumber data, kept up to date by the library rather than by hand here. Pure.
import { parsePhoneNumberFromString, type PhoneNumberType } from 'libphonenumber-js/max';

/**
 * The shape people are asked for: 0 or +44, then the rest of the number, digits and spaces only. The
 * library alone would also find a number inside other words ("Tel 07911 123456 ext 3"), and a number is
 * stored as it was typed, so the text must be the number and nothing else.
 */
const UK_SHAPE = /^(?:\+44\s?|0)(?:\d\s?){9,10}$/;
/** The same shape, as the API's description publishes it. */
export const UK_PHONE_PATTERN = UK_SHAPE.source;

/**
 * Ofcom's drama range, 07700 900000 to 07700 900999: mobile numbers that will never be given to anyone,
 * for fiction and examples. The library counts them as not allocated, so not valid; Mortar takes them as
 * mobiles on purpose, as its hint text, demonstration data and tests use them and a text sent to one
 * reaches nobody. (The landline drama ranges, like 0113 496 0000, are valid to the library already.)
 */
const DRAMA_MOBILE = /^\+447700900\d{3}$/;

export type UkPhone = {
  /** As typed, trimmed: how Mortar stores and shows a number. */
  text: string;
  /** +447911123456 */
  e164: string;
  /** The library's kind of number ('MOBILE', 'FIXED_LINE', 'PAGER', 'PERSONAL_NUMBER', ...), if it knows. */
  type: PhoneNumberType | undefined;
};

/** A real UK number (Guernsey, Jersey and the Isle of Man share +44), or null. */
export function parseUkPhone(input: string): UkPhone | null {
  const text = input.trim();
  if (!UK_SHAPE.test(text)) return null;
  const parsed = parsePhoneNumberFromString(text, { defaultCountry: 'GB', extract: false });
  if (!parsed || parsed.countryCallingCode !== '44') return null;
  if (DRAMA_MOBILE.test(parsed.number)) return { text, e164: parsed.number, type: 'MOBILE' };
  if (!parsed.isValid()) return null;
  return { text, e164: parsed.number, type: parsed.getType() };
}

/**
 * A UK mobile, which can take a text message. Not a 070 personal number (it forwards calls, and costs the
 * caller), not a 076 pager; the Isle of Man's 07624 mobiles are mobiles.
 */
export function canTakeTexts(input: string): boolean {
  return parseUkPhone(input)?.type === 'MOBILE';
}
