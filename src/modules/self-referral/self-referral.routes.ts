import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { notFound } from '../../platform/errors.ts';
import { formErrors, mergeErrors, type FormErrors } from '../../platform/forms.ts';
import {
  formTokenFor,
  makeOnce,
  newFormToken,
  rememberDetail,
  sentBefore,
  submittedFormToken,
  type Earlier,
} from '../../platform/form-tokens.ts';
import { noStore } from '../../platform/caching.ts';
import { channelsOf, sendSafely, type Channel, type Notifier } from '../../platform/notify.ts';
import { namedRateLimit } from '../../platform/rate-limit.store.ts';
import type { PostcodeLookup } from '../../platform/postcode-lookup.ts';
import { CONTACT_METHODS, CONTACT_TIMES, HELP_WANTED } from '../referrals/referral.codes.ts';
import { optionsOf } from '../../platform/forms.ts';
import { formValues } from '../referrals/referral-form.ts';
import { RoutingError } from '../referrals/referral.service.ts';
import {
  CampaignCodeError,
  campaignForCode,
  campaignForLinkedCode,
  PUBLIC_UNKNOWN_CODE_MESSAGE,
} from '../referrals/campaign-code.service.ts';
import {
  CONTACT_CONSENT,
  honeypotFilled,
  HONEYPOT_FIELD,
  SELF_ANCHORS,
  SELF_MENTAL_HEALTH,
  SELF_TALKING_THERAPIES,
  selfFormToInput,
  selfReferralSchema,
} from './self-referral.schemas.ts';
import {
  confirmationMessage,
  contactPromise,
  submitSelfReferral,
  type Confirmation,
} from './self-referral.service.ts';

type Deps = { db: Database; postcodes: PostcodeLookup; config: Config; notifier: Notifier };

const PUBLIC = { access: 'public' } as const;
const FORM = 'self-referral/views/form.njk';
const TITLE = 'Ask for help to stop smoking';

/** The largest form a person can send is a few kilobytes; anything near this is not a person. */
export const SELF_REFERRAL_BODY_LIMIT = 16 * 1024;

/** Remembers, in this browser only, what the confirmation page shows: the URL carries the reference alone. */
export const CONFIRMATION_COOKIE = 'mortar_self_referral';
const REFERENCE = /^MOR-\d{6,9}$/;

/** Why a postcode could not be routed, in the words of a person's own form. */
const ROUTING_MESSAGES: Record<string, string> = {
  unknown_postcode: 'We cannot find this postcode. Check it and enter it again',
  outside_england:
    'This postcode is not in England. We can only send requests to stop smoking services in England',
  no_service: 'We cannot send requests to a stop smoking service for this postcode yet',
};

function formOptions(values: Record<string, string | string[]>) {
  const v = (k: string) => values[k] as string | string[] | undefined;
  return {
    contactMethods: optionsOf(CONTACT_METHODS, v('contactMethods')),
    contactTimes: optionsOf(CONTACT_TIMES, v('contactTimes') ?? 'any'),
    helpWanted: optionsOf(HELP_WANTED, v('helpWanted')),
    mentalHealth: optionsOf(SELF_MENTAL_HEALTH, v('mentalHealth')),
    inTalkingTherapies: optionsOf(SELF_TALKING_THERAPIES, v('inTalkingTherapies')),
    consent: [{ value: 'yes', text: 'I agree', checked: v('consent') === 'yes' }],
  };
}

/** What the confirmation page shows, and how the reference was sent to the person (if it was). */
type Shown = Confirmation & { notified: Channel[] };

function confirmationCookieValue(c: Shown): string {
  return JSON.stringify({
    r: c.reference,
    s: c.serviceName,
    p: c.servicePhone,
    m: c.contactMethods,
    t: c.contactTimes,
    n: c.notified,
  });
}

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

