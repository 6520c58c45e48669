// Adding an extra session: people with mental health conditions often need more than the standard six.
// Its page is the session page's template, asking only for the date.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import type { FormErrors } from '../../platform/forms.ts';
import { formValues } from '../referrals/referral-form.ts';
import { viewEpisode, type EpisodeRow } from '../episodes/episode.service.ts';
import { parseExtraSession } from './session.schemas.ts';
import { addExtraSession } from './session.service.ts';
import { episodeDates } from './treatment.service.ts';
import {
  auditRedisplay,
  bodyOf,
  config,
  episodeForChange,
  idOf,
  refusalErrors,
  type Values,
} from './treatment-page.routes.ts';

export function registerExtraSessionRoutes(app: FastifyInstance, { db }: { db: Database }) {
  const showExtra = (reply: FastifyReply, episode: EpisodeRow, values: Values, errors?: FormErrors) =>
    reply.page('treatment/views/session.njk', {
      title: 'Add an extra session',
      backHref: `/episodes/${episode.id}`,
      episode,
      extra: true,
      values,
      errors,
    });

  app.get('/episodes/:id/sessions/new', { config }, async (request, reply) => {
    const episode = await viewEpisode(db, staffOf(request), idOf(request), request.id);
    return showExtra(reply, episode, {});
  });

  app.post('/episodes/:id/sessions', { config }, async (request, reply) => {
    const episode = await episodeForChange(db, request);
    const body = bodyOf(request);
    const parsed = parseExtraSession(body, await episodeDates(db, episode, app.clock.today()));
    if (!parsed.ok) {
      await auditRedisplay(db, request, episode);
      return showExtra(reply.code(400), episode, formValues(body), parsed.errors);
    }
    try {
      await addExtraSession(db, staffOf(request), episode.id, parsed.data.scheduledOn, request.id);
    } catch (err) {
      const errors = refusalErrors(err, '#extraOn-day');
      await auditRedisplay(db, request, episode);
      return showExtra(reply.code(409), episode, formValues(body), errors);
    }
    return reply.redirect(`/episodes/${episode.id}#sessions`, 303);
  });
}
