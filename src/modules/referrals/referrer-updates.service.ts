// Emails to referrers about the referrals they sent (issue 13): planned in the outbox in the same
// transaction as the event, composed when the sender gets to them, so the address is read from the
// organisation's inbox or the referrer's account at that moment and never stored with the message.
// Who is told of what, and in which words, is referrer-updates.ts.
import type { Executor } from '../../db/database.ts';
import { londonDate } from '../../platform/clock.ts';
import { messagesAbout, planMessage, registerMessageKind, type Composed } from '../../platform/outbox.ts';
import type { EventKind } from './referral-status.ts';
import {
  addressNow,
  eventsToEmail,
  isReferrerUpdateEvent,
  updatePersonalisation,
  updateRecipients,
  type Recipient,
  type ReferrerUpdateEvent,
  type UpdateFacts,
} from './referrer-updates.ts';
import { updateFactsOf, type UpdateFactsRow } from './referrer-updates.repository.ts';

export const REFERRER_UPDATE = 'referrer_update';

function factsOf(row: UpdateFactsRow): UpdateFacts {
  return {
    source: row.source as UpdateFacts['source'],
    consentShareProgress: row.consent_share_progress,
    inbox: row.inbox,
    referrer:
      row.user_id && row.user_email
        ? {
            userId: row.user_id,
            email: row.user_email,
            optedIn: !!row.user_opted_in,
            active: !!row.user_active,
            inReferringOrganisation: row.user_organisation_id === row.referrer_organisation_id,
          }
        : null,
  };
}

/**
 * Plans the emails the events just appended to a referral call for, inside the caller's transaction, so an
 * event and its emails are kept together or not at all. `earlier` is the history before them.
 */
export async function planReferrerUpdates(
  trx: Executor,
  referralId: string,
  earlier: readonly { kind: EventKind }[],
  appended: readonly { kind: EventKind }[],
  dueAt: Date,
): Promise<void> {
  const events = eventsToEmail(earlier, appended);
  if (events.length === 0) return;
  const row = await updateFactsOf(trx, referralId);
  if (!row) return;
  const recipients = updateRecipients(factsOf(row));
  for (const event of events)
    for (const r of recipients)
      await planMessage(trx, {
        kind: REFERRER_UPDATE,
        channel: 'email',
        dueAt,
        referralId,
        recipientOrganisationId: r.kind === 'organisation' ? row.referrer_organisation_id : null,
        recipientUserId: r.kind === 'user' ? r.userId : null,
        facts: { event },
      });
}

/** The start of a day in England or a little before (23:00 UTC the day before): due as soon as it is planned. */
export function dueFromDay(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - 60 * 60 * 1000);
}

function recipientOf(message: {
  recipient_organisation_id: string | null;
  recipient_user_id: string | null;
}): Recipient | null {
  if (message.recipient_organisation_id) return { kind: 'organisation' };
  if (message.recipient_user_id) return { kind: 'user', userId: message.recipient_user_id };
  return null;
}

/** Reads the referral and the address now and writes the email, or says why it is not sent. */
export async function composeReferrerUpdate(
  db: Executor,
  message: {
    referral_id: string | null;
    recipient_organisation_id: string | null;
    recipient_user_id: string | null;
    facts: Record<string, unknown>;
  },
  publicUrl: string,
): Promise<Composed> {
  const event = message.facts.event;
  const recipient = recipientOf(message);
  if (!isReferrerUpdateEvent(event) || !recipient || !message.referral_id)
    return { action: 'skip', reason: 'not a referrer update' };
  const row = await updateFactsOf(db, message.referral_id);
  if (!row) return { action: 'skip', reason: 'referral not found' };
  // An organisation's inbox is told only of its own referrals.
  if (recipient.kind === 'organisation' && message.recipient_organisation_id !== row.referrer_organisation_id)
    return { action: 'skip', reason: 'not the referring organisation' };
  const address = addressNow(recipient, factsOf(row));
  if ('skip' in address) return { action: 'skip', reason: address.skip };
  return {
    action: 'send',
    to: address.to,
    template: 'referrer_update',
    personalisation: updatePersonalisation({
      event: event as ReferrerUpdateEvent,
      reference: row.reference,
      service: { name: row.service_name, phone: row.service_phone },
      sentOn: londonDate(row.created_at),
      link: `${publicUrl}/referrals/${row.id}`,
    }),
  };
}

registerMessageKind({
  kind: REFERRER_UPDATE,
  compose: (trx, message, ctx) => composeReferrerUpdate(trx, message, ctx.publicUrl),
});

export type UpdateSent = {
  event: ReferrerUpdateEvent;
  to: 'organisation' | 'referrer';
  status: string;
  at: Date;
};

/** The updates about a referral, for its page: what and to whom (never the address), and how it went. */
export async function updatesSentAbout(db: Executor, referralId: string): Promise<UpdateSent[]> {
  const rows = await messagesAbout(db, { referralId });
  return rows
    .filter((m) => m.kind === REFERRER_UPDATE && isReferrerUpdateEvent(m.facts.event))
    .map((m) => ({
      event: m.facts.event as ReferrerUpdateEvent,
      to: m.recipient_organisation_id ? 'organisation' : 'referrer',
      status: m.status,
      at: m.status_at,
    }));
}
