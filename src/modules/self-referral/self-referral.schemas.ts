import { z } from 'zod';
import { asArray } from '../../platform/forms.ts';
import { canTakeTexts } from '../../platform/phone.ts';
import { HELP_WANTED, type HelpWanted } from '../referrals/referral.codes.ts';
import { campaignCodeField } from '../referrals/campaign-code.ts';
import type { IsoDate } from '../../platform/dates.ts';
import { contactMethodsField, contactTimesField, dateOfBirthField } from '../referrals/referral.schemas.ts';
import { emailField, isoDateOf, personName, phoneField, postcodeField } from '../../platform/form-fields.ts';

// The public form, in the person's own words ("your"), built from the same pieces as the staff form and
// the API, so a name, a date of birth, a postcode or a phone number is checked the same way everywhere.

/**
 * The consent a person gives, word for word, and its version. The version is stored with each
 * self-referral: change the words, change the version.
 */
export const CONTACT_CONSENT = {
  version: 'self-referral-consent-1',
  points: [
    'the stop smoking service for where you live can contact you about stopping smoking',
    'the service will keep your details so they can support you',
    'we will not give your details to anyone else',
  ],
} as const;

/** What a person may say about anxiety and depression, as stored in referrals.mental_health. */
export const SELF_MENTAL_HEALTH = {
  anxiety: 'Yes, anxiety',
  depression: 'Yes, depression',
  both: 'Yes, both',
  none: 'No',
  not_known: 'I would rather not say',
} as const;

export const SELF_TALKING_THERAPIES = { yes: 'Yes', no: 'No' } as const;

/**
 * A field that people never see or hear and bots fill in. Its name is dull on purpose, and the input
 * says autocomplete="off", so a browser or password manager does not fill it for a real person.
 */
export const HONEYPOT_FIELD = 'extraDetails';

const keys = <T extends Record<string, string>>(o: T) =>
  Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];

const optionalChoice = <T extends Record<string, string>>(list: T, message: string) =>
  z.union([z.enum(keys(list)).optional(), z.literal('').transform(() => undefined)], { error: message });

/** The public form, built for a day: the date of birth is judged against today by the app's clock. */
export const selfReferralSchema = (today: IsoDate) =>
  z
    .object({
      givenName: personName('your first name'),
      familyName: personName('your last name'),
      dateOfBirth: dateOfBirthField('your', today),
      postcode: postcodeField('your'),
      phone: phoneField('your'),
      email: emailField('your'),
      contactMethods: contactMethodsField('Select how you would like the service to contact you'),
      contactTimes: contactTimesField('Select when is best to contact you'),
      helpWanted: z.enum(keys(HELP_WANTED), { error: 'Select what you would like help with' }),
      mentalHealth: optionalChoice(
        SELF_MENTAL_HEALTH,
        'Select whether you have anxiety or depression, or leave it blank',
      ).transform((v) => v ?? 'not_known'),
      inTalkingTherapies: optionalChoice(
        SELF_TALKING_THERAPIES,
        'Select whether you are getting help from NHS Talking Therapies, or leave it blank',
      ).transform((v) => v ?? 'not_known'),
      notes: z
        .string()
        .trim()
        .max(1000, 'Anything else must be 1000 characters or fewer')
        .optional()
        .transform((v) => v || undefined),
      consent: z.literal('yes', { error: 'Select "I agree" so that the service can contact you' }),
      campaignCode: campaignCodeField('public'),
    })
    .superRefine(
      (r, ctx) => {
        if (!r.phone && !r.email) {
          ctx.addIssue({
            code: 'custom',
            path: ['phone'],
            message: 'Enter a phone number or an email address so the service can contact you',
          });
          return;
        }
        if (r.contactMethods.includes('phone') && !r.phone) {
          ctx.addIssue({
            code: 'custom',
            path: ['phone'],
            message: 'Enter your phone number, or choose a way to be contacted that does not need one',
          });
        } else if (r.contactMethods.includes('text') && r.phone && !canTakeTexts(r.phone)) {
          ctx.addIssue({
            code: 'custom',
            path: ['phone'],
            message:
              'Enter a mobile number to get text messages, like 07700 900 982, or choose another way to be contacted',
          });
        } else if (r.contactMethods.includes('text') && !r.phone) {
          ctx.addIssue({
            code: 'custom',
            path: ['phone'],
            message: 'Enter your mobile number, or choose a way to be contacted that does not need one',
          });
        }
        if (r.contactMethods.includes('email') && !r.email) {
          ctx.addIssue({
            code: 'custom',
            path: ['email'],
            message: 'Enter your email address, or choose a way to be contacted that does not need one',
          });
        }
      },
      {
        // Checked whenever the contact answers themselves are fine, so every problem is listed at once.
        when: (payload) => payload.issues.every((i) => !CONTACT_FIELDS.includes(String(i.path?.[0]))),
      },
    );

const CONTACT_FIELDS: readonly string[] = ['phone', 'email', 'contactMethods'];

export type SelfReferralInput = z.infer<ReturnType<typeof selfReferralSchema>>;
export type { HelpWanted };

type Body = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** The submitted form as the schema expects it. */
export function selfFormToInput(body: Body): Record<string, unknown> {
  return {
    givenName: str(body.givenName),
    familyName: str(body.familyName),
    dateOfBirth:
      isoDateOf(body['dateOfBirth-day'], body['dateOfBirth-month'], body['dateOfBirth-year']) ?? '',
    postcode: str(body.postcode),
    phone: str(body.phone),
    email: str(body.email),
    contactMethods: asArray(body.contactMethods),
    contactTimes: str(body.contactTimes) || undefined,
    helpWanted: str(body.helpWanted),
    mentalHealth: str(body.mentalHealth),
    inTalkingTherapies: str(body.inTalkingTherapies),
    notes: str(body.notes),
    consent: asArray(body.consent)[0],
    campaignCode: str(body.campaignCode),
  };
}

/** Whether the hidden field was filled in: a person cannot see it, so only a program does that. */
export function honeypotFilled(body: Body): boolean {
  const v = body[HONEYPOT_FIELD];
  return (typeof v === 'string' && v.trim() !== '') || (Array.isArray(v) && v.length > 0);
}

export const SELF_ANCHORS = {
  dateOfBirth: 'dateOfBirth-day',
  contactMethods: 'contactMethods',
  contactTimes: 'contactTimes',
  helpWanted: 'helpWanted',
  mentalHealth: 'mentalHealth',
  inTalkingTherapies: 'inTalkingTherapies',
  consent: 'consent',
};
