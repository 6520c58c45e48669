// Handing a quit attempt to the service of the other route (handover.service.ts): the page that says to
// whom and whether it can go now, and the form that does it. A refusal (the quit date has come, the
// outcome is known) or no service chosen comes back on the page in the NHS error summary.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { setFlash } from '../../platform/flash.ts';
import type { FormErrors } from '../../platform/forms.ts';
import { viewEpisode, type EpisodeRow } from '../episodes/episode.service.ts';
import { handOver, HandoverRefused, handoverOptions, RECEIVING_WORDS } from './handover.service.ts';
import { auditRedisplay, bodyOf, config, episodeForChange } from './treatment-page.routes.ts';

async function showHandover(
  db: Database,
  request: FastifyRequest,
  reply: FastifyReply,
  episode: EpisodeRow,
  today: string,
  form: { chosen?: string; errors?: FormErrors } = {},
) {
  const options = await handoverOptions(
    db,
    staffOf(request),
    { ...episode, outcome: episode.four_week_outcome },
    today,
  );
  const errors =
    form.errors ??
    (options.refusal ? { list: [{ text: options.refusal, href: '#handover' }], fields: {} } : undefined);
  return reply.page('treatment/views/handover.njk', {
    title: `Hand ${episode.given_name} over to ${RECEIVING_WORDS[options.to]}`,
    backHref: `/episodes/${episode.id}`,
    episode,
    options,
    canHandOver: options.refusal === null && options.services.length > 0,
    items: options.services.map((s) => ({ value: s.id, text: s.name, checked: s.id === form.chosen })),
    errors,
  });
}

export function registerHandoverRoutes(app: FastifyInstance, { db }: { db: Database }) {
  app.get('/episodes/:id/handover', { config }, async (request, reply) => {
    const episode = await viewEpisode(
      db,
      staffOf(request),
      (request.params as { id: string }).id,
      request.id,
    );
    return showHandover(db, request, reply, episode, app.clock.today());
  });

  app.post('/episodes/:id/handover', { config }, async (request, reply) => {
    const episode = await episodeForChange(db, request);
    const to = bodyOf(request).to;
    const chosen = typeof to === 'string' ? to : '';
    try {
      const name = await handOver(db, staffOf(request), episode.id, chosen, app.clock.today(), request.id);
      setFlash(
        reply,
        `The quit attempt has been handed over to ${name}. It is theirs now, and counts in their return.`,
      );
      return reply.redirect('/episodes', 303);
    } catch (err) {
      if (!(err instanceof HandoverRefused)) throw err;
      await auditRedisplay(db, request, episode);
      const href = err.status === 400 ? '#to' : '#handover';
      const fields: FormErrors['fields'] = err.status === 400 ? { to: { text: err.message } } : {};
      const errors = { list: [{ text: err.message, href }], fields };
      return showHandover(db, request, reply.code(err.status), episode, app.clock.today(), {
        chosen,
        errors,
      });
    }
  });
}
