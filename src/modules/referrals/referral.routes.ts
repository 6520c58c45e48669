import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { mergeErrors, type FormErrors } from '../../platform/forms.ts';
import {
  formTokenFor,
  makeOnce,
  newFormToken,
  sentBefore,
  submittedFormToken,
} from '../../platform/form-tokens.ts';
import type { IsoDate } from '../../platform/dates.ts';
import type { StaffUser } from '../../platform/roles.ts';
import type { PostcodeLookup } from '../../platform/postcode-lookup.ts';
import { CampaignCodeError } from './campaign-code.service.ts';
import {
  formOptions,
  formValues,
  parseReferralForm,
  parseSignpostForm,
  postcodeError,
  wantsReferral,
  type ParsedForm,
} from './referral-form.ts';
import {
  createReferral,
  decideForPostcode,
  findSignposted,
  recordAdviceOnly,
  recordAskedOnly,
  recordSignposted,
  RoutingError,
  viewReferral,
} from './referral.service.ts';
import type { AdviceOnlyInput } from './referral.schemas.ts';
import { normalisePostcode } from '../../platform/postcode.ts';
import { notFound } from '../../platform/errors.ts';
import { signpostOf, type Signpost } from './where-to-send.ts';
import { signpostedView } from './signposted-view.ts';
import type { TrainingOfferReader } from './training-offer.types.ts';
import { receivingService } from './receiving-service.service.ts';

/** What the confirmation says was recorded, for each answer that is asked about only. */
const ASKED_ANSWERS: Record<string, string> = {
  '2': 'they used to smoke',
  '4': 'they have never smoked',
  Z: 'they did not want to say whether they smoke',
};

type Deps = { db: Database; postcodes: PostcodeLookup; config: Config; trainingOffer: TrainingOfferReader };

export const REFERRER = ['referrer'] as const;

const NEW = 'referrals/views/new.njk';
const TITLE = 'Ask, advise and refer';

/** Records what the form says, in the form's one-time transaction, and answers where to go next. */
async function recordForm(
  deps: Deps,
  user: StaffUser,
  parsed: Extract<ParsedForm, { ok: true }>,
  requestId: string,
) {
  if (parsed.askedOnly) {
    await recordAskedOnly(deps, user, parsed.data);
    return `/referrals/asked-recorded?status=${parsed.data.smokingStatus}`;
  }
  const input = parsed.data;
  if (input.acceptsReferral === 'no') {
    const { adviceId } = await recordAdviceOnly(deps, user, input);
    return `/referrals/advice-recorded/${adviceId}`;
  }
  const created = await createReferral(deps, user, input, requestId);
  return `/referrals/${created.id}/sent`;
}

/**
 * Where the person should be sent instead, when they want a referral from a postcode whose service does
 * not take referrals in Mortar (Wales, Scotland, a service not on Mortar); null otherwise.
 */
async function signpostFor(deps: Deps, body: Record<string, unknown>): Promise<Signpost | null> {
  const postcode = typeof body.postcode === 'string' ? normalisePostcode(body.postcode) : null;
  if (!wantsReferral(body) || !postcode) return null;
  return signpostOf(await decideForPostcode(deps, postcode));
}

async function sendForm(deps: Deps, today: IsoDate, request: FastifyRequest, reply: FastifyReply) {
  const user = staffOf(request);
  const body = (request.body ?? {}) as Record<string, unknown>;
  const values = formValues(body);
  const again = (errors: FormErrors) =>
    reply.code(400).page(NEW, {
      title: TITLE,
      values,
      options: formOptions(values),
      errors,
      formToken: formTokenFor(body),
    });

  // The same form sent twice makes one referral (or one advice record): the repeat goes where the first went.
  const claim = { form: 'referral', token: submittedFormToken(body), userId: user.id };
  const first = await sentBefore(deps.db, claim);
  if (first) return reply.redirect(first.location, 303);
  // "Check which service will receive it": the same form back, nothing kept, with the service named.
  if (body.check === 'service') {
    return reply.page(NEW, {
      title: TITLE,
      values,
      options: formOptions(values),
      formToken: formTokenFor(body),
      receiving: await receivingService(deps, body.postcode, today),
    });
  }

  const save = async (record: (deps: Deps) => Promise<string>) => {
    try {
      const done = await makeOnce(deps.db, claim, async (trx) => ({
        location: await record({ ...deps, db: trx }),
        value: null,
      }));
      return reply.redirect(done.location, 303);
    } catch (err) {
      if (err instanceof RoutingError) return again(postcodeError(undefined, err.message));
      if (err instanceof CampaignCodeError) return again(mergeErrors(undefined, 'campaignCode', err.message));
      throw err;
    }
  };

  // Someone Mortar cannot refer is signposted: their details are not needed, so they are not asked for.
  const signpost = await signpostFor(deps, body);
  if (signpost) {
    const advice = parseSignpostForm(body);
    if (!advice.ok) return again(advice.errors);
    return save((d) => recordSignpost(d, user, advice.data, signpost));
  }
  const parsed = parseReferralForm(body, today);
  if (!parsed.ok) return again(parsed.errors);
  return save((d) => recordForm(d, user, parsed, request.id));
}

async function recordSignpost(deps: Deps, user: StaffUser, input: AdviceOnlyInput, signpost: Signpost) {
  const { adviceId } = await recordSignposted(deps, user, input, signpost);
  return `/referrals/signposted/${adviceId}`;
}

/** The Ask, Advise, Act form, and the pages that answer it. */
export function registerReferralRoutes(app: FastifyInstance, deps: Deps) {
  const { db } = deps;

  app.get('/referrals/new', { config: { access: REFERRER } }, async (request, reply) =>
    reply.page(NEW, {
      title: TITLE,
      values: {},
      options: formOptions({}),
      formToken: newFormToken(),
      trainingOffer: await deps.trainingOffer(db, staffOf(request), app.clock.today()),
    }),
  );

  app.post('/referrals', { config: { access: REFERRER } }, async (request, reply) =>
    sendForm(deps, app.clock.today(), request, reply),
  );

  app.get('/referrals/advice-recorded', { config: { access: REFERRER } }, async (_request, reply) =>
    reply.page('referrals/views/advice-recorded.njk', { title: 'Advice recorded' }),
  );

  app.get('/referrals/asked-recorded', { config: { access: REFERRER } }, async (request, reply) => {
    const status = String((request.query as Record<string, unknown>).status ?? '');
    return reply.page('referrals/views/asked-recorded.njk', {
      title: 'Recorded that you asked',
      answer: ASKED_ANSWERS[status] ?? null,
    });
  });

  app.get('/referrals/signposted/:id', { config: { access: REFERRER } }, async (request, reply) => {
    const found = await findSignposted(db, staffOf(request), (request.params as { id: string }).id);
    if (!found) throw notFound('Advice record not found');
    return reply.page('referrals/views/signposted.njk', {
      title: 'Advice recorded',
      to: signpostedView(found),
    });
  });

  app.get('/referrals/:id/sent', { config: { access: REFERRER } }, async (request, reply) => {
    const { referral } = await viewReferral(
      db,
      staffOf(request),
      (request.params as { id: string }).id,
      request.id,
    );
    return reply.page('referrals/views/sent.njk', { title: 'Referral sent', referral });
  });
}
