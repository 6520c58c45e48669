import { randomBytes } from 'node:crypto';
import type { Database } from '../db/database.ts';
import { seal } from '../platform/secret-box.ts';
import { newWebhookSecret } from '../platform/webhook-signature.ts';

/**
 * One webhook endpoint, at Leeds City Council Public Health (whose administrator is a demonstration
 * account), so its page and its forms can be seen. Its address is a reserved example name that nothing
 * answers, and the council sends no referrals, so nothing is ever sent to it. Its secret was never shown
 * (sealed under a throwaway key): rotating it shows a working one.
 */
export async function loadDemoWebhooks(db: Database, organisationId: string, adminId: string): Promise<void> {
  await db
    .insertInto('webhook_endpoints')
    .values({
      organisation_id: organisationId,
      url: 'https://case-system.example.org/mortar-webhooks',
      description: 'Public health case system',
      events: ['accepted', 'declined', 'unable_to_contact', 'withdrawn'],
      secret_sealed: seal(newWebhookSecret(), randomBytes(32).toString('base64')),
      created_by: adminId,
    })
    .execute();
}
