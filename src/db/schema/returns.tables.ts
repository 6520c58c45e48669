import type { ColumnType, Generated } from 'kysely';
import type { DateOnly, Opt, Timestamp } from './columns.ts';

// Quarterly returns, their versions and events, publication, and the tables the counts are read from (joined in ../schema.ts).

export interface ReturnsTable {
  id: Generated<string>;
  /** The authority the return is for; null for an integrated-delivery return (migration 0026). */
  local_authority_code: string | null;
  /** The mental health service of an integrated-delivery return (returns/return-unit.ts); else null. */
  integrated_service_id: Opt<string | null>;
  financial_year: number;
  quarter: number;
  status: Opt<'draft' | 'signed_off' | 'approved' | 'submitted'>;
  source: Opt<'mortar' | 'import'>;
  current_version: Opt<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ReturnVersionsTable {
  id: Generated<string>;
  return_id: string;
  version: number;
  provisional: boolean;
  data: ColumnType<unknown, string, string>;
  validation: ColumnType<unknown, string | undefined, string>;
  exception_reasons: ColumnType<unknown, string | undefined, string>;
  generated_by: string | null;
  generated_at: Timestamp;
  /** What the version counted (return-members.ts); null for an imported version or one made before 0018. */
  counted: ColumnType<unknown, string | null | undefined, string | null>;
}

/** A quarter's published tables: only the figures as published (publication.ts), never the exact ones. */
export interface PublishedReturnsTable {
  id: Generated<string>;
  financial_year: number;
  quarter: number;
  returns: number;
  data: ColumnType<unknown, string, string>;
  published_by: string | null;
  published_at: Timestamp;
}

export interface ReturnEventsTable {
  id: Generated<number>;
  return_id: string;
  kind: 'generated' | 'imported' | 'signed_off' | 'approved' | 'submitted' | 'rejected' | 'reopened';
  version: number | null;
  message: string | null;
  actor_user_id: string | null;
  occurred_at: Timestamp;
}

/** Derived from episode_fact_source, kept current by triggers (migration 0011). Never written by code. */
export interface EpisodeFactsTable {
  /** The route of delivery of the holding service (migration 0022, organisations/delivery-route.ts). */
  delivery_route: Generated<'integrated' | 'specialist' | 'pharmacy'>;
  episode_id: string;
  local_authority_code: string;
  service_organisation_id: string;
  adviser_user_id: string | null;
  referral_id: string | null;
  referrer_organisation_id: string | null;
  quit_date: DateOnly;
  outcome: string | null;
  age: number | null;
  sex: string | null;
  gender_same_as_birth: string | null;
  ethnic_category: string | null;
  pregnant: string | null;
  free_prescriptions: string | null;
  ns_sec: string | null;
  sexual_orientation: string | null;
  intervention_type: string | null;
  setting: string | null;
  aids: string[];
  mental_health: string;
  in_talking_therapies: string;
  referral_kind: string | null;
  referral_received_on: DateOnly | null;
}

/** Derived from referral_fact_source, kept current by triggers (migration 0012). Never written by code. */
export interface ReferralFactsTable {
  referral_id: string;
  local_authority_code: string;
  service_organisation_id: string;
  referrer_organisation_id: string | null;
  received_on: DateOnly;
  referral_kind: string | null;
  first_contact_on: DateOnly | null;
}

/** Every authority's dashboard counts for a quarter, as of a day (migration 0013); see national-counts.cache.ts. */
export interface NationalCountsCacheTable {
  period_key: number;
  as_of: DateOnly;
  counts: unknown;
  computed_at: Generated<Timestamp>;
}

/** A mark that a quarter's counts changed since they were kept; added by triggers only. */
export interface NationalCountsStaleTable {
  id: Generated<number>;
  period_key: number;
  /** The authority the change touched (migration 0050); null: the whole quarter. */
  local_authority_code: string | null;
}
