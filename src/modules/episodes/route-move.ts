// Moving a quit attempt between routes of delivery (docs/domain.md, Route of delivery). Pure. The rule for
// when a handover is allowed decides which return the attempt counts in, so it is one function with
// thorough tests (route-move.test.ts, and returns/return-unit.test.ts checks it counts once).
import type { DeliveryRoute } from '../organisations/delivery-route.ts';

/**
 * One quit attempt is one episode, held by one service at a time. Before the quit date the episode may be
 * handed over: the receiving service holds it and it counts once, in the receiver's return. From the quit
 * date until its four-week outcome is known the attempt stays where it is (the other service supports the
 * person alongside), so the attempt counts where it was made and its outcome is followed up by the service
 * that set the quit date. Once the outcome is known, a new attempt in the other route is a new episode,
 * which counts on its own quit date.
 */
export type MoveDecision =
  { kind: 'hand_over' } | { kind: 'stay_until_outcome'; reason: string } | { kind: 'new_episode' };

export function routeMoveDecision(
  e: { quitDate: string | null; outcomeKnown: boolean },
  today: string,
): MoveDecision {
  if (e.quitDate === null || e.quitDate > today) return { kind: 'hand_over' };
  if (e.outcomeKnown) return { kind: 'new_episode' };
  return {
    kind: 'stay_until_outcome',
    reason:
      'This quit attempt has started. The service that set the quit date follows it up to the four-week outcome, so it is counted once.',
  };
}

/**
 * The route a handover goes to: from inside mental health care to the stop smoking service, and from a
 * stop smoking service or pharmacy to the person's mental health service.
 */
export const receivingRoute = (from: DeliveryRoute): DeliveryRoute =>
  from === 'integrated' ? 'specialist' : 'integrated';

/** Why this episode cannot be handed over today, in words for the person asking; null when it can. */
export function handoverRefusal(
  e: { quitDate: string | null; outcomeKnown: boolean; closed: boolean },
  today: string,
): string | null {
  if (e.closed) return 'This episode is closed, so it cannot be handed over. Start a new episode instead.';
  const decision = routeMoveDecision(e, today);
  switch (decision.kind) {
    case 'hand_over':
      return null;
    case 'stay_until_outcome':
      return decision.reason;
    case 'new_episode':
      return 'This quit attempt has its four-week outcome. A new quit attempt with the other service is a new episode there.';
  }
}
