import type { Generated } from 'kysely';
import type { Opt, Timestamp } from './columns.ts';

// Appointments for sessions and the service's opening days (migration 0030; joined in ../schema.ts).

export interface AppointmentsTable {
  id: Generated<string>;
  session_id: string;
  starts_at: Timestamp;
  mode: 'face_to_face' | 'phone' | 'video';
  site_id: string | null;
  adviser_user_id: string;
  status: Opt<'booked' | 'cancelled' | 'did_not_attend'>;
  reason: Opt<string | null>;
  next_step: Opt<'rebook' | 'contact' | 'close' | null>;
  booked_by: string | null;
  booked_at: Timestamp;
  ended_by: Opt<string | null>;
  ended_at: Opt<Date | null>;
}

export interface ServiceOpeningDaysTable {
  organisation_id: string;
  days: number[];
  updated_by: string | null;
  updated_at: Timestamp;
}
