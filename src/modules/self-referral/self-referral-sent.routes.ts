import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { notFound } from '../../platform/errors.ts';
import { noStore } from '../../platform/caching.ts';
import type { Channel } from '../../platform/notify.ts';
import { CONTACT_METHODS, CONTACT_TIMES } from '../referrals/referral.codes.ts';
import { routeLanguage } from '../../platform/page-language.ts';
import { contactPromise, withinWorkingDays, type Confirmation } from './self-referral.service.ts';

// The page a person sees once their form is sent, and the signed cookie, set as the form is answered,
// that tells it what this browser was told.

const PUBLIC = { access: 'public' } as const;

/** Remembers, in this browser only, what the confirmation page shows: the URL carries the reference alone. */
export const CONFIRMATION_COOKIE = 'mortar_self_referral';
const REFERENCE = /^MOR-\d{6,9}$/;

/** What the confirmation page shows, and how the reference was sent to the person (if it was). */
export type Shown = Confirmation & { notified: Channel[] };

export function confirmationCookieValue(c: Shown): string {
  return JSON.stringify({
    r: c.reference,
    s: c.serviceName,
    p: c.servicePhone,
    m: c.contactMethods,
    t: c.contactTimes,
    n: c.notified,
  });
}

export const setConfirmation = (reply: FastifyReply, value: string, secure: boolean) =>
  reply.setCookie(CONFIRMATION_COOKIE, value, {
    signed: true,
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/self-referral/sent',
    maxAge: 24 * 3600,
  });

/** What this browser was told when it sent the form, if the signed cookie is for this reference. */
function readConfirmation(request: FastifyRequest, reference: string): Shown | null {
  const raw = request.cookies[CONFIRMATION_COOKIE];
  if (!raw) return null;
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) return null;
  try {
    const c = JSON.parse(unsigned.value) as {
      r?: unknown;
      s?: unknown;
      p?: unknown;
      m?: unknown;
      t?: unknown;
      n?: unknown;
    };
    if (c.r !== reference || typeof c.s !== 'string') return null;
    return {
      reference,
      serviceName: c.s,
      servicePhone: typeof c.p === 'string' ? c.p : null,
      contactMethods: Array.isArray(c.m)
        ? c.m.filter(
            (m): m is Confirmation['contactMethods'][number] => typeof m === 'string' && m in CONTACT_METHODS,
          )
        : [],
      contactTimes:
        typeof c.t === 'string' && c.t in CONTACT_TIMES ? (c.t as Confirmation['contactTimes']) : 'any',
      notified: Array.isArray(c.n) ? c.n.filter((x): x is Channel => x === 'email' || x === 'sms') : [],
    };
  } catch {
    return null;
  }
}

export function registerSelfReferralSentRoutes(app: FastifyInstance, { config }: { config: Config }) {
  const workingDays = config.selfReferral.contactWorkingDays;

  app.get('/self-referral/sent/:reference', { config: PUBLIC }, async (request, reply) => {
    const { reference } = request.params as { reference: string };
    if (!REFERENCE.test(reference)) throw notFound();
    // Without this browser's cookie the page says only what is true of every referral: a reference in a
    // URL cannot be used to learn anything about anyone else's.
    const c = readConfirmation(request, reference);
    // What this browser was told about its own referral: not for a shared cache or the history.
    noStore(reply);
    const lang = routeLanguage(request);
    return reply.page('self-referral/views/sent.njk', {
      title: 'Your request has been sent',
      bilingual: true,
      reference,
      confirmation: c,
      promise: c
        ? contactPromise(c.contactMethods, c.contactTimes, workingDays, lang)
        : withinWorkingDays(workingDays, lang),
      workingDays,
    });
  });
}
