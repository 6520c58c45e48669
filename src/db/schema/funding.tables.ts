import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from './columns.ts';

// Service costs and the national funding estimate's assumptions (migration 0029; joined in ../schema.ts).

/** bigint and numeric arrive as strings from the driver; numbers go in. */
type Numeric = ColumnType<string, number, number>;

export interface ServiceCostsTable {
  service_organisation_id: string;
  financial_year: number;
  contract_value_pence: ColumnType<string | null, number | null, number | null>;
  per_person_pence: number | null;
  per_quit_pence: number | null;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface FundingAssumptionsTable {
  name: string;
  value: Numeric;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface FundingAssumptionChangesTable {
  id: Generated<number>;
  name: string;
  before: ColumnType<string | null, number | null, number | null>;
  after: ColumnType<string | null, number | null, number | null>;
  actor_user_id: string | null;
  occurred_at: Timestamp;
}
