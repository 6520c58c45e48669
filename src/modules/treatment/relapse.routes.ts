// Coming back after a relapse (episodes/relapse.service.ts): the page that starts a new quit attempt
// from a finished one, with when they started smoking again and the relapse-prevention plan. A refusal
// (the attempt is still under way, one has already followed it) or a mistake comes back on the page in
// the NHS error summary with what was typed.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { HttpError } from '../../platform/errors.ts';
import { setFlash } from '../../platform/flash.ts';
import type { FormErrors } from '../../platform/forms.ts';
import {
  formTokenFor,
  makeOnce,
  newFormToken,
  sentBefore,
  submittedFormToken,
} from '../../platform/form-tokens.ts';
import { formValues } from '../referrals/referral-form.ts';
import { viewEpisode, type EpisodeRow } from '../episodes/episode.service.ts';
import { restartRefusalFor, startAfterRelapse } from '../episodes/relapse.service.ts';
import { parseRelapse } from './relapse.schemas.ts';
import {
  auditRedisplay,
  bodyOf,
  config,
  episodeForChange,
  idOf,
  type Values,
} from './treatment-page.routes.ts';

type Form = { values: Values; errors?: FormErrors | undefined; formToken: string; refusal: string | null };

const show = (reply: FastifyReply, episode: EpisodeRow, form: Form) =>
  reply.page('treatment/views/relapse.njk', {
    title: 'Start a new quit attempt after a relapse',
    backHref: `/episodes/${episode.id}`,
    episode,
    ...form,
    errors:
      form.errors ??
      (form.refusal ? { list: [{ text: form.refusal, href: '#relapse' }], fields: {} } : undefined),
  });

export function registerRelapseRoutes(app: FastifyInstance, { db }: { db: Database }) {
  app.get('/episodes/:id/relapse', { config }, async (request, reply) => {
    const user = staffOf(request);
    const episode = await viewEpisode(db, user, idOf(request), request.id);
    const refusal = await restartRefusalFor(db, user, episode);
    return show(reply, episode, { values: {}, formToken: newFormToken(), refusal });
  });

  app.post('/episodes/:id/relapse', { config }, (request, reply) => startAgain(db, app, request, reply));
}

async function startAgain(db: Database, app: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
  const user = staffOf(request);
  const episode = await episodeForChange(db, request);
  const body = bodyOf(request);
  // The same form sent twice starts one attempt: the repeat goes where the first went.
  const claim = { form: 'relapse', token: submittedFormToken(body), userId: user.id };
  const first = await sentBefore(db, claim);
  if (first) return reply.redirect(first.location, 303);
  const form = { values: formValues(body), formToken: formTokenFor(body) };
  const refusal = await restartRefusalFor(db, user, episode);
  if (refusal || !episode.quit_date) {
    await auditRedisplay(db, request, episode);
    return show(reply.code(409), episode, { ...form, refusal });
  }
  const parsed = parseRelapse(body, { today: app.clock.today(), quitDate: episode.quit_date });
  if (!parsed.ok) {
    await auditRedisplay(db, request, episode);
    return show(reply.code(400), episode, { ...form, refusal: null, errors: parsed.errors });
  }
  try {
    const done = await makeOnce(db, claim, async (trx) => {
      const { episodeId } = await startAfterRelapse(trx, user, episode.id, parsed.data, {
        today: app.clock.today(),
        now: app.clock.now(),
        requestId: request.id,
      });
      return { location: `/episodes/${episodeId}`, value: null };
    });
    if (!done.replayed)
      setFlash(reply, 'A new quit attempt has started. The last one and its outcome are kept as they were.');
    return reply.redirect(done.location, 303);
  } catch (err) {
    if (!(err instanceof HttpError) || err.status !== 409) throw err;
    await auditRedisplay(db, request, episode);
    return show(reply.code(409), episode, { ...form, refusal: err.message });
  }
}
