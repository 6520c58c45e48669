import { z } from 'zod';
import { postcodeField } from '../../platform/form-fields.ts';
import { capitalise, isUuid, optionalText, requiredText } from '../../platform/validation.ts';
import { newPasswordFields, passwordsMatch } from '../../platform/passwords.ts';
import { ROLES } from '../../platform/roles.ts';
import type { Role } from '../../platform/roles.ts';
import { ORGANISATION_TYPES, type OrganisationType } from './organisation.codes.ts';
import { parseUkPhone } from '../../platform/phone.ts';

// One schema per form. Every field arrives as a string (or not at all) from an HTML form.

const required = requiredText;

const optional = optionalText;

// Names of organisations, sites and keys: letters, numbers and everyday punctuation. Angle brackets,
// braces and the like never belong in one, so script-like input is refused rather than stored.
const NAME_TEXT = /^[\p{L}\p{M}\p{N} &'’,.()/:+-]+$/u;
const NAME_TEXT_HELP = "letters, numbers, spaces and & ' , . ( ) / : + -";
const nameText = (label: string, max: number) =>
  required(label, max).regex(NAME_TEXT, `${capitalise(label)} must only include ${NAME_TEXT_HELP}`);

// People's names, as in the referral form.
const PERSON_NAME = /^[\p{L}\p{M}][\p{L}\p{M} '’.-]*$/u;

// Addresses may run over several lines.
const ADDRESS = /^[\p{L}\p{M}\p{N} &'’,.()/:+\-\r\n]+$/u;

const EMAIL_FORMAT = 'Enter an email address in the correct format, like name@example.com';
const LA_CODE = /^E\d{8}$/;

export { isUuid };

const organisationTypes = Object.keys(ORGANISATION_TYPES) as [OrganisationType, ...OrganisationType[]];

export const OrganisationSchema = z
  .object({
    name: nameText('the organisation name', 200),
    type: z.enum(organisationTypes, { error: 'Select the type of organisation' }),
    localAuthorityCode: z
      .string({ error: 'Select a local authority from the list' })
      .trim()
      .optional()
      .transform((v) => (v ? v : undefined))
      .refine((v) => v === undefined || LA_CODE.test(v), 'Select a local authority from the list'),
    odsCode: optional('the ODS code', 10)
      .transform((v) => v?.toUpperCase())
      .refine(
        (v) => v === undefined || /^[A-Z0-9]{3,10}$/.test(v),
        'ODS code must be 3 to 10 letters and numbers, like RR8 or B86001',
      ),
    email: optional('the email address', 254).refine(
      (v) => v === undefined || z.email().safeParse(v).success,
      EMAIL_FORMAT,
    ),
    phone: optional('the phone number', 20).refine(
      (v) => v === undefined || parseUkPhone(v) !== null,
      'Enter a UK phone number, like 0113 496 0000',
    ),
  })
  .superRefine((o, ctx) => {
    // Every organisation but a national body works in one local authority: that is what scopes its data.
    if (o.type === 'national_body' && o.localAuthorityCode) {
      ctx.addIssue({
        code: 'custom',
        path: ['localAuthorityCode'],
        message: 'Leave the local authority blank for a national body',
      });
    }
    if (o.type !== 'national_body' && !o.localAuthorityCode) {
      ctx.addIssue({
        code: 'custom',
        path: ['localAuthorityCode'],
        message: 'Select the local authority the organisation works in',
      });
    }
  });
export type OrganisationInput = z.infer<typeof OrganisationSchema>;

export const SiteSchema = z.object({
  siteName: nameText('the site name', 200),
  address: required('the address', 300).regex(ADDRESS, `Address must only include ${NAME_TEXT_HELP}`),
  postcode: postcodeField('the'),
});
export type SiteInput = z.infer<typeof SiteSchema>;

const isRealDate = (v: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
};

export const commissionSchema = (today: string) =>
  z.object({
    localAuthorityCode: z
      .string({ error: 'Select the local authority' })
      .trim()
      .min(1, 'Select the local authority')
      .regex(LA_CODE, 'Select a local authority from the list'),
    startsOn: z
      .string({ error: 'Enter the date the service starts' })
      .min(1, 'Enter the date the service starts')
      .refine(isRealDate, 'The start date must be a real date')
      .refine((v) => v >= '2000-01-01', 'The start date must be in the year 2000 or later')
      // Referral routing only knows the commission open today, so a change cannot be scheduled ahead yet.
      .refine(
        (v) => v <= today,
        'The start date must be today or in the past. A change of service cannot be set up in advance yet',
      ),
  });
export type CommissionInput = z.infer<ReturnType<typeof commissionSchema>>;

export const ApiKeySchema = z.object({
  keyName: nameText('a name for the key', 100),
});

export const InviteSchema = z.object({
  name: required('their full name', 100).regex(
    PERSON_NAME,
    'Full name must only include letters, spaces, hyphens and apostrophes',
  ),
  email: required('their email address', 254).refine((v) => z.email().safeParse(v).success, EMAIL_FORMAT),
  role: z.enum(ROLES as [Role, ...Role[]], { error: 'Select a role' }),
  organisationId: z
    .string({ error: 'Select an organisation' })
    .min(1, 'Select an organisation')
    .refine(isUuid, 'Select an organisation from the list'),
});
export type InviteInput = z.infer<typeof InviteSchema>;

export const AcceptInvitationSchema = z.object(newPasswordFields).superRefine(passwordsMatch);

/** The shared inbox for updates on the referrals an organisation sends; left empty, it is cleared. */
export const ReferralUpdatesInboxSchema = z.object({
  referralUpdatesEmail: optional('the shared inbox email address', 254).refine(
    (v) => v === undefined || z.email().safeParse(v).success,
    EMAIL_FORMAT,
  ),
});

/** What the user typed, kept to show again on error. Strings only, never the CSRF token or passwords. */
export function keptValues(body: unknown, omit: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  if (!body || typeof body !== 'object') return out;
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (k === '_csrf' || omit.includes(k)) continue;
    if (typeof v === 'string') out[k] = v.slice(0, 1000);
  }
  return out;
}

/** A form body as a plain record: a field sent twice (an array) is treated as not a string, so it fails validation. */
export function bodyOf(body: unknown): Record<string, unknown> {
  return body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
}
