import type { z } from 'zod';
import { asArray, formErrors, mergeErrors, type FormErrors } from '../../platform/forms.ts';
import type { IsoDate } from '../../platform/dates.ts';
import {
  ASKED_STATUSES,
  CONTACT_METHODS,
  CONTACT_TIMES,
  IN_TALKING_THERAPIES,
  MENTAL_HEALTH,
  SMOKES,
  SMOKING_STATUS,
  VAPING_STATUS,
} from './referral.codes.ts';
import { optionsOf } from '../../platform/forms.ts';
import {
  AdviceOnlySchema,
  AskedOnlySchema,
  referralSchemas,
  type AdviceOnlyInput,
  type AskAdviseActInput,
  type AskedOnlyInput,
} from './referral.schemas.ts';
import { isoDateOf } from '../../platform/form-fields.ts';

type Body = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** The submitted form as the shared schema expects it (the API sends the same shape as JSON). */
export function formToInput(body: Body): Record<string, unknown> {
  return {
    smokingStatus: str(body.smokingStatus),
    vapingStatus: str(body.vapingStatus),
    adviceGiven: asArray(body.adviceGiven)[0],
    acceptsReferral: str(body.acceptsReferral),
    givenName: str(body.givenName),
    familyName: str(body.familyName),
    dateOfBirth:
      isoDateOf(body['dateOfBirth-day'], body['dateOfBirth-month'], body['dateOfBirth-year']) ?? '',
    postcode: str(body.postcode),
    phone: str(body.phone),
    email: str(body.email),
    contactMethods: asArray(body.contactMethods),
    contactTimes: str(body.contactTimes) || undefined,
    nhsNumber: str(body.nhsNumber),
    mentalHealth: str(body.mentalHealth),
    inTalkingTherapies: str(body.inTalkingTherapies),
    consentShareProgress: str(body.consentShareProgress),
    language: str(body.language),
    accessNeeds: str(body.accessNeeds),
    notes: str(body.notes),
    campaignCode: str(body.campaignCode),
  };
}

/** What the user typed, kept to redisplay (long input is cut, never dropped silently in storage). */
export function formValues(body: Body): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === '_csrf') continue;
    if (typeof v === 'string') out[k] = v.slice(0, 2000);
    else if (Array.isArray(v)) out[k] = asArray(v).map((s) => s.slice(0, 100));
  }
  return out;
}

const ANCHORS = {
  smokingStatus: 'smokingStatus',
  vapingStatus: 'vapingStatus',
  adviceGiven: 'adviceGiven',
  acceptsReferral: 'acceptsReferral',
  dateOfBirth: 'dateOfBirth-day',
  contactMethods: 'contactMethods',
  contactTimes: 'contactTimes',
  mentalHealth: 'mentalHealth',
  inTalkingTherapies: 'inTalkingTherapies',
  consentShareProgress: 'consentShareProgress',
};

export function referralFormErrors(error: z.ZodError): FormErrors {
  return formErrors(error, ANCHORS);
}

export function postcodeError(errors: FormErrors | undefined, message: string): FormErrors {
  return mergeErrors(errors, 'postcode', message);
}

export type ParsedForm =
  | { ok: true; askedOnly: true; data: AskedOnlyInput }
  | { ok: true; askedOnly: false; data: AskAdviseActInput }
  | { ok: false; errors: FormErrors };

/**
 * The referrer's form asks first. For someone who does not smoke (or used to, or did not want to say)
 * the asking is recorded on its own: advice and referral questions are for people who smoke, and any
 * answers to them left on the page (shown to all without JavaScript, hidden with it) are ignored, as is
 * anything typed about the person, which is never kept. For someone who smokes, advice and the referral
 * question are required, as before. `today` is the app clock's, against which the date of birth is judged.
 */
export function parseReferralForm(body: Body, today: IsoDate): ParsedForm {
  const input = formToInput(body);
  const status = input.smokingStatus;
  const asked = (ASKED_STATUSES as readonly unknown[]).includes(status);
  if (asked && status !== SMOKES) {
    const only = AskedOnlySchema.safeParse(input);
    if (only.success) return { ok: true, askedOnly: true, data: only.data };
    return { ok: false, errors: referralFormErrors(only.error) };
  }
  if (!asked) {
    // Without an answer the form cannot tell which questions apply: report the Ask questions only.
    const only = AskedOnlySchema.safeParse({ ...input, smokingStatus: undefined });
    const errors = only.success ? { list: [], fields: {} } : referralFormErrors(only.error);
    return { ok: false, errors };
  }
  const parsed = referralSchemas(today).askAdviseAct.safeParse(input);
  if (parsed.success) return { ok: true, askedOnly: false, data: parsed.data };
  if (input.acceptsReferral === 'yes' || input.acceptsReferral === 'no') {
    return { ok: false, errors: referralFormErrors(parsed.error) };
  }
  // Without the referral choice the union cannot tell which fields apply: still report the Ask and
  // Advise questions, so the user fixes everything in one go.
  const ask = AdviceOnlySchema.safeParse({ ...input, acceptsReferral: 'no' });
  const errors = ask.success ? { list: [], fields: {} } : referralFormErrors(ask.error);
  return {
    ok: false,
    errors: mergeErrors(errors, 'acceptsReferral', 'Select whether the person wants to be referred'),
  };
}

/**
 * The answers needed when the person wants a referral but lives where Mortar cannot hold one (Wales,
 * Scotland, a service not on Mortar): only Ask and Advise, since they are signposted, not referred, and
 * nothing typed about them is kept.
 */
export function parseSignpostForm(
  body: Body,
): { ok: true; data: AdviceOnlyInput } | { ok: false; errors: FormErrors } {
  const parsed = AdviceOnlySchema.safeParse({ ...formToInput(body), acceptsReferral: 'no' });
  return parsed.success
    ? { ok: true, data: parsed.data }
    : { ok: false, errors: referralFormErrors(parsed.error) };
}

/** The form asks for a referral for someone who smokes: the only case where the postcode decides anything. */
export const wantsReferral = (body: Body) => body.smokingStatus === SMOKES && body.acceptsReferral === 'yes';

export function formOptions(values: Record<string, string | string[]>) {
  const v = (k: string) => values[k] as string | string[] | undefined;
  return {
    smokingStatus: optionsOf(
      Object.fromEntries(ASKED_STATUSES.map((s) => [s, SMOKING_STATUS[s]])),
      v('smokingStatus'),
    ),
    vapingStatus: optionsOf(VAPING_STATUS, v('vapingStatus')),
    acceptsReferral: optionsOf(
      { yes: 'Yes, refer them', no: 'No, they do not want a referral' },
      v('acceptsReferral'),
    ),
    contactMethods: optionsOf(CONTACT_METHODS, v('contactMethods')),
    contactTimes: optionsOf(CONTACT_TIMES, v('contactTimes') ?? 'any'),
    mentalHealth: optionsOf(MENTAL_HEALTH, v('mentalHealth')),
    inTalkingTherapies: optionsOf(IN_TALKING_THERAPIES, v('inTalkingTherapies')),
    consentShareProgress: optionsOf({ yes: 'Yes', no: 'No' }, v('consentShareProgress')),
  };
}
