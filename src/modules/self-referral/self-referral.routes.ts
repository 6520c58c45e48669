import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { formErrors, mergeErrors, optionsOf, type FormErrors } from '../../platform/forms.ts';
import {
  formTokenFor,
  newFormToken,
  rememberDetail,
  sentBefore,
  submittedFormToken,
  type Earlier,
} from '../../platform/form-tokens.ts';
import { channelsOf, sendSafely, type Channel, type Message, type Notifier } from '../../platform/notify.ts';
import { namedRateLimit } from '../../platform/rate-limit.store.ts';
import { routeLanguage } from '../../platform/page-language.ts';
import { answerTo, translator, type Translate } from '../../platform/translate.ts';
import type { PostcodeLookup } from '../../platform/postcode-lookup.ts';
import { CONTACT_METHODS, CONTACT_TIMES, HELP_WANTED } from '../referrals/referral.codes.ts';
import { formValues } from '../referrals/referral-form.ts';
import { RoutingError } from '../referrals/referral.service.ts';
import { notHeldMessage } from '../referrals/where-to-send.ts';
import { contactViewOf } from '../referrals/signposted-view.ts';
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
import { confirmationMessage, submitOnce, type Submitted } from './self-referral.service.ts';
import { confirmationCookieValue, setConfirmation } from './self-referral-sent.routes.ts';

// A person asking for help for themselves: the public form, and what answers it. The confirmation page
// has its own routes file (self-referral-sent.routes.ts).

type Deps = { db: Database; postcodes: PostcodeLookup; config: Config; notifier: Notifier };

const PUBLIC = { access: 'public' } as const;
const FORM = 'self-referral/views/form.njk';
const TITLE = 'Ask for help to stop smoking';

/** The largest form a person can send is a few kilobytes; anything near this is not a person. */
export const SELF_REFERRAL_BODY_LIMIT = 16 * 1024;

/** What the form's pages need, made once as the routes are registered. */
type Form = {
  deps: Deps;
  clock: Clock;
  workingDays: number;
  limiter: ReturnType<typeof namedRateLimit>;
  windowMinutes: number;
};

/** The form's choices, in the page's language; each answer is said as an answer to its question. */
function formOptions(values: Record<string, string | string[]>, t: Translate) {
  const v = (k: string) => values[k] as string | string[] | undefined;
  const said = (question: string, list: Record<string, string>, selected: string | string[] | undefined) =>
    optionsOf(list, selected).map((o) => ({ ...o, text: answerTo(t, question, o.text) }));
  return {
    contactMethods: said(FORM_QUESTIONS.contactMethods, CONTACT_METHODS, v('contactMethods')),
    contactTimes: said(FORM_QUESTIONS.contactTimes, CONTACT_TIMES, v('contactTimes') ?? 'any'),
    helpWanted: said(FORM_QUESTIONS.helpWanted, HELP_WANTED, v('helpWanted')),
    mentalHealth: said(FORM_QUESTIONS.mentalHealth, SELF_MENTAL_HEALTH, v('mentalHealth')),
    inTalkingTherapies: said(
      FORM_QUESTIONS.inTalkingTherapies,
      SELF_TALKING_THERAPIES,
      v('inTalkingTherapies'),
    ),
    consent: [{ value: 'yes', text: t('I agree'), checked: v('consent') === 'yes' }],
  };
}

/** The questions as the form asks them (form.njk), which decide how Welsh says an answer. */
const FORM_QUESTIONS = {
  contactMethods: 'How would you like the service to contact you?',
  contactTimes: 'When is best to contact you?',
  helpWanted: 'What would you like help with?',
  mentalHealth: 'Do you have anxiety or depression? (optional)',
  inTalkingTherapies: 'Are you getting help from NHS Talking Therapies? (optional)',
} as const;

/**
 * The form's address for the link to the other language: the postcode the finder passed and the
 * campaign carried, never what was typed after (a URL is no place for a person's details).
 */
function formAddress(values: Record<string, string | string[]>, fromFinder: boolean): string {
  const q = new URLSearchParams();
  if (fromFinder && typeof values.postcode === 'string') q.set('postcode', values.postcode);
  if (typeof values.campaign === 'string') q.set('campaign', values.campaign);
  return q.size ? `/self-referral?${q}` : '/self-referral';
}

const formPage = (
  form: Form,
  reply: FastifyReply,
  values: Record<string, string | string[]>,
  extra: Record<string, unknown> = {},
) =>
  reply.page(FORM, {
    title: TITLE,
    bilingual: true,
    languageAddress: formAddress(values, reply.request.method === 'GET'),
    values,
    options: formOptions(values, translator(routeLanguage(reply.request))),
    consent: CONTACT_CONSENT,
    honeypot: HONEYPOT_FIELD,
    workingDays: form.workingDays,
    formToken: newFormToken(),
    ...extra,
  });

/** A repeat of a form already sent: the same confirmation, and nothing made or sent again. */
const sameAnswer = (form: Form, reply: FastifyReply, first: Earlier) => {
  if (first.detail) setConfirmation(reply, first.detail, form.deps.config.cookieSecure);
  return reply.redirect(first.location, 303);
};

/**
 * Only after the referral has committed, and never at its expense: a failure is logged and the person
 * still sees their confirmation. A program's submission (honeypot) gets no message: it could be using
 * someone else's address. Answers the channels the confirmation page may say were used.
 */
