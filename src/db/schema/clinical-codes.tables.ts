import type { Generated } from 'kysely';
import type { DateOnly, Timestamp } from './columns.ts';

// The clinical codes each step of someone's journey gave (migration 0039, platform/clinical-code-log.ts).

export interface ClinicalCodesTable {
  id: Generated<string>;
  step: string;
  advice_record_id: string | null;
  referral_id: string | null;
  episode_id: string | null;
  code: string;
  display: string;
  value_code: string | null;
  value_display: string | null;
  value_date: DateOnly | null;
  value_quantity: number | null;
  value_unit: string | null;
  occurred_on: DateOnly;
  position: number;
  created_at: Timestamp;
}
