import type { Generated } from 'kysely';
import type { Opt, Timestamp } from './columns.ts';

// Messages to people and referrers, sent on the job queue (migration 0033; joined in ../schema.ts).

export type MessageChannel = 'sms' | 'email';
export type MessageStatus =
  'scheduled' | 'queued' | 'sending' | 'sent' | 'delivered' | 'failed' | 'cancelled' | 'skipped';

export interface MessagePreferencesTable {
  person_id: string;
  consent: boolean;
  channel: MessageChannel | null;
  /** Hours of the day in England between which messages may be sent. */
  earliest_hour: Opt<number>;
  latest_hour: Opt<number>;
  stopped_at: Opt<Date | null>;
  stopped_how: Opt<'reply' | 'link' | 'adviser' | null>;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface OutboundMessagesTable {
  id: Generated<string>;
  kind: string;
  channel: MessageChannel;
  person_id: Opt<string | null>;
  episode_id: Opt<string | null>;
  appointment_id: Opt<string | null>;
  referral_id: Opt<string | null>;
  recipient_user_id: Opt<string | null>;
  recipient_organisation_id: Opt<string | null>;
  /** Facts that are not personal (a week number, an event), for composing the message. */
  facts: Opt<Record<string, string | number | boolean>>;
  due_at: Timestamp;
  status: Opt<MessageStatus>;
  notify_id: Opt<string | null>;
  reason: Opt<string | null>;
  attempts: Opt<number>;
  fallback_of: Opt<string | null>;
  created_at: Timestamp;
  status_at: Timestamp;
}

export interface MessageLinksTable {
  token_hash: string;
  message_id: string;
  expires_at: Timestamp;
  used_at: Opt<Date | null>;
}

export type MessageTaskKind = 'call_me' | 'smoked' | 'smokefree' | 'not_delivered';

export interface MessageTasksTable {
  id: Generated<string>;
  episode_id: string;
  message_id: string | null;
  kind: MessageTaskKind;
  raised_at: Timestamp;
  done_at: Opt<Date | null>;
  done_by: Opt<string | null>;
  note: Opt<string | null>;
}
