// Which status changes of a referral are pushed to the referring organisation's webhook endpoints, what
// each message says, and when a failed one is tried again. Pure: the services read and write, and ask.
//
// A webhook tells the referring system no more than the referral API would show it (referrerTimeline):
// with the person's consent to share progress, every status change it asked for; without it, only a
// withdrawal (the referrer's own act). The body is thin: the event, the referral's id, reference and
// status, and the link to read it through the API with the organisation's key. Never the person.
import type { EventKind } from './referral-status.ts';

/** The events an endpoint can ask for: the referral API's statuses that can follow a referral. */
export const WEBHOOK_EVENTS = [
  'contacted',
  'accepted',
  'declined',
  'unable_to_contact',
  'quit_date_set',
  'outcome_recorded',
  'withdrawn',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const isWebhookEvent = (kind: unknown): kind is WebhookEvent =>
  (WEBHOOK_EVENTS as readonly unknown[]).includes(kind);

/** What the administrator ticks, in the order of a referral's life. */
export const WEBHOOK_EVENT_LABELS: Record<WebhookEvent, string> = {
  contacted: 'The service has spoken to the person',
  accepted: 'The service has accepted the referral',
  declined: 'The service has declined the referral',
  unable_to_contact: 'The service has not been able to reach the person',
  quit_date_set: 'The person has set a quit date',
  outcome_recorded: 'The four-week outcome has been recorded',
  withdrawn: 'The referral has been withdrawn by your organisation',
};

/** The event's type in the message: "referral." and the status, as the API's status field spells it. */
export const eventType = (e: WebhookEvent) => `referral.${e}`;

/** Whether the referrer may learn of this event at all: as referral-status.ts referrerTimeline decides. */
export function referrerMaySee(kind: WebhookEvent, consentShareProgress: boolean): boolean {
  return consentShareProgress || kind === 'withdrawn';
}

/**
 * The appended events to send to one endpoint: status changes it asked for that the referrer may see,
 * each once, in the order they happened. A self-referral has no referring organisation and so no endpoint.
 */
export function eventsForEndpoint<E extends { kind: EventKind }>(
  appended: readonly E[],
  referral: { consentShareProgress: boolean },
  endpoint: { events: readonly string[]; active: boolean },
): (E & { kind: WebhookEvent })[] {
  if (!endpoint.active) return [];
  return appended.filter(
    (e): e is E & { kind: WebhookEvent } =>
      isWebhookEvent(e.kind) &&
      endpoint.events.includes(e.kind) &&
      referrerMaySee(e.kind, referral.consentShareProgress),
  );
}

/** The message's body, as the Standard Webhooks specification lays one out: type, timestamp, data. */
export function webhookBody(m: {
  event: WebhookEvent;
  occurredAt: Date;
  referral: { id: string; reference: string };
  apiBase: string;
}): string {
  return JSON.stringify({
    type: eventType(m.event),
    timestamp: m.occurredAt.toISOString(),
    data: {
      id: m.referral.id,
      reference: m.referral.reference,
      status: m.event,
      url: `${m.apiBase.replace(/\/+$/, '')}/api/v1/referrals/${m.referral.id}`,
    },
  });
}

/**
 * The wait before each try after the first: 5 seconds, 5 minutes, 30 minutes, 2, 5, 10 and 10 hours (the
 * schedule Standard Webhooks' reference service uses), so 8 tries over about a day and a quarter, and a
 * receiver down for a day still gets the message when it comes back.
 */
export const RETRY_DELAYS_SECONDS: readonly number[] = [5, 300, 1800, 7200, 18000, 36000, 36000];
export const MAX_ATTEMPTS = RETRY_DELAYS_SECONDS.length + 1;

/** When to try again after `attemptsMade` failed tries, or null when that was the last. */
export function nextAttemptAt(attemptsMade: number, at: Date): Date | null {
  const delay = RETRY_DELAYS_SECONDS[attemptsMade - 1];
  return delay === undefined ? null : new Date(at.getTime() + delay * 1000);
}

/** Only a 2xx answer is delivery; a redirect is not followed and counts as a failure. */
export const isDelivered = (statusCode: number) => statusCode >= 200 && statusCode <= 299;

/**
 * An endpoint is switched off when a message has failed its every try (about a day and a quarter) and
 * nothing has reached it since that message's first try: it is down, not unlucky, and each new event
 * would only queue behind it. The administrator is told and can switch it back on.
 */
export function disableAfterLastFailure(e: { firstAttemptAt: Date; lastSuccessAt: Date | null }): boolean {
  return !e.lastSuccessAt || e.lastSuccessAt.getTime() < e.firstAttemptAt.getTime();
}

/** After a rotation the previous secret signs too, for this long, so the receiver can change over. */
export const PREVIOUS_SECRET_HOURS = 24;

/** The secrets to sign with now: the current one, and the previous one while its overlap lasts. */
export function secretsToSignWith(
  e: { current: string; previous: string | null; previousUntil: Date | null },
  now: Date,
): string[] {
  return e.previous && e.previousUntil && now.getTime() < e.previousUntil.getTime()
    ? [e.current, e.previous]
    : [e.current];
}

/** What the deliveries list says of each message: how far it got. */
export const DELIVERY_STATUS_LABELS: Record<string, string> = {
  pending: 'Trying',
  delivered: 'Delivered',
  failed: 'Failed',
  cancelled: 'Not sent',
};
