// When Mortar switches a failing webhook endpoint off, the organisation's administrators are emailed
// (through the outbox, so it is sent once, on the job queue), and the endpoint's page says so. The email
// names the endpoint and links to its page; it says nothing about any referral.
import type { Executor } from '../../db/database.ts';
import { planMessage, registerMessageKind, type Composed } from '../../platform/outbox.ts';
import * as repo from './webhook.repository.ts';

export const WEBHOOK_DISABLED = 'webhook_disabled';

export async function planDisabledNotices(trx: Executor, endpointId: string, at: Date): Promise<void> {
  for (const admin of await repo.administratorsOfEndpoint(trx, endpointId))
    await planMessage(trx, {
      kind: WEBHOOK_DISABLED,
      channel: 'email',
      dueAt: at,
      recipientUserId: admin.id,
      facts: { endpoint: endpointId },
    });
}

export async function composeDisabledNotice(
  db: Executor,
  message: { recipient_user_id: string | null; facts: Record<string, unknown> },
  publicUrl: string,
): Promise<Composed> {
  const endpointId = message.facts.endpoint;
  if (typeof endpointId !== 'string' || !message.recipient_user_id)
    return { action: 'skip', reason: 'not a webhook notice' };
  const row = await repo.noticeFacts(db, endpointId, message.recipient_user_id);
  if (!row) return { action: 'skip', reason: 'endpoint removed' };
  if (!row.disabled_at) return { action: 'skip', reason: 'endpoint switched back on' };
  if (!row.email) return { action: 'skip', reason: 'no longer an administrator there' };
  return {
    action: 'send',
    to: row.email,
    template: 'webhook_disabled',
    personalisation: {
      organisation_name: row.name,
      endpoint_name: row.description,
      link: `${publicUrl}/admin/organisations/${row.organisation_id}/webhooks/${row.id}`,
    },
  };
}

registerMessageKind({
  kind: WEBHOOK_DISABLED,
  compose: (trx, message, ctx) => composeDisabledNotice(trx, message, ctx.publicUrl),
});
