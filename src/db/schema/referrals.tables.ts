import type { ColumnType, Generated } from 'kysely';
import type { DateOnly, Timestamp } from './columns.ts';

// Very Brief Advice and referrals, with their events (joined in ../schema.ts).

export interface AdviceRecordsTable {
  id: Generated<string>;
  organisation_id: string;
  user_id: string | null;
  api_key_id: string | null;
  local_authority_code: string | null;
  smoking_status: string;
  vaping_status: string;
  advice_given: boolean;
  /**
   * 'asked_only': asked about smoking (someone who does not smoke), no advice or referral. 'signposted':
   * advice given, and the person given the details of a service that does not take referrals in Mortar
   * (migration 0027).
   */
  outcome: 'referred' | 'declined' | 'asked_only' | 'signposted';
  /** Where a signposted person was sent: a national service's code (Wales, Scotland)... */
  signposted_service: 'help_me_quit' | 'quit_your_way_scotland' | null;
  /** ...or their authority's service that does not use Mortar. */
  signposted_organisation_id: string | null;
  recorded_at: Timestamp;
}

export interface ReferralsTable {
  id: Generated<string>;
  reference: string;
  source: 'staff' | 'api' | 'self';
  advice_record_id: string | null;
  referrer_organisation_id: string | null;
  referrer_user_id: string | null;
  api_key_id: string | null;
  service_organisation_id: string;
  local_authority_code: string;
  given_name: string;
  family_name: string;
  date_of_birth: DateOnly;
  postcode: string;
  phone: string | null;
  email: string | null;
  contact_methods: string[];
  contact_times: string | null;
  nhs_number: string | null;
  smoking_status: string;
  vaping_status: string;
  mental_health: string;
  in_talking_therapies: string;
  consent_share_progress: boolean;
  person_id: ColumnType<string | null, string | null | undefined, string | null>;
  idempotency_key: ColumnType<string | null, string | null | undefined, string | null>;
  /** A hash of the API request the Idempotency-Key was first used with (migration 0019). */
  idempotency_fingerprint: ColumnType<string | null, string | null | undefined, string | null>;
  /** Self-referrals only: what the person would like help with (stop_smoking, switch_to_vaping, cut_down_first). */
  help_wanted: ColumnType<string | null, string | null | undefined, string | null>;
  /** Self-referrals only: the version of the consent wording the person agreed to. */
  contact_consent_version: ColumnType<string | null, string | null | undefined, string | null>;
  /** The campaign whose code the referral carried (referrals/campaign-attribution.ts decides whether it counts). */
  campaign_id: ColumnType<string | null, string | null | undefined, string | null>;
  language: string | null;
  access_needs: string | null;
  notes: string | null;
  created_at: Timestamp;
}

export interface ReferralEventsTable {
  id: Generated<number>;
  referral_id: string;
  kind: string;
  contact_outcome: string | null;
  reason: string | null;
  note: string | null;
  actor_user_id: string | null;
  occurred_at: Timestamp;
}

/** Each referral's current status, kept by triggers from its events (migration 0048): deriveStatus's rule. */
export interface ReferralCurrentStatusTable {
  referral_id: string;
  status: string;
}
