/** Strips spaces and dashes, the ways people write an NHS number ("943 476 5919"). */
export function normaliseNhsNumber(input: string): string {
  return input.replace(/[\s-]/g, '');
}

/** Modulus 11 check of a 10-digit NHS number (NHS Data Dictionary). */
export function isValidNhsNumber(input: string): boolean {
  const n = normaliseNhsNumber(input);
  if (!/^\d{10}$/.test(n)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(n[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(n[9]);
}

/**
 * The NHS number as the API's description publishes it: ten digits, in groups of 3, 3 and 4 if you
 * like. Whatever it matches normalises to ten digits; the check digit is in the description.
 */
export const NHS_NUMBER_PATTERN = '^[0-9]{3}[ -]?[0-9]{3}[ -]?[0-9]{4}$';

export const NHS_NUMBER_DESCRIPTION =
  "Optional. The person's 10-digit NHS number; spaces or hyphens between the groups of 3, 3 and 4 digits are ignored. " +
  'The last digit is a modulus 11 check digit (NHS Data Dictionary): multiply the first nine digits by 10, 9, 8 and so on down to 2, ' +
  'add the results, and take the remainder after dividing by 11 away from 11. A result of 11 means the check digit is 0; ' +
  'a result of 10 means the number is not valid. A number whose check digit does not match is refused (400).';
