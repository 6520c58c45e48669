// The outbox: every message Mortar sends on its job queue is planned here first, as a row that says what
// it is about and when it is due, never the address or the words. The module that owns a kind of message
// registers how to compose it; the sender (outbox-sender.ts) composes each one when it is due, so what is
// sent follows the record at that moment: a corrected number, a withdrawn consent, a moved appointment.
import type { Transaction } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { DB, MessageChannel, OutboundMessagesTable } from '../db/schema.ts';
import type { Selectable } from 'kysely';
import type { Template } from './notify.ts';
import { hashToken, newToken } from './tokens.ts';

export type OutboundMessage = Selectable<OutboundMessagesTable>;

export type PlannedMessage = {
  kind: string;
  channel: MessageChannel;
  dueAt: Date;
  personId?: string | null;
  episodeId?: string | null;
  appointmentId?: string | null;
  referralId?: string | null;
  recipientUserId?: string | null;
  recipientOrganisationId?: string | null;
  /** Facts that are not personal (a week number, an event): the row is kept after the message is sent. */
  facts?: Record<string, string | number | boolean>;
  fallbackOf?: string | null;
};

/** What a kind's composer decides when its message is due. */
export type Composed =
  | {
      action: 'send';
      /** The address, read from the record now: a phone number for a text, an email address for an email. */
      to: string;
      template: Template;
      personalisation: Record<string, string>;
    }
  /** Not sent, with a reason that holds nothing personal ("consent withdrawn", "appointment moved"). */
  | { action: 'skip'; reason: string }
  /** Not yet: outside the hours the person chose, for example. */
  | { action: 'later'; dueAt: Date };

export type ComposeContext = {
  now: Date;
  /** Mortar's public address, for links. */
  publicUrl: string;
  /**
   * Makes the message's one-time link (kept as its token's hash) and returns its address; the raw token
   * exists only in the message that carries it.
   */
  link: (path: string, expiresAt: Date) => Promise<string>;
};

export type MessageKind = {
  kind: string;
  compose: (trx: Transaction<DB>, message: OutboundMessage, ctx: ComposeContext) => Promise<Composed>;
  /**
   * Notify could not deliver it (a permanent or technical failure in its receipt, or refused outright):
   * what happens next, inside the transaction that records the failure: another channel, a task.
   */
  onFailed?: (trx: Transaction<DB>, message: OutboundMessage, now: Date) => Promise<void>;
};

const kinds = new Map<string, MessageKind>();

/** Adds a kind of message (or replaces one of the same name). Modules register theirs when loaded. */
export function registerMessageKind(kind: MessageKind): void {
  kinds.set(kind.kind, kind);
}

export function messageKind(name: string): MessageKind | undefined {
  return kinds.get(name);
}

/** Plans a message; it is sent by the queue once due. Returns its id. */
export async function planMessage(db: Executor, m: PlannedMessage): Promise<string> {
  const row = await db
    .insertInto('outbound_messages')
    .values({
      kind: m.kind,
      channel: m.channel,
      due_at: m.dueAt,
      person_id: m.personId ?? null,
      episode_id: m.episodeId ?? null,
      appointment_id: m.appointmentId ?? null,
      referral_id: m.referralId ?? null,
      recipient_user_id: m.recipientUserId ?? null,
      recipient_organisation_id: m.recipientOrganisationId ?? null,
      facts: m.facts ?? {},
      fallback_of: m.fallbackOf ?? null,
      created_at: new Date(),
      status_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export type PlannedFilter = {
  kinds?: readonly string[];
  personId?: string;
  episodeId?: string;
  appointmentId?: string;
  referralId?: string;
};

/**
 * Cancels planned messages not yet handed to the sender, with a reason. One already being sent is left to
 * the sender, whose composer reads the record again and skips it if it no longer applies.
 */
export async function cancelPlanned(
  db: Executor,
  filter: PlannedFilter,
  reason: string,
  now: Date,
): Promise<number> {
  if (!filter.personId && !filter.episodeId && !filter.appointmentId && !filter.referralId)
    throw new Error('cancelPlanned needs a person, episode, appointment or referral');
  let q = db
    .updateTable('outbound_messages')
    .set({ status: 'cancelled', reason, status_at: now })
    .where('status', 'in', ['scheduled', 'queued']);
  if (filter.kinds) q = q.where('kind', 'in', [...filter.kinds]);
  if (filter.personId) q = q.where('person_id', '=', filter.personId);
  if (filter.episodeId) q = q.where('episode_id', '=', filter.episodeId);
  if (filter.appointmentId) q = q.where('appointment_id', '=', filter.appointmentId);
  if (filter.referralId) q = q.where('referral_id', '=', filter.referralId);
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The messages about an episode, newest first, for its page (status only: nothing here is personal). */
export async function messagesAbout(
  db: Executor,
  filter: { episodeId?: string; referralId?: string },
): Promise<OutboundMessage[]> {
  let q = db.selectFrom('outbound_messages').selectAll();
  if (filter.episodeId) q = q.where('episode_id', '=', filter.episodeId);
  else if (filter.referralId) q = q.where('referral_id', '=', filter.referralId);
  else return [];
  return q.orderBy('due_at', 'desc').limit(200).execute();
}

export type MessageLink = { message: OutboundMessage; expiresAt: Date; usedAt: Date | null };

/** The message a one-time link belongs to, or null for a token that was never issued. */
export async function findMessageLink(db: Executor, token: string): Promise<MessageLink | null> {
  if (!/^[\w-]{20,100}$/.test(token)) return null;
  const link = await db
    .selectFrom('message_links')
    .where('token_hash', '=', hashToken(token))
    .select(['message_id', 'expires_at', 'used_at'])
    .executeTakeFirst();
  if (!link) return null;
  const message = await db
    .selectFrom('outbound_messages')
    .where('id', '=', link.message_id)
    .selectAll()
    .executeTakeFirstOrThrow();
  return { message, expiresAt: link.expires_at, usedAt: link.used_at };
}

/** Marks a link used; false if it was already used (two answers racing: only one counts). */
export async function useMessageLink(db: Executor, token: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('message_links')
    .set({ used_at: now })
    .where('token_hash', '=', hashToken(token))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Makes a message's one-time link: the token goes in the message, only its hash is kept. */
export async function createMessageLink(db: Executor, messageId: string, expiresAt: Date): Promise<string> {
  const token = newToken();
  await db
    .insertInto('message_links')
    .values({ token_hash: hashToken(token), message_id: messageId, expires_at: expiresAt })
    .onConflict((oc) =>
      oc
        .column('message_id')
        .doUpdateSet({ token_hash: hashToken(token), expires_at: expiresAt, used_at: null }),
    )
    .execute();
  return token;
}
