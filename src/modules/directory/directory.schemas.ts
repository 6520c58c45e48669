import { z } from 'zod';
import { postcodeField } from '../../platform/form-fields.ts';
import { asArray } from '../../platform/forms.ts';
import {
  capitalise,
  optionalText as baseOptionalText,
  requiredText as baseRequiredText,
} from '../../platform/validation.ts';
import { DIRECTORY_AID_CODES, MODE_CODES, type DirectoryAid, type Mode } from './directory.codes.ts';
import { parseUkPhone } from '../../platform/phone.ts';

// One schema per form. Every field arrives as a string (checkboxes as one string or several) or not at all.

// Free text is shown back escaped, so it may hold any printable character; control characters other
// than line breaks and tabs never belong in it.
const PRINTABLE = /^[^\p{Cc}]*$/u;
const printable = (v: string) => PRINTABLE.test(v.replace(/[\r\n\t]/g, ''));
const noSpecial = (label: string) => `${capitalise(label)} must not contain special characters`;

const requiredText = (label: string, max: number) =>
  baseRequiredText(label, max).refine(printable, noSpecial(label));

/** Blank becomes null, as the column stores it. */
const optionalText = (label: string, max: number) =>
  baseOptionalText(label, max)
    .refine((v) => v === undefined || printable(v), noSpecial(label))
    .transform((v) => v ?? null);

const yesNo = (message: string) => z.enum(['yes', 'no'], { error: message }).transform((v) => v === 'yes');

const NAME_TEXT = /^[\p{L}\p{M}\p{N} &'’,.()/:+-]+$/u;
const NAME_TEXT_HELP = "letters, numbers, spaces and & ' , . ( ) / : + -";
const ADDRESS = /^[\p{L}\p{M}\p{N} &'’,.()/:+\-\r\n]+$/u;
const LANGUAGE = /^[\p{L}\p{M} '’()-]+$/u;

export const ServiceEntrySchema = z
  .object({
    description: requiredText('a description of the service', 1000),
    phone: optionalText('the phone number', 20).refine(
      (v) => v === null || parseUkPhone(v) !== null,
      'Enter a UK phone number, like 0113 496 0000',
    ),
    email: optionalText('the email address', 254).refine(
      (v) => v === null || z.email().safeParse(v).success,
      'Enter an email address in the correct format, like name@example.com',
    ),
    website: optionalText('the website address', 300).refine(
      (v) =>
        v === null ||
        (z.url({ protocol: /^https?$/ }).safeParse(v).success && /^https?:\/\/[^/\s]+\.[^/\s]+/i.test(v)),
      'Enter the website address in full, starting with https://',
    ),
    openingTimes: optionalText('the opening times', 500),
    modes: z.preprocess(asArray, z.array(z.string())).transform((chosen, ctx) => {
      if (chosen.length === 0 || chosen.some((m) => !MODE_CODES.includes(m as Mode))) {
        ctx.addIssue({ code: 'custom', message: 'Select how the service gives support' });
        return z.NEVER;
      }
      return MODE_CODES.filter((m) => chosen.includes(m));
    }),
    languages: optionalText('the languages', 300).transform((v, ctx) => {
      const names = (v ?? '')
        .split(/[,;\n]/)
        .map((s) => s.trim().replace(/\s+/g, ' '))
        .filter(Boolean);
      if (names.some((n) => !LANGUAGE.test(n) || n.length > 40)) {
        ctx.addIssue({
          code: 'custom',
          message: 'Enter languages as words separated by commas, like English, Urdu, Polish',
        });
        return z.NEVER;
      }
      const seen = new Set<string>();
      return names.filter((n) => !seen.has(n.toLowerCase()) && seen.add(n.toLowerCase())).slice(0, 30);
    }),
    tailoredSupport: yesNo(
      'Select yes if the service offers support made for people with anxiety or depression',
    ),
    tailoredSupportText: optionalText('what the extra support is', 500),
    inTalkingTherapies: yesNo('Select yes if the service works inside NHS Talking Therapies'),
    aids: z.preprocess(asArray, z.array(z.string())).transform((chosen, ctx) => {
      if (chosen.some((a) => !DIRECTORY_AID_CODES.includes(a as DirectoryAid))) {
        ctx.addIssue({
          code: 'custom',
          message: 'Select the medicines and vapes the service offers from the list',
        });
        return z.NEVER;
      }
      return DIRECTORY_AID_CODES.filter((a) => chosen.includes(a));
    }),
    eligibility: optionalText('who can use the service', 500),
    published: yesNo('Select yes to show the service in the public finder'),
  })
  .superRefine(
    (v, ctx) => {
      const o = (v ?? {}) as { phone?: unknown; email?: unknown; website?: unknown };
      if (!o.phone && !o.email && !o.website) {
        ctx.addIssue({
          code: 'custom',
          path: ['phone'],
          message: 'Enter at least one way to get in touch: a phone number, an email address or a website',
        });
      }
    },
    // Checked even when other fields are wrong, so that the summary lists every problem at once.
    { when: () => true },
  );
export type ServiceEntryInput = z.infer<typeof ServiceEntrySchema>;

/** Anchors for the error summary: checkboxes and radios link to their first box. */
export const ENTRY_ANCHORS: Record<string, string> = {
  modes: 'modes',
  tailoredSupport: 'tailoredSupport',
  inTalkingTherapies: 'inTalkingTherapies',
  aids: 'aids',
  published: 'published',
};

const coordinate = (label: string, min: number, max: number, example: string) =>
  z
    .string({ error: `Enter the ${label} once, or leave it blank` })
    .trim()
    .max(20, `Enter the ${label} as a number, like ${example}`)
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      const n = Number(v);
      if (!/^-?\d{1,3}(\.\d+)?$/.test(v) || !Number.isFinite(n)) {
        ctx.addIssue({ code: 'custom', message: `Enter the ${label} as a number, like ${example}` });
        return z.NEVER;
      }
      if (n < min || n > max) {
        ctx.addIssue({
          code: 'custom',
          message: `The ${label} must be between ${min} and ${max}, in Great Britain`,
        });
        return z.NEVER;
      }
      return n;
    });

export const LocationSchema = z
  .object({
    name: requiredText('the name of the place', 200).regex(
      NAME_TEXT,
      `Name must only include ${NAME_TEXT_HELP}`,
    ),
    address: requiredText('the address', 300)
      .regex(ADDRESS, `Address must only include ${NAME_TEXT_HELP}`)
      .transform((v) =>
        v
          .split(/\r\n?|\n/)
          .map((line) => line.trim())
          .filter(Boolean)
          .join('\n'),
      ),
    postcode: postcodeField('the'),
    latitude: coordinate('latitude', 49.8, 60.9, '53.7997'),
    longitude: coordinate('longitude', -9, 2, '-1.5491'),
    accessibility: optionalText('the accessibility notes', 500),
  })
  .superRefine((v, ctx) => {
    if ((v.latitude === null) !== (v.longitude === null)) {
      const path = v.latitude === null ? 'latitude' : 'longitude';
      ctx.addIssue({
        code: 'custom',
        path: [path],
        message: 'Enter both the latitude and the longitude, or leave both blank',
      });
    }
  });
export type LocationInput = z.infer<typeof LocationSchema>;
