import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from './columns.ts';

// The estimate of need, local strategies and their targets (joined in ../schema.ts).

export interface NeedParametersTable {
  id: Generated<string>;
  local_authority_code: string | null;
  cmhc_share: number | null;
  relative_rate: number | null;
  local_estimate: number | null;
  local_source: string | null;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface StrategiesTable {
  id: Generated<string>;
  local_authority_code: string;
  title: string;
  aims: string;
  start_year: number;
  start_quarter: number;
  end_year: number;
  end_quarter: number;
  created_by: string | null;
  created_at: Timestamp;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface StrategyTargetsTable {
  strategy_id: string;
  indicator_code: string;
  financial_year: number;
  quarter: number;
  /** numeric: read it cast to double precision (node-postgres gives numeric as a string). */
  target: ColumnType<string, number | string, number | string>;
}

export interface StrategyChangesTable {
  id: Generated<number>;
  strategy_id: string;
  actor_user_id: string | null;
  occurred_at: Timestamp;
  summary: string;
  before: ColumnType<unknown, string | null, string | null>;
  after: ColumnType<unknown, string | null, string | null>;
}

// The national trajectory to the 1.5 million goal (migration 0025).
export interface NationalMilestonesTable {
  financial_year: number;
  target: number;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface NationalMilestoneChangesTable {
  id: Generated<number>;
  financial_year: number;
  before: number | null;
  after: number | null;
  actor_user_id: string | null;
  occurred_at: Timestamp;
}

// Local indicators and their history (migration 0028).
export interface LocalIndicatorsTable {
  id: Generated<string>;
  local_authority_code: string;
  name: string;
  definition: string;
  numerator: string;
  denominator: string;
  /** numeric: read it cast to double precision (node-postgres gives numeric as a string). */
  target: ColumnType<string | null, number | null, number | null>;
  better: string;
  created_by: string | null;
  created_at: Timestamp;
  updated_by: string | null;
  updated_at: Timestamp;
  retired_by: string | null;
  retired_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface LocalIndicatorChangesTable {
  id: Generated<number>;
  local_indicator_id: string;
  actor_user_id: string | null;
  occurred_at: Timestamp;
  summary: string;
  before: ColumnType<unknown, string | null, string | null>;
  after: ColumnType<unknown, string | null, string | null>;
}
