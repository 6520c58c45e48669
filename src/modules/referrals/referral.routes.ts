import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { auditMany } from '../../platform/audit.ts';
import { mergeErrors, type FormErrors } from '../../platform/forms.ts';
import {
  formTokenFor,
  makeOnce,
  newFormToken,
  sentBefore,
  submittedFormToken,
} from '../../platform/form-tokens.ts';
import { listHref, pageOf, paginationParams, requestedPage } from '../../platform/pagination.ts';
import { referralScope } from '../../platform/scope.ts';
import type { PostcodeLookup } from '../../platform/postcode-lookup.ts';
import { CampaignCodeError } from './campaign-code.service.ts';
import { formOptions, formValues, parseReferralForm, postcodeError } from './referral-form.ts';
import * as repo from './referral.repository.ts';
import {
  createReferral,
  recordAdviceOnly,
  recordAskedOnly,
  RoutingError,
  viewReferral,
} from './referral.service.ts';
import { referrerTimeline, STATUS_COLOURS, STATUS_KINDS, STATUS_LABELS } from './referral-status.ts';
import { readListSearch } from './referral-search.ts';
import type { TrainingOfferReader } from './training-offer.types.ts';

/** What the confirmation says was recorded, for each answer that is asked about only. */
const ASKED_ANSWERS: Record<string, string> = {
  '2': 'they used to smoke',
  '4': 'they have never smoked',
  Z: 'they did not want to say whether they smoke',
};

type Deps = { db: Database; postcodes: PostcodeLookup; config: Config; trainingOffer: TrainingOfferReader };

const REFERRER = ['referrer'] as const;

export function registerReferralRoutes(app: FastifyInstance, deps: Deps) {
  const { db } = deps;

  app.get('/referrals/new', { config: { access: REFERRER } }, async (request, reply) =>
    reply.page('referrals/views/new.njk', {
      title: 'Ask, advise and refer',
      values: {},
      options: formOptions({}),
      formToken: newFormToken(),
      trainingOffer: await deps.trainingOffer(db, staffOf(request), app.clock.today()),
    }),
  );

  app.post('/referrals', { config: { access: REFERRER } }, async (request, reply) => {
    const user = staffOf(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = formValues(body);
    const again = (errors: FormErrors) =>
      reply.code(400).page('referrals/views/new.njk', {
        title: 'Ask, advise and refer',
        values,
        options: formOptions(values),
        errors,
        formToken: formTokenFor(body),
      });

    // The same form sent twice makes one referral (or one advice record): the repeat goes where the first went.
    const claim = { form: 'referral', token: submittedFormToken(body), userId: user.id };
    const first = await sentBefore(db, claim);
    if (first) return reply.redirect(first.location, 303);

    const parsed = parseReferralForm(body, app.clock.today());
    if (!parsed.ok) return again(parsed.errors);
    try {
      const done = await makeOnce(db, claim, async (trx) => {
        if (parsed.askedOnly) {
          await recordAskedOnly({ ...deps, db: trx }, user, parsed.data);
          return { location: `/referrals/asked-recorded?status=${parsed.data.smokingStatus}`, value: null };
        }
        const input = parsed.data;
        if (input.acceptsReferral === 'no') {
          await recordAdviceOnly({ ...deps, db: trx }, user, input);
          return { location: '/referrals/advice-recorded', value: null };
        }
        const created = await createReferral({ ...deps, db: trx }, user, input, request.id);
        return { location: `/referrals/${created.id}/sent`, value: null };
      });
      return reply.redirect(done.location, 303);
    } catch (err) {
      if (err instanceof RoutingError) return again(postcodeError(undefined, err.message));
      if (err instanceof CampaignCodeError) return again(mergeErrors(undefined, 'campaignCode', err.message));
      throw err;
    }
  });

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

  app.get('/referrals', { config: { access: REFERRER } }, async (request, reply) => {
    const user = staffOf(request);
    const scope = referralScope(user);
    const q = request.query as Record<string, unknown>;
    const status = STATUS_KINDS.find((k) => k === q.status);
    const { text, search, error } = readListSearch(q);
    const listFilter = { statuses: status ? [status] : [], search };
    const page = pageOf(await repo.countReferrals(db, scope, listFilter), requestedPage(q.page));
    const rows = await repo.listReferrals(db, scope, {
      ...listFilter,
      limit: page.limit,
      offset: page.offset,
    });
    await auditMany(
      db,
      user,
      'list',
      'referral',
      rows.map((r) => r.id),
      request.id,
    );
    if (error) reply.code(400);
    return reply.page('referrals/views/list.njk', {
      title: 'Your referrals',
      values: { q: text, status: status ?? '' },
      errors: error ? mergeErrors(undefined, 'q', error) : undefined,
      searched: search.kind !== 'none' || status !== undefined,
      statusItems: [
        { value: '', text: 'Any status', selected: !status },
        ...STATUS_KINDS.map((k) => ({ value: k, text: STATUS_LABELS[k], selected: k === status })),
      ],
      page,
      pager: paginationParams(page, (p) => listHref('/referrals', { q: text, status, page: p })),
      rows: rows.map((r) => ({
        ...r,
        visibleStatus: r.consent_share_progress
          ? { label: STATUS_LABELS[r.status], colour: STATUS_COLOURS[r.status], at: r.status_at }
          : null,
      })),
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

  app.get('/referrals/:id', { config: { access: REFERRER } }, async (request, reply) => {
    const { referral, events } = await viewReferral(
      db,
      staffOf(request),
      (request.params as { id: string }).id,
      request.id,
    );
    const timeline = referrerTimeline(events, referral.consent_share_progress).map((s) => ({
      ...s,
      label: STATUS_LABELS[s.status],
      colour: STATUS_COLOURS[s.status],
    }));
    return reply.page('referrals/views/show.njk', {
      title: `Referral ${referral.reference}`,
      referral,
      timeline,
      backHref: '/referrals',
    });
  });
}
