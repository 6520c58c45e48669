import type { Generated } from 'kysely';
import type { DateOnly, Opt, Timestamp } from './columns.ts';

// People and their treatment episodes: assessment, sessions, aids, outcomes and notes to clinicians (joined in ../schema.ts).

export interface PeopleTable {
  id: Generated<string>;
  service_organisation_id: string;
  local_authority_code: string | null;
  given_name: string;
  family_name: string;
  date_of_birth: DateOnly;
  postcode: string;
  phone: string | null;
  email: string | null;
  nhs_number: string | null;
  created_at: Timestamp;
}

export interface EpisodesTable {
  id: Generated<string>;
  person_id: string;
  service_organisation_id: string;
  local_authority_code: string | null;
  referral_id: string | null;
  adviser_user_id: string | null;
  started_on: Opt<string>;
  quit_date: Opt<string | null>;
  intervention_type: Opt<string | null>;
  setting: Opt<string | null>;
  mental_health: Opt<string>;
  mental_health_basis: Opt<string>;
  in_talking_therapies: Opt<string>;
  consent_share_with_clinician: Opt<boolean>;
  clinician_name: Opt<string | null>;
  clinician_organisation: Opt<string | null>;
  clinician_contact: Opt<string | null>;
  closed_at: Opt<Date | null>;
  closed_reason: Opt<string | null>;
  sex: Opt<string | null>;
  gender_same_as_birth: Opt<string | null>;
  ethnic_category: Opt<string | null>;
  pregnant: Opt<string | null>;
  free_prescriptions: Opt<string | null>;
  ns_sec: Opt<string | null>;
  sexual_orientation: Opt<string | null>;
  created_at: Timestamp;
}

/** A quit attempt handed between routes of delivery (migration 0026, treatment/handover.service.ts). */
export interface EpisodeHandoversTable {
  id: Generated<string>;
  episode_id: string;
  from_service_organisation_id: string;
  to_service_organisation_id: string;
  handed_over_by: string;
  handed_over_on: DateOnly;
  created_at: Timestamp;
}

/** A new quit attempt started after a relapse, linked to the finished one (migration 0032). */
export interface EpisodeRelapsesTable {
  episode_id: string;
  previous_episode_id: string;
  relapsed_on: DateOnly;
  what_happened: string;
  prevention_plan: string;
  recorded_by: string | null;
  recorded_at: Timestamp;
}

export interface EpisodeAssessmentsTable {
  episode_id: string;
  assessed_on: DateOnly;
  cigarettes_per_day: number | null;
  time_to_first_cigarette: string | null;
  heaviness_index: number | null;
  past_quit_attempts: number | null;
  what_helped: string | null;
  co_ppm: number | null;
  vaping_status: string | null;
  beliefs: string | null;
  goals: string | null;
  preferences: string | null;
  recorded_by: string | null;
  recorded_at: Timestamp;
}

export interface EpisodeSessionsTable {
  id: Generated<string>;
  episode_id: string;
  kind: string;
  scheduled_on: DateOnly;
  mode: Opt<string | null>;
  attended: Opt<boolean | null>;
  held_on: Opt<string | null>;
  co_ppm: Opt<number | null>;
  smoked_since_last: Opt<boolean | null>;
  smoked_days_15_to_28: Opt<boolean | null>;
  cravings: Opt<number | null>;
  withdrawal: Opt<string | null>;
  notes: Opt<string | null>;
  recorded_by: Opt<string | null>;
  recorded_at: Opt<Date | null>;
  created_at: Timestamp;
}

export interface EpisodeAidsTable {
  id: Generated<string>;
  episode_id: string;
  aid: string;
  supplied_on: DateOnly;
  supply: string | null;
  /** Migration 0030. */
  supply_days: Opt<number | null>;
  session_id: string | null;
  recorded_by: string | null;
  created_at: Timestamp;
}

export interface EpisodeOutcomesTable {
  episode_id: string;
  outcome: 'quit_co_verified' | 'quit_self_reported' | 'not_quit' | 'lost_to_follow_up';
  follow_up_on: DateOnly | null;
  smoked_days_15_to_28: boolean | null;
  co_ppm: number | null;
  reason: string;
  session_id: string | null;
  recorded_by: string | null;
  recorded_at: Timestamp;
}

export interface EpisodeLocalOutcomesTable {
  id: Generated<string>;
  episode_id: string;
  weeks: 12 | 52;
  contact_on: DateOnly;
  abstinent: boolean;
  co_ppm: number | null;
  recorded_by: string | null;
  recorded_at: Timestamp;
}

export interface ClinicianNotesTable {
  id: Generated<string>;
  episode_id: string;
  recipient: string;
  body: string;
  created_by: string | null;
  created_at: Timestamp;
}

/** The episodes still open (not closed, no four-week outcome), kept by triggers (migration 0052). */
export interface OpenEpisodesTable {
  episode_id: string;
  service_organisation_id: string;
}
