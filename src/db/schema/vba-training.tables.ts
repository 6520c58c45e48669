import type { Generated } from 'kysely';
import type { DateOnly, Timestamp } from './columns.ts';

// The Very Brief Advice module (migration 0021; joined in ../schema.ts).

/** One attempt at the Very Brief Advice module's knowledge check (vba-training/vba-check.ts marks it). */
export interface VbaAttemptsTable {
  id: Generated<string>;
  user_id: string;
  organisation_id: string;
  taken_on: DateOnly;
  score: number;
  total: number;
  passed: boolean;
  answers: unknown;
  created_at: Timestamp;
}
