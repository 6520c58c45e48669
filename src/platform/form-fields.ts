import { z } from 'zod';
import { normalisePostcode, POSTCODE_PATTERN } from './postcode.ts';
import { parseUkPhone, UK_PHONE_PATTERN } from './phone.ts';

// Fields that many forms share, in the NHS's words. Each trims what was typed, says what to enter
// when it is missing or wrong, and keeps its limits in one place.

/** The keys of a code list, as zod's enum wants them (at least one). */
export const keys = <T extends Record<string, string>>(o: T) =>
  Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];

export const text = (label: string, max: number) =>
  z
    .string({ error: `Enter ${label}` })
    .trim()
    .max(max, `${label[0]!.toUpperCase()}${label.slice(1)} must be ${max} characters or fewer`);

export const optionalText = (label: string, max: number) =>
  text(label, max)
    .optional()
    .transform((v) => (v ? v : undefined));

// Names: letters from any language, spaces, hyphens and apostrophes. Angle brackets and the like never
// belong in a name, so script-like input is refused rather than stored.
const NAME = /^[\p{L}\p{M}][\p{L}\p{M} '’.-]*$/u;
export const personName = (label: string) =>
  text(label, 100)
    .min(1, `Enter ${label}`)
    .regex(
      NAME,
      `${label[0]!.toUpperCase()}${label.slice(1)} must only include letters, spaces, hyphens and apostrophes`,
    );

export function isoDateOf(day: unknown, month: unknown, year: unknown): string | undefined {
  const d = String(day ?? '').trim();
  const m = String(month ?? '').trim();
  const y = String(year ?? '').trim();
  if (!d && !m && !y) return undefined;
  return `${y.padStart(4, '0')}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
}

/** Whose details a form asks for: a referrer's form says "their", a person's own form says "your". */
export type Whose = 'their' | 'your' | 'the';

/** A UK postcode, normalised to its standard form (LS6 1AN). */
export const postcodeField = (whose: Whose) =>
  z
    .string({ error: `Enter ${whose} postcode` })
    .trim()
    .min(1, `Enter ${whose} postcode`)
    .max(10, 'Enter a real postcode, like LS1 4AP')
    // What the API's description says (platform/openapi.ts), next to the check it describes.
    .meta({
      pattern: POSTCODE_PATTERN,
      description:
        'A UK postcode, in upper or lower case, with or without the space: Royal Mail\'s shape rules (letters that never appear in a position are refused). Stored as "LS6 1AN".',
      examples: ['LS6 1AN'],
    })
    .transform((v, ctx) => {
      const pc = normalisePostcode(v);
      if (!pc) {
        ctx.addIssue({ code: 'custom', message: 'Enter a real postcode, like LS1 4AP' });
        return z.NEVER;
      }
      return pc;
    });

export const phoneField = (whose: Whose) =>
  optionalText(`${whose} phone number`, 20)
    .refine(
      (v) => v === undefined || parseUkPhone(v) !== null,
      'Enter a UK phone number, like 07700 900 982 or 0113 496 0000',
    )
    .meta({
      pattern: UK_PHONE_PATTERN,
      description:
        "A UK phone number: 0 or +44, then 9 or 10 digits, spaces allowed between digits. It must be a real number in the UK numbering plan (Ofcom's, as libphonenumber holds it; the drama range 07700 900000 to 07700 900999 is taken as a mobile). To be texted, it must be a mobile.",
      examples: ['07700 900982'],
    });

export const emailField = (whose: Whose) =>
  optionalText(`${whose} email address`, 254)
    .refine(
      (v) => v === undefined || z.email().safeParse(v).success,
      'Enter an email address in the correct format, like name@example.com',
    )
    .meta({ format: 'email', examples: ['sam.jones@example.com'] });
