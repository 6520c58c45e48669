import { z } from 'zod';
import {
  emailField,
  keys,
  optionalText,
  personName,
  phoneField,
  postcodeField,
  type Whose,
} from '../../platform/form-fields.ts';
import {
  isValidNhsNumber,
  NHS_NUMBER_DESCRIPTION,
  NHS_NUMBER_PATTERN,
  normaliseNhsNumber,
} from './nhs-number.ts';
import { campaignCodeField } from './campaign-code.ts';
import { isIsoDate, type IsoDate } from '../../platform/dates.ts';
import { ageOn } from './demographics.ts';
import { canTakeTexts } from '../../platform/phone.ts';
import {
  ASKED_STATUSES,
  CONTACT_METHODS,
  CONTACT_TIMES,
  IN_TALKING_THERAPIES,
  MENTAL_HEALTH,
  REFERRABLE_STATUSES,
  SMOKING_STATUS,
  SMOKES,
  VAPING_STATUS,
  type AskedStatus,
  type SmokingStatus,
} from './referral.codes.ts';

/**
 * A real, past date of birth giving an age of 12 to 120 on `today`, as YYYY-MM-DD. `today` comes from
 * the app's clock, so a pinned day in a test or the demonstration decides the age, not the machine's.
 */
export const dateOfBirthField = (whose: Whose, today: IsoDate) =>
  z
    .string({ error: `Enter ${whose} date of birth` })
    .min(1, `Enter ${whose} date of birth`)
    .superRefine((v, ctx) => {
      const problem = (message: string) => ctx.addIssue({ code: 'custom', message });
      if (!isIsoDate(v)) return problem('Date of birth must be a real date');
      // ISO dates compare as text in date order.
      if (v >= today) return problem('Date of birth must be in the past');
      const age = ageOn(v, today);
      if (age === null || age < 12 || age > 120) {
        problem(
          whose === 'their'
            ? 'Check the date of birth: the person must be between 12 and 120 years old'
            : 'Check your date of birth: you must be between 12 and 120 years old',
        );
      }
    })
    .meta({
      format: 'date',
      pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
      description:
        "A real date, YYYY-MM-DD, in the past, giving an age of 12 to 120 years on the day the referral is sent (England's date).",
      examples: ['1988-04-09'],
    });

// A choice that is not on the list (a changed form) gets the field's own message, not zod's English.
export const contactMethodsField = (message: string) =>
  z
    .array(z.enum(keys(CONTACT_METHODS), { error: message }), { error: message })
    .min(1, message)
    .max(3, message);

export const contactTimesField = (message?: string) =>
  z.enum(keys(CONTACT_TIMES), message ? { error: message } : undefined).default('any');

const ask = {
  smokingStatus: z.enum(keys(SMOKING_STATUS), { error: 'Select whether the person smokes' }),
  vapingStatus: z.enum(keys(VAPING_STATUS), { error: 'Select whether the person vapes' }),
  adviceGiven: z.literal('yes', { error: 'Confirm that you gave Very Brief Advice' }),
};

/** The details of a person being referred, as the staff form and the API ask for them. */
export const personFields = (today: IsoDate) => ({
  givenName: personName('their first name'),
  familyName: personName('their last name'),
  dateOfBirth: dateOfBirthField('their', today),
  postcode: postcodeField('their'),
  phone: phoneField('their'),
  email: emailField('their'),
  contactMethods: contactMethodsField('Select how they would like to be contacted'),
  contactTimes: contactTimesField(),
  nhsNumber: optionalText('their NHS number', 12)
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      if (!isValidNhsNumber(v)) {
        ctx.addIssue({ code: 'custom', message: 'Enter a valid 10 digit NHS number, or leave it blank' });
        return z.NEVER;
      }
      return normaliseNhsNumber(v);
    })
    .meta({ pattern: NHS_NUMBER_PATTERN, description: NHS_NUMBER_DESCRIPTION, examples: ['943 476 5919'] }),
  mentalHealth: z.enum(keys(MENTAL_HEALTH), { error: 'Select what you know of their mental health' }),
  inTalkingTherapies: z.enum(keys(IN_TALKING_THERAPIES), {
    error: 'Select whether they are in NHS Talking Therapies',
  }),
  consentShareProgress: z.enum(['yes', 'no'], {
    error: 'Select whether they agree to you seeing their progress',
  }),
  language: optionalText('their language', 100),
  accessNeeds: optionalText('their access needs', 500),
  notes: optionalText('anything else the service should know', 1000),
});

/**
 * Ask only: the person does not smoke, used to, or did not want to say. On the referrer's form the
 * asking is recorded on its own, with no advice and no referral; nothing about the person is kept.
 */
