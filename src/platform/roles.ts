import type { Role } from '../db/schema.ts';

export type { Role };

export const ROLES: readonly Role[] = [
  'referrer',
  'adviser',
  'service_manager',
  'commissioner',
  'national_analyst',
  'administrator',
  'national_administrator',
];

export const ROLE_LABELS: Record<Role, string> = {
  referrer: 'Referrer',
  adviser: 'Stop smoking adviser',
  service_manager: 'Service manager',
  commissioner: 'Commissioner',
  national_analyst: 'National analyst',
  administrator: 'Administrator',
  national_administrator: 'National administrator',
};

/** The signed-in member of staff, as every route and query sees them. */
export type StaffUser = {
  kind: 'user';
  id: string;
  email: string;
  name: string;
  role: Role;
  organisationId: string;
  organisationName: string;
  organisationType: string;
  localAuthorityCode: string | null;
};

/** A system calling the JSON API with its organisation's key. */
export type ApiClient = {
  kind: 'api';
  keyId: string;
  organisationId: string;
  organisationName: string;
  organisationType: string;
  localAuthorityCode: string | null;
};

export type Actor = StaffUser | ApiClient;
