import type { Generated } from 'kysely';
import type { DateOnly, Opt, Timestamp } from './columns.ts';

// PHQ-9 and GAD-7 measures and the item 9 safety task (joined in ../schema.ts).

export interface MoodMeasuresTable {
  id: Generated<string>;
  episode_id: string;
  session_id: string | null;
  instrument: 'phq9' | 'gad7';
  items: number[];
  total: number;
  taken_on: DateOnly;
  recorded_by: string | null;
  recorded_at: Timestamp;
}

export interface SafetyTasksTable {
  id: Generated<string>;
  episode_id: string;
  mood_measure_id: string | null;
  raised_at: Timestamp;
  raised_by: string | null;
  completed_at: Opt<Date | null>;
  completed_by: Opt<string | null>;
  action_taken: Opt<string | null>;
}
