import type { Generated } from 'kysely';
import type { Opt, Timestamp } from './columns.ts';
import type { Letter } from '../../platform/letter.ts';

// Letters sent by secure email (migration 0042; joined in ../schema.ts).

export type LetterDeliveryStatus = 'scheduled' | 'queued' | 'sending' | 'sent' | 'failed';

export interface LetterDeliveriesTable {
  id: Generated<string>;
  episode_id: string;
  medicine_alert_id: string | null;
  clinician_note_id: string | null;
  recipient_email: string;
  subject: string;
  content: Letter;
  requested_by: string | null;
  requested_at: Timestamp;
  status: Opt<LetterDeliveryStatus>;
  status_at: Timestamp;
  attempts: Opt<number>;
  message_id: Opt<string | null>;
  sent_at: Opt<Date | null>;
  reason: Opt<string | null>;
}
