// Handing a quit attempt between routes of delivery: from a practitioner inside NHS Talking Therapies (or
// another mental health service) to the local stop smoking service, or back. Whether it may be handed
// over is routeMoveDecision's (episodes/route-move.ts): before the quit date only, so the attempt counts
// once, in the return of the service that holds it on its quit date. The episode moves whole with its
// history, the handover is kept (episode_handovers) and audited, all in one transaction.
import type { Database } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import { HttpError, notFound } from '../../platform/errors.ts';
import type { StaffUser } from '../../platform/roles.ts';
import { serviceScope } from '../../platform/scope.ts';
import { deliveryRouteOf, type DeliveryRoute } from '../organisations/delivery-route.ts';
import { handoverRefusal, receivingRoute } from '../episodes/route-move.ts';
import {
  insertHandover,
  lockEpisode,
  moveEpisode,
  receivingServices,
  type ReceivingService,
} from './handover.repository.ts';

export { handoversOf } from './handover.repository.ts';

/** Where a handover from this user's service goes, in words for a link or a heading. */
export const RECEIVING_WORDS: Record<DeliveryRoute, string> = {
  specialist: 'the stop smoking service',
  integrated: 'their mental health service',
  pharmacy: 'a pharmacy',
};

export type HandoverOptions = {
  to: DeliveryRoute;
  services: ReceivingService[];
  /** Why it cannot be handed over now, or null. */
  refusal: string | null;
};

type EpisodeFacts = {
  quit_date: string | null;
  closed_at: Date | null;
  outcome: string | null;
  local_authority_code: string | null;
};

const refusalOf = (e: EpisodeFacts, today: string) =>
  handoverRefusal(
    { quitDate: e.quit_date, outcomeKnown: e.outcome !== null, closed: e.closed_at !== null },
    today,
  );

/** What the handover page offers for an episode the user's service holds. */
export async function handoverOptions(
  db: Database,
  user: StaffUser,
  episode: EpisodeFacts,
  today: string,
): Promise<HandoverOptions> {
  const to = receivingRoute(deliveryRouteOf(user.organisationType));
  const services = await receivingServices(db, to, episode.local_authority_code, today);
  return { to, services, refusal: refusalOf(episode, today) };
}

/** A handover the rule refuses (409), or a receiving service that is not one of those offered (400). */
export class HandoverRefused extends HttpError {}

/** Hands the episode to service `toId`; returns the receiving service's name. */
export async function handOver(
  db: Database,
  user: StaffUser,
  episodeId: string,
  toId: string,
  today: string,
  requestId?: string,
): Promise<string> {
  const scope = serviceScope(user);
  return db.transaction().execute(async (trx) => {
    const e = await lockEpisode(trx, scope.organisationId, episodeId);
    if (!e) throw notFound('Episode not found');
    const refusal = refusalOf(e, today);
    if (refusal) throw new HandoverRefused(409, refusal);
    const to = receivingRoute(deliveryRouteOf(user.organisationType));
    const service = (await receivingServices(trx, to, e.local_authority_code, today)).find(
      (s) => s.id === toId,
    );
    if (!service) throw new HandoverRefused(400, 'Choose the service to hand over to');
    await moveEpisode(trx, { id: e.id, personId: e.person_id, from: scope.organisationId, to: service.id });
    await insertHandover(trx, {
      episodeId: e.id,
      from: scope.organisationId,
      to: service.id,
      by: user.id,
      on: today,
    });
    await audit(
      trx,
      user,
      { action: 'update', entityType: 'episode', entityId: e.id, detail: `handed over to ${service.name}` },
      requestId,
    );
    return service.name;
  });
}
