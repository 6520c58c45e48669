// The person's say in messages, on a page of their episode: the adviser records consent, how and when, or
// stops messages for them, and sees every message planned and sent with its status. The service's advisers
// and managers only, within their service; every read and change audited.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import { notFound } from '../../platform/errors.ts';
import { setFlash } from '../../platform/flash.ts';
import type { FormErrors } from '../../platform/forms.ts';
import { serviceScope } from '../../platform/scope.ts';
import { findEpisode, viewEpisode, type EpisodeRow } from '../episodes/episode.service.ts';
import { availableFor, messagesOf, savePreferences, stopOnBehalf } from './message-preferences.service.ts';
import { DEFAULT_HOURS, parsePreferences } from './message-preferences.schemas.ts';
import { HOUR_LIMITS } from './message-schedule.ts';
import { CHANNEL_LABELS, hourItems, messageRows, STOPPED_HOW } from './message-words.ts';

const config = { access: ['adviser', 'service_manager'] as const };
type Values = Record<string, unknown>;

const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

async function episodeForChange(db: Database, request: FastifyRequest): Promise<EpisodeRow> {
  const episode = await findEpisode(db, serviceScope(staffOf(request)), idOf(request));
  if (!episode) throw notFound('Episode not found');
  return episode;
}

async function page(
  db: Database,
  reply: FastifyReply,
  episode: EpisodeRow,
  values?: Values,
  errors?: FormErrors,
) {
  const { preferences, messages } = await messagesOf(db, episode);
  const available = availableFor(episode);
  const v: Values = values ?? {
    consent: preferences ? (preferences.consent ? 'yes' : 'no') : undefined,
    channel: preferences?.channel ?? undefined,
    earliestHour: String(preferences?.earliest_hour ?? DEFAULT_HOURS.earliestHour),
    latestHour: String(preferences?.latest_hour ?? DEFAULT_HOURS.latestHour),
  };
  return reply.page('messages/views/preferences.njk', {
    title: `Messages to ${episode.given_name} ${episode.family_name}`,
    backHref: `/episodes/${episode.id}`,
    episode,
    preferences,
    stoppedHow: preferences?.stopped_how ? STOPPED_HOW[preferences.stopped_how] : null,
    noAddress: !available.sms && !available.email,
    values: v,
    errors,
    channelItems: (['sms', 'email'] as const)
      .filter((c) => available[c])
      .map((c) => ({
        value: c,
        text: CHANNEL_LABELS[c],
        hint: { text: c === 'sms' ? `To ${episode.phone}` : `To ${episode.email}` },
        checked: v.channel === c,
      })),
    earliestItems: hourItems(HOUR_LIMITS.earliestMin, HOUR_LIMITS.earliestMax, v.earliestHour),
    latestItems: hourItems(HOUR_LIMITS.latestMin, HOUR_LIMITS.latestMax, v.latestHour),
    messages: messageRows(messages),
  });
}

export function registerMessagePreferenceRoutes(app: FastifyInstance, { db }: { db: Database }) {
  app.get('/episodes/:id/messages', { config }, async (request, reply) => {
    const episode = await viewEpisode(db, staffOf(request), idOf(request), request.id);
    return page(db, reply, episode);
  });

  app.post('/episodes/:id/messages', { config }, async (request, reply) => {
    const episode = await episodeForChange(db, request);
    const body = (request.body ?? {}) as Values;
    const parsed = parsePreferences(body, availableFor(episode));
    if (!parsed.ok) {
      const user = staffOf(request);
      await audit(db, user, { action: 'view', entityType: 'episode', entityId: episode.id }, request.id);
      const typed = (k: string) => (typeof body[k] === 'string' ? String(body[k]).slice(0, 10) : undefined);
      const values = {
        consent: typed('consent'),
        channel: typed('channel'),
        earliestHour: typed('earliestHour'),
        latestHour: typed('latestHour'),
      };
      return page(db, reply.code(400), episode, values, parsed.errors);
    }
    await savePreferences(db, staffOf(request), episode, parsed.data, app.clock.now(), request.id);
    setFlash(reply, 'Messages saved.');
    return reply.redirect(`/episodes/${episode.id}#messages`, 303);
  });

  app.post('/episodes/:id/messages/stop', { config }, async (request, reply) => {
    const episode = await episodeForChange(db, request);
    await stopOnBehalf(db, staffOf(request), episode, app.clock.now(), request.id);
    setFlash(reply, 'Messages stopped. Nothing more will be sent.');
    return reply.redirect(`/episodes/${episode.id}#messages`, 303);
  });
}