export const AskedOnlySchema = z.object({
  smokingStatus: z.enum(ASKED_STATUSES.filter((s) => s !== SMOKES) as [AskedStatus, ...AskedStatus[]], {
    error: 'Select whether the person smokes',
  }),
  vapingStatus: ask.vapingStatus,
});

/** Ask and Advise, when the person does not want a referral: nothing about them is kept. */
export const AdviceOnlySchema = z.object({ ...ask, acceptsReferral: z.literal('no') });

/**
 * Ask, Advise and Act: one schema for the staff form and the JSON API. Built for a day, as the date of
 * birth is judged against today by the app's clock, and kept for that day: building and compiling the
 * schemas on every request was a sixth of the referral API's CPU (bench/README.md, Profile of one referral).
 */
export function referralSchemas(today: IsoDate): ReferralSchemas {
  if (kept?.today !== today) kept = { today, schemas: buildReferralSchemas(today) };
  return kept.schemas;
}

let kept: { today: IsoDate; schemas: ReferralSchemas } | undefined;

function buildReferralSchemas(today: IsoDate) {
  const referral = z
    .object({
      ...ask,
      acceptsReferral: z.literal('yes'),
      ...personFields(today),
      campaignCode: campaignCodeField('staff'),
    })
    .superRefine((r, ctx) => {
      if (!REFERRABLE_STATUSES.includes(r.smokingStatus as SmokingStatus)) {
        ctx.addIssue({
          code: 'custom',
          path: ['smokingStatus'],
          message:
            'Only people who smoke, or have recently stopped, can be referred. Record the advice without a referral instead.',
        });
      }
      if (!r.phone && !r.email) {
        ctx.addIssue({
          code: 'custom',
          path: ['phone'],
          message: 'Enter a phone number or an email address so the service can contact them',
        });
      }
      if ((r.contactMethods.includes('phone') || r.contactMethods.includes('text')) && !r.phone) {
        ctx.addIssue({
          code: 'custom',
          path: ['phone'],
          message: 'Enter their phone number, or choose a way to contact them that does not need one',
        });
      } else if (r.contactMethods.includes('text') && r.phone && !canTakeTexts(r.phone)) {
        // The same rule as self-referral: a text to a landline, a 070 personal number or a 076 pager
        // never arrives, and the person is recorded as unreachable when they chose to be texted.
        ctx.addIssue({
          code: 'custom',
          path: ['phone'],
          message:
            'Enter a mobile number for text messages, like 07700 900 982, or choose another way to contact them',
        });
      }
      if (r.contactMethods.includes('email') && !r.email) {
        ctx.addIssue({
          code: 'custom',
          path: ['email'],
          message: 'Enter their email address, or choose a way to contact them that does not need one',
        });
      }
    });

  const askAdviseAct = z.discriminatedUnion('acceptsReferral', [AdviceOnlySchema, referral], {
    error: 'Select whether the person accepts a referral',
  });
  return { referral, askAdviseAct };
}

/**
 * What the JSON API was sent. A body with no referral answer for someone who does not smoke (or used to,
 * or did not want to say) records the asking alone, as the staff form does, so every service can count
 * everyone it asked; anything else is Ask, Advise and Act. Someone who smokes always needs the advice.
 */
export function parseApiBody(body: unknown, today: IsoDate) {
  const fields = body !== null && typeof body === 'object' && !Array.isArray(body) ? body : {};
  const answered = 'acceptsReferral' in fields || 'adviceGiven' in fields;
  const status = 'smokingStatus' in fields ? fields.smokingStatus : undefined;
  if (!answered && status !== SMOKES && (ASKED_STATUSES as readonly unknown[]).includes(status)) {
    const only = AskedOnlySchema.safeParse(fields);
    return only.success
      ? ({ kind: 'asked_only', data: only.data } as const)
      : ({ kind: 'invalid', error: only.error } as const);
  }
  const parsed = referralSchemas(today).askAdviseAct.safeParse(body ?? {});
  return parsed.success
    ? ({ kind: 'ask_advise_act', data: parsed.data } as const)
    : ({ kind: 'invalid', error: parsed.error } as const);
}

type ReferralSchemas = ReturnType<typeof buildReferralSchemas>;

export type AdviceOnlyInput = z.infer<typeof AdviceOnlySchema>;
export type AskedOnlyInput = z.infer<typeof AskedOnlySchema>;
export type ReferralInput = z.infer<ReferralSchemas['referral']>;
export type AskAdviseActInput = z.infer<ReferralSchemas['askAdviseAct']>;