async function notifyPerson(
  notifier: Notifier,
  message: Message,
  submitted: Submitted,
  log: FastifyBaseLogger,
): Promise<Channel[]> {
  if (submitted.stored) {
    log.info({ referralId: submitted.referralId, source: 'self' }, 'self-referral received');
    const sent = await sendSafely(notifier, message, log);
    return sent.ok ? sent.channels : [];
  }
  log.info({ selfReferral: 'honeypot' }, 'self-referral not stored: the hidden field was filled in');
  return channelsOf(message);
}

/** The form's answer, in the order the rules apply: a repeat, errors, the campaign, the limit, the referral, the message. */
async function sendForm(form: Form, request: FastifyRequest, reply: FastifyReply) {
  const { deps } = form;
  const body = (request.body ?? {}) as Record<string, unknown>;
  const { [HONEYPOT_FIELD]: _hidden, ...values } = formValues(body);
  const again = (status: number, errors: FormErrors, extra: Record<string, unknown> = {}) =>
    formPage(form, reply.code(status), values, { errors, formToken: formTokenFor(body), ...extra });

  // The same form sent twice makes one referral and one message: the repeat gets the first answer.
  const claim = { form: 'self-referral', token: submittedFormToken(body), userId: null };
  const first = await sentBefore(deps.db, claim);
  if (first) return sameAnswer(form, reply, first);

  const parsed = selfReferralSchema(form.clock.today()).safeParse(selfFormToInput(body));
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

  const limit = await form.limiter(request);
  if (!limit.isAllowed && limit.isExceeded) {
    reply.header('retry-after', limit.ttlInSeconds);
    request.log.info({ selfReferral: 'rate_limited' }, 'self-referral refused: too many from this address');
    const text = translator(routeLanguage(request))(
      'You have sent this form several times in the last {minutes} minutes. Wait {minutes} minutes and send it again, or call the National Smokefree Helpline on 0300 123 1044',
      { minutes: form.windowMinutes },
    );
    return again(429, { list: [{ text, href: '#givenName' }], fields: {} });
  }

  const opts = { decoy: honeypotFilled(body), requestId: request.id, campaignId: campaign?.id ?? null };
  let submitted;
  try {
    const done = await submitOnce(deps, claim, parsed.data, opts);
    if (done.replayed) return sameAnswer(form, reply, done);
    submitted = done.value;
  } catch (err) {
    if (!(err instanceof RoutingError)) throw err;
    // Why it cannot be sent, and where to go instead: Wales's or Scotland's service, or their own.
    const t = translator(routeLanguage(request));
    const text = notHeldMessage(err.decision, 'person', t) ?? '';
    return again(400, mergeErrors(undefined, 'postcode', text), {
      cannotRoute: err.reason,
      outside: err.decision.kind === 'outside_britain' ? err.decision.outside : null,
      elsewhere: contactViewOf(err.decision, t),
    });
  }

  const message = confirmationMessage(parsed.data, submitted, form.workingDays);
  const notified = await notifyPerson(deps.notifier, message, submitted, request.log);
  const shown = confirmationCookieValue({ ...submitted, notified });
  if (submitted.stored) await rememberDetail(deps.db, claim.token, shown);
  setConfirmation(reply, shown, deps.config.cookieSecure);
  return reply.redirect(`/self-referral/sent/${submitted.reference}`, 303);
}

export function registerSelfReferralRoutes(app: FastifyInstance, deps: Deps) {
  const { config, notifier } = deps;
  // Counts referrals a person could have sent (the form was complete), per address, apart from the
  // app-wide limit. A mistake on the form does not count, so nobody is locked out for typing.
  const limiter = namedRateLimit(app, 'self-referral', {
    max: config.selfReferral.rateLimitMax,
    timeWindow: config.selfReferral.rateLimitWindowMs,
  });
  const form: Form = {
    deps,
    clock: app.clock,
    workingDays: config.selfReferral.contactWorkingDays,
    limiter,
    windowMinutes: Math.round(config.selfReferral.rateLimitWindowMs / 60_000),
  };
  if (config.env === 'production' && notifier.transport === 'log') {
    app.log.warn('NOTIFY_TRANSPORT is "log": people who refer themselves get no confirmation message');
  }

  app.get('/self-referral', { config: PUBLIC }, async (request, reply) => {
    // The finder links here with the postcode it was given, so the person does not type it twice.
    const q = request.query as Record<string, unknown>;
    const postcode = typeof q.postcode === 'string' ? q.postcode.trim().slice(0, 10) : '';
    // A campaign's link (?campaign=CODE) travels with the form in a hidden field; one that matches no
    // campaign is dropped, since the person did not type it.
    const campaign = await campaignForLinkedCode(deps.db, q.campaign);
    return formPage(form, reply, {
      ...(postcode ? { postcode } : {}),
      ...(campaign ? { campaign: campaign.code } : {}),
    });
  });

  app.post(
    '/self-referral',
    { config: PUBLIC, bodyLimit: SELF_REFERRAL_BODY_LIMIT },
    async (request, reply) => sendForm(form, request, reply),
  );

  app.get('/stopping-smoking-and-your-mental-health', { config: PUBLIC }, async (_request, reply) =>
    reply.page('self-referral/views/mental-health.njk', {
      title: 'Stopping smoking and your mental health',
      bilingual: true,
    }),
  );
}
