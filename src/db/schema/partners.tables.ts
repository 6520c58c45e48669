import type { Generated } from 'kysely';
import type { DateOnly, Opt, Timestamp } from './columns.ts';

// Partner organisations, their contacts, staff training and smokefree policies (joined in ../schema.ts).

export interface PartnersTable {
  id: Generated<string>;
  local_authority_code: string;
  organisation_id: string | null;
  name: string;
  sector: string;
  kind: string | null;
  status: string;
  joined_on: DateOnly | null;
  notes: string | null;
  created_by: Opt<string | null>;
  updated_by: Opt<string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PartnerContactsTable {
  id: Generated<string>;
  partner_id: string;
  name: string;
  role: string | null;
  email: string | null;
  phone: string | null;
  is_primary: Opt<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TrainingRecordsTable {
  id: Generated<string>;
  partner_id: string;
  staff_name: string;
  staff_key: Opt<string | null>;
  /** The user the record is about, when Mortar's own module wrote it; typed-in records have none. */
  user_id: Opt<string | null>;
  staff_role: string | null;
  course: string;
  completed_on: DateOnly;
  renewal_due_on: DateOnly | null;
  recorded_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SmokefreePoliciesTable {
  partner_id: string;
  status: string;
  adopted_on: DateOnly | null;
  review_on: DateOnly | null;
  notes: string | null;
  updated_by: string | null;
  updated_at: Timestamp;
}
