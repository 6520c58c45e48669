// Sends what the outbox planned, exactly once. Each due message is handed to the job queue under its own
// id (outbox-worker.ts), and one run of `sendMessage` sends it:
//  1. it composes the message in a transaction that locks its row and marks it `sending` (two senders
//     cannot both claim it), reading the address and the facts from the record as they are now;
//  2. it sends with the row's id as Notify's `reference`, then records Notify's id: `sent`;
//  3. a run that finds the row still `sending` (its instance died after step 1) asks Notify whether that
//     reference was accepted before sending again.
// Rate limits and outages are tried again by the queue with back-off; an address Notify refuses, or the
// queue's last try, marks the message failed and lets its kind decide what follows (another channel, a
// task for the adviser). Nothing personal is logged or stored: the address lives only in the request.
import type { Transaction } from 'kysely';
import type { Database, Executor } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import type { Clock } from './clock.ts';
import { NotifyError, type Notifier, type NotifyLogger } from './notify.ts';
import {
  createMessageLink,
  messageKind,
  type ComposeContext,
  type Composed,
  type OutboundMessage,
  type PlannedMessage,
  planMessage,
} from './outbox.ts';
import type { Pacer } from './pacer.ts';

export type SenderDeps = {
  db: Database;
  notifier: Notifier;
  clock: Clock;
  publicUrl: string;
  /** Spaces sends under Notify's rate limit; shared by every send of this instance. */
  pacer?: Pacer;
  log?: NotifyLogger;
};

export type SendOutcome = 'sent' | 'skipped' | 'later' | 'failed' | 'done';

/** The send could not happen now (rate limited, Notify unavailable): the queue tries again later. */
export class TryAgainLater extends Error {
  readonly rateLimited: boolean;
  constructor(cause: NotifyError) {
    super(`message not sent yet: ${cause.message}`);
    this.name = 'TryAgainLater';
    this.rateLimited = cause.kind === 'rate_limited';
  }
}

const OPEN = ['scheduled', 'queued', 'sending'] as const;

/** Marks due planned messages queued, oldest first, and returns their ids for the job queue. */
export async function queueDueMessages(db: Executor, now: Date, limit: number): Promise<string[]> {
  const rows = await db
    .updateTable('outbound_messages')
    .set({ status: 'queued', status_at: now })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('outbound_messages')
        .select('id')
        .where('status', '=', 'scheduled')
        .where('due_at', '<=', now)
        .orderBy('due_at')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Messages queued or being sent for longer than `staleMs`: handed to the queue again under the same id,
 * which the queue ignores while that job lives. Covers an instance that died between queuing and handing.
 */
export async function staleMessages(db: Executor, now: Date, staleMs: number, limit: number) {
  const rows = await db
    .selectFrom('outbound_messages')
    .select('id')
    .where('status', 'in', ['queued', 'sending'])
    .where('status_at', '<', new Date(now.getTime() - staleMs))
    .orderBy('status_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

function composeContext(trx: Transaction<DB>, message: OutboundMessage, deps: SenderDeps): ComposeContext {
  return {
    now: deps.clock.now(),
    publicUrl: deps.publicUrl,
    link: async (path, expiresAt) =>
      `${deps.publicUrl}${path}${await createMessageLink(trx, message.id, expiresAt)}`,
  };
}

type Claim = { action: 'send'; message: OutboundMessage; composed: Extract<Composed, { action: 'send' }> };

/** Locks the row, composes the message and marks it sending; or records why it is not sent now. */
async function claim(deps: SenderDeps, id: string, expected: string): Promise<Claim | SendOutcome> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const message = await trx
      .selectFrom('outbound_messages')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    // Another run got there first.
    if (!message || message.status !== expected) return 'done';
    const kind = messageKind(message.kind);
    const composed: Composed = kind
      ? await kind.compose(trx, message, composeContext(trx, message, deps))
      : { action: 'skip', reason: 'no composer for this kind' };
    if (composed.action === 'skip') {
      await trx
        .updateTable('outbound_messages')
        .set({ status: 'skipped', reason: composed.reason.slice(0, 200), status_at: now })
        .where('id', '=', id)
        .execute();
      return 'skipped';
    }
    if (composed.action === 'later') {
      await trx
        .updateTable('outbound_messages')
        .set({ status: 'scheduled', due_at: composed.dueAt, status_at: now })
        .where('id', '=', id)
        .execute();
      return 'later';
    }
    await trx
      .updateTable('outbound_messages')
      .set({ status: 'sending', attempts: message.attempts + 1, status_at: now })
      .where('id', '=', id)
      .execute();
    return { action: 'send', message, composed };
  });
}

async function markSent(db: Executor, id: string, notifyId: string, now: Date): Promise<void> {
  await db
    .updateTable('outbound_messages')
    .set({ status: 'sent', notify_id: notifyId, status_at: now })
    .where('id', '=', id)
    .where('status', 'in', [...OPEN])
    .execute();
}

