import { z } from 'zod';
import { isIsoDate } from '../../platform/dates.ts';
import { isoDateOf } from '../../platform/form-fields.ts';
import { ORGANISATION_TYPES } from '../organisations/organisation.codes.ts';
import { capitalise, isUuid, optionalText, requiredText } from '../../platform/validation.ts';
import {
  PARTNER_STATUSES,
  POLICY_STATUSES,
  SECTORS,
  type PartnerStatus,
  type PolicyStatus,
  type Sector,
} from './policy.ts';
import { COURSE_CODES, COURSES } from './training.ts';
import { parseUkPhone } from '../../platform/phone.ts';

// One schema per form. Every field arrives as a string (or not at all) from an HTML form; dates arrive
// as three boxes and are joined by isoDateOf before they reach a schema.

/**
 * What kind of organisation a partner is: Mortar's organisation types (a linked partner takes its
 * organisation's), and two that are not in Mortar. Stop smoking services and national bodies are not
 * partners of an authority's system in this sense.
 */
export const PARTNER_KINDS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    Object.entries(ORGANISATION_TYPES).filter(
      ([k]) => !['stop_smoking_service', 'national_body', 'community_other'].includes(k),
    ),
  ),
  mental_health_trust: 'Mental health trust',
  community_other: ORGANISATION_TYPES.community_other,
  other: 'Other',
};
export const kindLabel = (k: string | null) =>
  k ? (PARTNER_KINDS[k] ?? (ORGANISATION_TYPES as Record<string, string>)[k] ?? k) : '';

const NAME_TEXT = /^[\p{L}\p{M}\p{N} &'’,.()/:+-]+$/u;
const NAME_HELP = "letters, numbers, spaces and & ' , . ( ) / : + -";
const PERSON_NAME = /^[\p{L}\p{M}][\p{L}\p{M} '’.-]*$/u;

const keys = <T extends Record<string, string>>(o: T) =>
  Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];

/** A date from three boxes: blank is undefined, anything else must be a real date from 2000 to `latest`. */
const dateField = (label: string, opts: { required: boolean; latest?: string; latestMessage?: string }) =>
  z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .superRefine((v, ctx) => {
      if (v === undefined) {
        if (opts.required) ctx.addIssue({ code: 'custom', message: `Enter ${label}` });
        return;
      }
      if (!isIsoDate(v))
        ctx.addIssue({ code: 'custom', message: `${capitalise(label)} must be a real date` });
      else if (v < '2000-01-01')
        ctx.addIssue({ code: 'custom', message: `${capitalise(label)} must be in the year 2000 or later` });
      else if (opts.latest && v > opts.latest)
        ctx.addIssue({
          code: 'custom',
          message: opts.latestMessage ?? `${capitalise(label)} must be today or in the past`,
        });
    });

/** The three boxes of each named date, joined into YYYY-MM-DD (or undefined when all are blank). */
export function withDates(body: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...body };
  for (const n of names) out[n] = isoDateOf(body[`${n}-day`], body[`${n}-month`], body[`${n}-year`]);
  return out;
}

/** The three boxes of a stored date, to fill a form. */
export function dateValues(name: string, iso: string | null | undefined): Record<string, string> {
  if (!iso) return {};
  return {
    [`${name}-day`]: String(Number(iso.slice(8, 10))),
    [`${name}-month`]: String(Number(iso.slice(5, 7))),
    [`${name}-year`]: iso.slice(0, 4),
  };
}

export const partnerSchema = (today: string) =>
  z.object({
    // Blank when the partner is linked to an organisation in Mortar: its name is used.
    name: optionalText('the partner’s name', 200).refine(
      (v) => v === undefined || NAME_TEXT.test(v),
      `The partner’s name must only include ${NAME_HELP}`,
    ),
    organisationId: z
      .string()
      .optional()
      .transform((v) => (v ? v : undefined))
      .refine((v) => v === undefined || isUuid(v), 'Select an organisation from the list'),
    sector: z.enum(keys(SECTORS) as [Sector, ...Sector[]], { error: 'Select the sector' }),
    kind: z
      .string()
      .optional()
      .transform((v) => (v ? v : undefined))
      .refine((v) => v === undefined || v in PARTNER_KINDS, 'Select the kind of organisation from the list'),
    status: z.enum(keys(PARTNER_STATUSES) as [PartnerStatus, ...PartnerStatus[]], {
      error: 'Select the partner’s status',
    }),
    joinedOn: dateField('the date they joined', {
      required: false,
      latest: today,
      latestMessage: 'The date they joined must be today or in the past',
    }),
    notes: optionalText('notes', 2000),
  });
