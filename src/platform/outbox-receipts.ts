// Notify's delivery receipts: a message Mortar sent is delivered, or it failed. Notify's failure statuses
// are final: a permanent failure (the number or address does not exist), a temporary one (the phone was
// off or the inbox full for 72 hours) or a technical one (Notify's or a carrier's fault). Each makes the
// message failed once and lets its kind decide what follows (outbox-sender.ts markFailed).
import type { Database } from '../db/database.ts';
import { markFailed } from './outbox-sender.ts';

const FAILED: Record<string, string> = {
  'permanent-failure': 'not delivered: the number or address does not exist',
  'temporary-failure': 'not delivered: the phone or inbox could not take it',
  'technical-failure': 'not delivered: a technical failure',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type ReceiptOutcome = 'delivered' | 'failed' | 'unchanged' | 'unknown';

export async function recordReceipt(
  db: Database,
  receipt: { id: string; reference?: string | null | undefined; status: string },
  now: Date,
): Promise<ReceiptOutcome> {
  // Notify's id first; our reference (the message's id) for a receipt that overtook the recording of its id.
  const byNotifyId = await db
    .selectFrom('outbound_messages')
    .select(['id', 'status'])
    .where('notify_id', '=', receipt.id)
    .executeTakeFirst();
  const message =
    byNotifyId ??
    (receipt.reference && UUID.test(receipt.reference)
      ? await db
          .selectFrom('outbound_messages')
          .select(['id', 'status'])
          .where('id', '=', receipt.reference)
          .executeTakeFirst()
      : undefined);
  if (!message) return 'unknown';
  if (receipt.status === 'delivered') {
    const result = await db
      .updateTable('outbound_messages')
      .set({ status: 'delivered', status_at: now, notify_id: receipt.id })
      .where('id', '=', message.id)
      .where('status', 'in', ['sending', 'sent'])
      .executeTakeFirst();
    return Number(result.numUpdatedRows) ? 'delivered' : 'unchanged';
  }
  const reason = FAILED[receipt.status];
  if (!reason) return 'unchanged';
  return (await markFailed(db, message.id, reason, now)) ? 'failed' : 'unchanged';
}