/** Records that a message failed, once, and lets its kind decide what follows, in one transaction. */
export async function markFailed(db: Database, id: string, reason: string, now: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const failed = await trx
      .updateTable('outbound_messages')
      .set({ status: 'failed', reason: reason.slice(0, 200), status_at: now })
      .where('id', '=', id)
      .where('status', 'in', [...OPEN, 'sent'])
      .returningAll()
      .executeTakeFirst();
    if (!failed) return false;
    await messageKind(failed.kind)?.onFailed?.(trx, failed, now);
    return true;
  });
}

const asNotifyError = (deps: SenderDeps, err: unknown) =>
  err instanceof NotifyError
    ? err
    : new NotifyError(deps.notifier.transport === 'smtp' ? 'smtp' : 'notify', err);

const reasonOf = (e: NotifyError) =>
  `${e.transport === 'smtp' ? 'the mail server' : 'Notify'} refused it${e.status ? ` (${e.status})` : ''}${e.code ? ` ${e.code}` : ''}`;

/**
 * Sends one message at most once. Throws TryAgainLater when it should be tried again; on `lastTry` a
 * message that still cannot be sent is marked failed instead.
 */
export async function sendMessage(
  deps: SenderDeps,
  id: string,
  opts: { lastTry: boolean } = { lastTry: false },
): Promise<SendOutcome> {
  const row = await deps.db
    .selectFrom('outbound_messages')
    .select(['id', 'status', 'channel'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row || !(OPEN as readonly string[]).includes(row.status)) return 'done';
  try {
    if (row.status === 'sending') {
      // An earlier run claimed it and may have sent it before its instance stopped.
      const already = await deps.notifier.findSent(row.id, row.channel);
      if (already) {
        await markSent(deps.db, row.id, already, deps.clock.now());
        return 'sent';
      }
    }
    const claimed = await claim(deps, id, row.status);
    if (typeof claimed === 'string') return claimed;
    await deps.pacer?.take();
    const { composed } = claimed;
    const sent = await deps.notifier.sendOne({
      channel: row.channel,
      to: composed.to,
      template: composed.template,
      personalisation: composed.personalisation,
      reference: row.id,
    });
    await markSent(deps.db, row.id, sent.id, deps.clock.now());
    return 'sent';
  } catch (err) {
    const e = asNotifyError(deps, err);
    if (e.kind === 'rate_limited') deps.pacer?.backOff();
    deps.log?.warn(
      {
        outbox: { message: id, transport: deps.notifier.transport },
        err: { status: e.status, code: e.code },
      },
      'message not sent',
    );
    if (e.kind === 'refused' || opts.lastTry) {
      await markFailed(deps.db, id, reasonOf(e), deps.clock.now());
      return 'failed';
    }
    throw new TryAgainLater(e);
  }
}

export type SendCounts = Record<SendOutcome | 'retry', number>;

/**
 * Sends every message due by the clock, one after another, in this process: for tests and the
 * demonstration. The job queue (outbox-worker.ts) does the same work spread over instances.
 */
export async function sendDueMessages(deps: SenderDeps): Promise<SendCounts> {
  const counts: SendCounts = { sent: 0, skipped: 0, later: 0, failed: 0, done: 0, retry: 0 };
  for (;;) {
    const ids = await queueDueMessages(deps.db, deps.clock.now(), 500);
    if (!ids.length) return counts;
    for (const id of ids) {
      const outcome = await sendMessage(deps, id).catch((err: unknown) => {
        if (err instanceof TryAgainLater) return 'retry' as const;
        throw err;
      });
      counts[outcome]++;
    }
  }
}

/**
 * Sends a message at once to an address given now and not kept (a person who did not want a referral
 * asks for the service's details): the outbox row is its receipt. Never throws for the send itself.
 */
export async function sendNow(
  deps: SenderDeps,
  planned: Omit<PlannedMessage, 'dueAt'>,
  message: {
    to: string;
    template: Extract<Composed, { action: 'send' }>['template'];
    personalisation: Record<string, string>;
  },
): Promise<{ ok: boolean; id: string }> {
  const now = deps.clock.now();
  const id = await planMessage(deps.db, { ...planned, dueAt: now });
  await deps.db
    .updateTable('outbound_messages')
    .set({ status: 'sending', attempts: 1, status_at: now })
    .where('id', '=', id)
    .execute();
  try {
    await deps.pacer?.take();
    const sent = await deps.notifier.sendOne({ channel: planned.channel, ...message, reference: id });
    await markSent(deps.db, id, sent.id, deps.clock.now());
    return { ok: true, id };
  } catch (err) {
    await markFailed(deps.db, id, reasonOf(asNotifyError(deps, err)), deps.clock.now());
    return { ok: false, id };
  }
}
