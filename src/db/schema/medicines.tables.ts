import type { Generated } from 'kysely';
import type { DateOnly, Opt, Timestamp } from './columns.ts';

// Medicines affected by stopping smoking, a person's medicines and their alerts (joined in ../schema.ts).

export interface AffectedMedicinesTable {
  code: string;
  name: string;
  also_known_as: Opt<string[]>;
  concern: 'significant' | 'review';
  advice: string;
  advice_on_relapse: string;
  source: string;
  source_url: string | null;
  source_checked_on: DateOnly | null;
  reviewed_on: DateOnly | null;
  active: Opt<boolean>;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface EpisodeMedicinesTable {
  id: Generated<string>;
  episode_id: string;
  name: string;
  medicine_code: string | null;
  prescriber_kind: Opt<'gp' | 'psychiatrist' | 'other'>;
  prescriber_name: string | null;
  stopped_at: Opt<Date | null>;
  recorded_by: string | null;
  created_at: Timestamp;
  /** How the name was recognised when it was recorded (migration 0017); null before. */
  name_check: Opt<MedicineNameCheck | null>;
}

export type MedicineNameCheck = 'name' | 'brand' | 'near' | 'picked' | 'other' | 'as_typed';

export interface MedicineAlertsTable {
  id: Generated<string>;
  episode_id: string;
  episode_medicine_id: string | null;
  medicine_code: string;
  trigger: 'quit_date_set' | 'switched_to_nrt_or_vape' | 'relapse';
  direction: 'levels_may_rise' | 'levels_may_fall';
  raised_at: Timestamp;
  acknowledged_at: Opt<Date | null>;
  acknowledged_by: Opt<string | null>;
  letter_produced_at: Opt<Date | null>;
}
