import type { Generated } from 'kysely';
import type { DateOnly, Opt, Timestamp } from './columns.ts';

// The service directory and its places (joined in ../schema.ts).

export interface DirectoryServicesTable {
  id: Generated<string>;
  organisation_id: string;
  description: string;
  phone: string | null;
  email: string | null;
  website: string | null;
  opening_times: string | null;
  modes: Opt<string[]>;
  languages: Opt<string[]>;
  tailored_support: Opt<boolean>;
  tailored_support_text: string | null;
  in_talking_therapies: Opt<boolean>;
  aids: Opt<string[]>;
  eligibility: string | null;
  published: Opt<boolean>;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface DirectoryLocationsTable {
  id: Generated<string>;
  service_id: string;
  name: string;
  address: string;
  postcode: string;
  latitude: number;
  longitude: number;
  accessibility: string | null;
  updated_at: Timestamp;
  updated_by: string | null;
}

/** One period a place is open on one weekday (migration 0044); times are England's "HH:MM:SS". */
export interface DirectoryOpeningHoursTable {
  id: Generated<string>;
  location_id: string;
  weekday: number;
  opens_at: string;
  closes_at: string;
  valid_from: DateOnly | null;
  valid_to: DateOnly | null;
  notes: string | null;
}

/** One row: moved by triggers whenever anything the public directory shows changes (migration 0047). */
export interface DirectoryVersionTable {
  only_row: Generated<boolean>;
  version: number;
}