export type PartnerInput = z.infer<ReturnType<typeof partnerSchema>>;

export const ContactSchema = z.object({
  contactName: requiredText('their name', 100).regex(
    PERSON_NAME,
    'Name must only include letters, spaces, hyphens and apostrophes',
  ),
  contactRole: optionalText('their role', 100),
  email: optionalText('the email address', 254).refine(
    (v) => v === undefined || z.email().safeParse(v).success,
    'Enter an email address in the correct format, like name@example.com',
  ),
  phone: optionalText('the phone number', 30).refine(
    (v) => v === undefined || parseUkPhone(v) !== null,
    'Enter a UK phone number, like 0113 496 0000',
  ),
  isPrimary: z
    .string()
    .optional()
    .transform((v) => v === 'yes'),
});
export type ContactInput = z.infer<typeof ContactSchema>;

/** When both dates are given and valid, the second must be after the first (an error on its field otherwise). */
function laterThan(
  ctx: z.RefinementCtx,
  first: string | undefined,
  second: string | undefined,
  path: string,
  message: string,
) {
  if (first && second && isIsoDate(first) && isIsoDate(second) && second <= first) {
    ctx.addIssue({ code: 'custom', path: [path], message });
  }
}

export const policySchema = (today: string) =>
  z
    .object({
      policyStatus: z.enum(keys(POLICY_STATUSES) as [PolicyStatus, ...PolicyStatus[]], {
        error: 'Select the status of their smokefree policy',
      }),
      adoptedOn: dateField('the date it was adopted', {
        required: false,
        latest: today,
        latestMessage: 'The date it was adopted must be today or in the past',
      }),
      reviewOn: dateField('the review date', { required: false }),
      policyNotes: optionalText('notes', 2000),
    })
    .superRefine((p, ctx) => {
      if (p.policyStatus === 'adopted' && !p.adoptedOn) {
        ctx.addIssue({
          code: 'custom',
          path: ['adoptedOn'],
          message: 'Enter the date the policy was adopted',
        });
      }
      if (p.policyStatus !== 'adopted' && p.adoptedOn) {
        ctx.addIssue({
          code: 'custom',
          path: ['adoptedOn'],
          message: 'Leave the date adopted blank unless the policy is adopted',
        });
      }
      if (p.policyStatus === 'none' && p.reviewOn) {
        ctx.addIssue({
          code: 'custom',
          path: ['reviewOn'],
          message: 'Leave the review date blank when there is no policy',
        });
      }
      laterThan(
        ctx,
        p.adoptedOn,
        p.reviewOn,
        'reviewOn',
        'The review date must be after the date it was adopted',
      );
    });
export type PolicyInput = z.infer<ReturnType<typeof policySchema>>;

export const trainingSchema = (today: string) =>
  z
    .object({
      staffName: requiredText('the name of the member of staff', 100).regex(
        PERSON_NAME,
        'Name must only include letters, spaces, hyphens and apostrophes',
      ),
      staffRole: optionalText('their job title', 100),
      course: z.enum(COURSE_CODES, { error: 'Select the training they completed' }),
      completedOn: dateField('the date they completed it', {
        required: true,
        latest: today,
        latestMessage: 'The date they completed it must be today or in the past',
      }),
      renewalDueOn: dateField('the renewal date', { required: false }),
    })
    .superRefine((t, ctx) => {
      laterThan(
        ctx,
        t.completedOn,
        t.renewalDueOn,
        'renewalDueOn',
        'The renewal date must be after the date they completed it',
      );
    });
export type TrainingInput = z.infer<ReturnType<typeof trainingSchema>>;

/** Radio and select items for the forms, with the submitted value marked. */
export const itemsOf = (labels: Record<string, string>, selected: string | undefined) =>
  Object.entries(labels).map(([value, text]) => ({
    value,
    text,
    checked: value === selected,
    selected: value === selected,
  }));

export const courseItems = (selected: string | undefined) => itemsOf(COURSES, selected);

/** Where each field's error links to: a date's first box. */
export const DATE_ANCHORS = {
  joinedOn: 'joinedOn-day',
  adoptedOn: 'adoptedOn-day',
  reviewOn: 'reviewOn-day',
  completedOn: 'completedOn-day',
  renewalDueOn: 'renewalDueOn-day',
};
