import type { Generated } from 'kysely';
import type { Timestamp } from './columns.ts';

// The audit trail and who may read it (joined in ../schema.ts).

export interface AuditEventsTable {
  id: Generated<number>;
  at: Timestamp;
  actor_user_id: string | null;
  actor_api_key_id: string | null;
  organisation_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  detail: string | null;
  request_id: string | null;
}

/** The view of which person's record an audited entity belongs to and who holds it (migration 0016). */
export interface AuditSubjectsView {
  entity_type: string;
  /** The entity's uuid; audit_events.entity_id holds it as text (audit_entity_uuid turns it back). */
  entity_id: string;
  organisation_id: string;
  person_id: string | null;
  referral_id: string | null;
  reference: string | null;
}

/** Which organisations may read each audit row, kept by a trigger on audit_events (migration 0016). */
export interface AuditReachTable {
  organisation_id: string;
  audit_event_id: number;
  at: Date;
  action: string;
  actor_user_id: string | null;
  actor_api_key_id: string | null;
  holds: boolean;
  acted: boolean;
}
