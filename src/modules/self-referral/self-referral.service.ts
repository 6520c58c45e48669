import { randomInt } from 'node:crypto';
import type { Database } from '../../db/database.ts';
import { makeOnce, type FormClaim, type Once } from '../../platform/form-tokens.ts';
import type { Message } from '../../platform/notify.ts';
import type { PostcodeLookup } from '../../platform/postcode-lookup.ts';
import type { CONTACT_METHODS, CONTACT_TIMES } from '../referrals/referral.codes.ts';
import * as referrals from '../referrals/referral.service.ts';
import { routeByPostcode } from '../referrals/referral.service.ts';
import { CONTACT_CONSENT, type SelfReferralInput } from './self-referral.schemas.ts';
import { canTakeTexts } from '../../platform/phone.ts';
import type { Language } from '../../platform/language.ts';
import { translator } from '../../platform/translate.ts';

// A person's own referral goes into the same pipeline as everyone else's: routed by postcode to the
// service commissioned for where they live, written with its first event and audit row in one
// statement (referral.repository.ts insertReferral), and on that service's worklist as "Self-referral".

export type SelfReferralDeps = { db: Database; postcodes: PostcodeLookup };

type ContactMethod = keyof typeof CONTACT_METHODS;
type ContactTime = keyof typeof CONTACT_TIMES;

/** What the confirmation page and message say; nothing in it identifies the person. */
export type Confirmation = {
  reference: string;
  serviceName: string;
  servicePhone: string | null;
  contactMethods: ContactMethod[];
  contactTimes: ContactTime;
};

export type Submitted = Confirmation & { stored: boolean; referralId: string | null };

const HOW: Record<ContactMethod, string> = { phone: 'phone', text: 'text message', email: 'email' };
/** Each way whole, for Welsh, which puts its own word before each ("dros y ffôn neu drwy e-bost"). */
const BY: Record<ContactMethod, string> = { phone: 'by phone', text: 'by text message', email: 'by email' };
const WHEN: Record<ContactTime, string | null> = {
  any: null,
  morning: 'in the morning',
  afternoon: 'in the afternoon',
  evening: 'in the evening',
};

const orList = (items: string[], or = 'or') =>
  items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${or} ${items[items.length - 1]}`;

/** "within 3 working days" ("o fewn 3 diwrnod gwaith") */
export const withinWorkingDays = (workingDays: number, lang: Language = 'en') =>
  translator(lang)(workingDays === 1 ? 'within 1 working day' : 'within {days} working days', {
    days: workingDays,
  });

/**
 * "within 3 working days, by text message, in the evening", to follow "… will contact you". In Welsh,
 * "o fewn 3 diwrnod gwaith, drwy neges destun, gyda’r nos", to follow "Bydd … yn cysylltu â chi".
 */
export function contactPromise(
  methods: readonly string[],
  times: string,
  workingDays: number,
  lang: Language = 'en',
): string {
  const t = translator(lang);
  const ways = methods.filter((m): m is ContactMethod => m in HOW);
  const how =
    ways.length === 0
      ? null
      : lang === 'en'
        ? `by ${orList(ways.map((m) => HOW[m]))}`
        : orList(
            ways.map((m) => t(BY[m])),
            t('or'),
          );
  const when = times in WHEN ? WHEN[times as ContactTime] : null;
  return [withinWorkingDays(workingDays, lang), how, when === null ? null : t(when)]
    .filter(Boolean)
    .join(', ');
}

/** A reference that looks like any other, for a form a program filled in: nothing is stored under it. */
export const decoyReference = () => `MOR-${String(randomInt(100_000, 1_000_000)).padStart(6, '0')}`;

async function serviceContact(db: Database, organisationId: string) {
  return db
    .selectFrom('organisations')
    .select(['name', 'phone'])
    .where('id', '=', organisationId)
    .executeTakeFirstOrThrow();
}

/**
 * Routes the referral by postcode (a RoutingError when no service covers it) and stores it, unless the
 * form was filled in by a program (`decoy`): then it is routed the same way, so the answer looks the
 * same, and nothing is stored.
 */
export async function submitSelfReferral(
  deps: SelfReferralDeps,
  input: SelfReferralInput,
  opts: { decoy: boolean; requestId: string | null; campaignId?: string | null },
): Promise<Submitted> {
  const route = await routeByPostcode(deps, input.postcode);
  const service = await serviceContact(deps.db, route.serviceOrganisationId);
  const shown = {
    serviceName: service.name,
    servicePhone: service.phone,
    contactMethods: input.contactMethods,
    contactTimes: input.contactTimes,
  };
  if (opts.decoy) return { ...shown, reference: decoyReference(), stored: false, referralId: null };

  const row = await referrals.insertReferral(deps.db, {
    actor: { organisationId: null, userId: null, apiKeyId: null, localAuthorityCode: null },
    source: 'self',
    serviceOrganisationId: route.serviceOrganisationId,
    localAuthorityCode: route.localAuthorityCode,
    postcode: route.postcode,
    input: {
      givenName: input.givenName,
      familyName: input.familyName,
      dateOfBirth: input.dateOfBirth,
      phone: input.phone,
      email: input.email,
      contactMethods: input.contactMethods,
      contactTimes: input.contactTimes,
      nhsNumber: undefined,
      // Someone asking for help to stop, switch or cut down smokes now; vaping was not asked.
      smokingStatus: '1',
      vapingStatus: 'not_known',
      mentalHealth: input.mentalHealth,
      inTalkingTherapies: input.inTalkingTherapies,
      // There is no referrer to share progress with.
      consentShareProgress: 'no',
      language: undefined,
      accessNeeds: undefined,
      notes: input.notes,
    },
    self: { helpWanted: input.helpWanted, consentVersion: CONTACT_CONSENT.version },
    requestId: opts.requestId,
    campaignId: opts.campaignId ?? null,
  });
  return {
    ...shown,
    serviceName: row.service_name,
    reference: row.reference,
    stored: true,
    referralId: row.id,
  };
}

/**
 * Makes the referral once for this form: the same form sent twice makes one referral, and the repeat
 * gets the first answer. A program's submission (honeypot) is stored nowhere, its token included.
 */
export async function submitOnce(
  deps: SelfReferralDeps,
  claim: FormClaim,
  input: SelfReferralInput,
  opts: { decoy: boolean; requestId: string | null; campaignId: string | null },
): Promise<Once<Submitted>> {
  const sentPage = (made: Submitted) => ({ location: `/self-referral/sent/${made.reference}`, value: made });
  if (opts.decoy) return { replayed: false, ...sentPage(await submitSelfReferral(deps, input, opts)) };
  return makeOnce(deps.db, claim, async (trx) =>
    sentPage(await submitSelfReferral({ ...deps, db: trx }, input, opts)),
  );
}

/**
 * The confirmation message: the reference and what happens next, to the email address and the mobile
 * number the person gave (a landline, pager or 070 personal number cannot get a text). No name, nothing about their health.
 */
export function confirmationMessage(
  input: Pick<SelfReferralInput, 'email' | 'phone'>,
  c: Confirmation,
  workingDays: number,
): Message {
  return {
    to: { email: input.email, phone: input.phone && canTakeTexts(input.phone) ? input.phone : undefined },
    template: 'self_referral_confirmation',
    personalisation: {
      reference: c.reference,
      service_name: c.serviceName,
      when: contactPromise(c.contactMethods, c.contactTimes, workingDays),
    },
    reference: c.reference,
  };
}
