// What every treatment page shares. Each page loads the episode within the user's service (404 otherwise),
// every read and change is audited, and a form with mistakes comes back with the error summary and what was
// typed. A change the episode refuses (409) comes back the same way, saying why.
import type { FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import { HttpError, notFound } from '../../platform/errors.ts';
import type { FormErrors } from '../../platform/forms.ts';
import { serviceScope } from '../../platform/scope.ts';
import * as episodes from '../episodes/episode.service.ts';
import type { EpisodeRow } from '../episodes/episode.service.ts';
import { SafetyTaskOpen } from './treatment.service.ts';

export const SERVICE = ['adviser', 'service_manager'] as const;
/** The route options of every treatment page: the service's advisers and managers. */
export const config = { access: SERVICE };

export type Values = Record<string, unknown>;

export const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;
export const bodyOf = (request: FastifyRequest) => (request.body ?? {}) as Values;

/** Options for the NHS select macro, with a first "choose" item. */
export const selectItems = (list: Record<string, string>, selected: unknown, first: string) => [
  { value: '', text: first },
  ...Object.entries(list).map(([value, text]) => ({ value, text, selected: value === selected })),
];

/**
 * The error summary for a change the episode refused (409): an open safety task is named in the words of
 * the warning and links to it; any other refusal says why and links to the field. Anything else that went
 * wrong is thrown on.
 */
export function refusalErrors(err: unknown, fieldHref: string): FormErrors {
  if (!(err instanceof HttpError) || err.status !== 409) throw err;
  return {
    list: [
      err instanceof SafetyTaskOpen
        ? { text: err.title, href: '#safety' }
        : { text: err.message, href: fieldHref },
    ],
    fields: {},
  };
}

/** For a form that was sent: the episode within the user's service, or 404. Its change is audited later. */
export async function episodeForChange(db: Database, request: FastifyRequest): Promise<EpisodeRow> {
  const episode = await episodes.findEpisode(db, serviceScope(staffOf(request)), idOf(request));
  if (!episode) throw notFound('Episode not found');
  return episode;
}

/** Showing a sent form again shows the person's record: that is a read like any other. */
export const auditRedisplay = (db: Database, request: FastifyRequest, episode: EpisodeRow) =>
  audit(db, staffOf(request), { action: 'view', entityType: 'episode', entityId: episode.id }, request.id);