export function registerSelfReferralRoutes(app: FastifyInstance, deps: Deps) {
  const { config, notifier } = deps;
  const workingDays = config.selfReferral.contactWorkingDays;
  // Counts referrals a person could have sent (the form was complete), per address, apart from the
  // app-wide limit. A mistake on the form does not count, so nobody is locked out for typing.
  const limiter = namedRateLimit(app, 'self-referral', {
    max: config.selfReferral.rateLimitMax,
    timeWindow: config.selfReferral.rateLimitWindowMs,
  });
  const windowMinutes = Math.round(config.selfReferral.rateLimitWindowMs / 60_000);
  if (config.env === 'production' && notifier.transport === 'log') {
    app.log.warn('NOTIFY_TRANSPORT is "log": people who refer themselves get no confirmation message');
  }

  const page = (
    reply: FastifyReply,
    values: Record<string, string | string[]>,
    extra: Record<string, unknown> = {},
  ) =>
    reply.page(FORM, {
      title: TITLE,
      values,
      options: formOptions(values),
      consent: CONTACT_CONSENT,
      honeypot: HONEYPOT_FIELD,
      workingDays,
      formToken: newFormToken(),
      ...extra,
    });

  const setConfirmation = (reply: FastifyReply, value: string) =>
    reply.setCookie(CONFIRMATION_COOKIE, value, {
      signed: true,
      httpOnly: true,
      sameSite: 'lax',
      secure: config.cookieSecure,
      path: '/self-referral/sent',
      maxAge: 24 * 3600,
    });
  /** A repeat of a form already sent: the same confirmation, and nothing made or sent again. */
  const sameAnswer = (reply: FastifyReply, first: Earlier) => {
    if (first.detail) setConfirmation(reply, first.detail);
    return reply.redirect(first.location, 303);
  };

  app.get('/self-referral', { config: PUBLIC }, async (request, reply) => {
    // The finder links here with the postcode it was given, so the person does not type it twice.
    const q = request.query as Record<string, unknown>;
    const postcode = typeof q.postcode === 'string' ? q.postcode.trim().slice(0, 10) : '';
    // A campaign's link (?campaign=CODE) travels with the form in a hidden field; one that matches no
    // campaign is dropped, since the person did not type it.
    const campaign = await campaignForLinkedCode(deps.db, q.campaign);
    return page(reply, {
      ...(postcode ? { postcode } : {}),
      ...(campaign ? { campaign: campaign.code } : {}),
    });
  });

  app.post(
    '/self-referral',
    { config: PUBLIC, bodyLimit: SELF_REFERRAL_BODY_LIMIT },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const { [HONEYPOT_FIELD]: _hidden, ...values } = formValues(body);
      const again = (status: number, errors: FormErrors, extra: Record<string, unknown> = {}) =>
        page(reply.code(status), values, { errors, formToken: formTokenFor(body), ...extra });

      // The same form sent twice makes one referral and one message: the repeat gets the first answer.
      const claim = { form: 'self-referral', token: submittedFormToken(body), userId: null };
      const first = await sentBefore(deps.db, claim);
      if (first) return sameAnswer(reply, first);

      const parsed = selfReferralSchema(app.clock.today()).safeParse(selfFormToInput(body));
      if (!parsed.success) return again(400, formErrors(parsed.error, SELF_ANCHORS));

      // A code the person typed must be a campaign's (checked before the limit: a mistake does not count);
      // without one, the code their link carried, if it is a campaign's.
      let campaign;
      try {
        campaign =
          (await campaignForCode(deps.db, parsed.data.campaignCode)) ??
          (await campaignForLinkedCode(deps.db, body.campaign));
      } catch (err) {
        if (!(err instanceof CampaignCodeError)) throw err;
        return again(400, mergeErrors(undefined, 'campaignCode', PUBLIC_UNKNOWN_CODE_MESSAGE));
      }

      const limit = await limiter(request);
      if (!limit.isAllowed && limit.isExceeded) {
        reply.header('retry-after', limit.ttlInSeconds);
        request.log.info(
          { selfReferral: 'rate_limited' },
          'self-referral refused: too many from this address',
        );
        const text = `You have sent this form several times in the last ${windowMinutes} minutes. Wait ${windowMinutes} minutes and send it again, or call the National Smokefree Helpline on 0300 123 1044`;
        return again(429, { list: [{ text, href: '#givenName' }], fields: {} });
      }

      const opts = {
        decoy: honeypotFilled(body),
        requestId: request.id,
        campaignId: campaign?.id ?? null,
      };
      let submitted;
      try {
        // A program's submission (honeypot) is stored nowhere, its token included.
        if (opts.decoy) submitted = await submitSelfReferral(deps, parsed.data, opts);
        else {
          const done = await makeOnce(deps.db, claim, async (trx) => {
            const made = await submitSelfReferral({ ...deps, db: trx }, parsed.data, opts);
            return { location: `/self-referral/sent/${made.reference}`, value: made };
          });
          if (done.replayed) return sameAnswer(reply, done);
          submitted = done.value;
        }
      } catch (err) {
        if (!(err instanceof RoutingError)) throw err;
        const errors = mergeErrors(
          undefined,
          'postcode',
          ROUTING_MESSAGES[err.reason] ?? ROUTING_MESSAGES.unknown_postcode!,
        );
        return again(400, errors, { cannotRoute: err.reason });
      }

      // Only after the referral has committed, and never at its expense: a failure is logged and the
      // person still sees their confirmation. A program's submission (honeypot) gets no message: it
      // could be using someone else's address.
      const message = confirmationMessage(parsed.data, submitted, workingDays);
      let notified: Channel[];
      if (submitted.stored) {
        request.log.info({ referralId: submitted.referralId, source: 'self' }, 'self-referral received');
        const sent = await sendSafely(notifier, message, request.log);
        notified = sent.ok ? sent.channels : [];
      } else {
        request.log.info(
          { selfReferral: 'honeypot' },
          'self-referral not stored: the hidden field was filled in',
        );
        notified = channelsOf(message);
      }

      const shown = confirmationCookieValue({ ...submitted, notified });
      if (submitted.stored) await rememberDetail(deps.db, claim.token, shown);
      setConfirmation(reply, shown);
      return reply.redirect(`/self-referral/sent/${submitted.reference}`, 303);
    },
  );

  app.get('/self-referral/sent/:reference', { config: PUBLIC }, async (request, reply) => {
    const { reference } = request.params as { reference: string };
    if (!REFERENCE.test(reference)) throw notFound();
    // Without this browser's cookie the page says only what is true of every referral: a reference in a
    // URL cannot be used to learn anything about anyone else's.
    const c = readConfirmation(request, reference);
    // What this browser was told about its own referral: not for a shared cache or the history.
    noStore(reply);
    return reply.page('self-referral/views/sent.njk', {
      title: 'Your request has been sent',
      reference,
      confirmation: c,
      promise: c
        ? contactPromise(c.contactMethods, c.contactTimes, workingDays)
        : `within ${workingDays} working days`,
      workingDays,
    });
  });

  app.get('/stopping-smoking-and-your-mental-health', { config: PUBLIC }, async (_request, reply) =>
    reply.page('self-referral/views/mental-health.njk', { title: 'Stopping smoking and your mental health' }),
  );
}
