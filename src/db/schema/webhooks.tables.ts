import type { Generated } from 'kysely';
import type { Opt, Timestamp } from './columns.ts';

// Signed webhooks to referring systems (migration 0041; joined in ../schema.ts).

export type WebhookDisabledReason = 'administrator' | 'failing';
export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed' | 'cancelled';

export interface WebhookEndpointsTable {
  id: Generated<string>;
  organisation_id: string;
  url: string;
  description: string;
  events: string[];
  secret_sealed: string;
  previous_secret_sealed: Opt<string | null>;
  previous_secret_until: Opt<Date | null>;
  created_by: string | null;
  created_at: Timestamp;
  secret_rotated_at: Opt<Date | null>;
  last_success_at: Opt<Date | null>;
  disabled_at: Opt<Date | null>;
  disabled_reason: Opt<WebhookDisabledReason | null>;
}

export interface WebhookDeliveriesTable {
  id: Generated<string>;
  endpoint_id: string;
  referral_event_id: number;
  referral_id: string;
  event_type: string;
  referral_status: string;
  occurred_at: Timestamp;
  status: Opt<WebhookDeliveryStatus>;
  attempts: Opt<number>;
  first_attempt_at: Opt<Date | null>;
  next_attempt_at: Opt<Date | null>;
  last_attempt_at: Opt<Date | null>;
  last_status_code: Opt<number | null>;
  last_error: Opt<string | null>;
  job_id: Opt<string | null>;
  created_at: Timestamp;
}
