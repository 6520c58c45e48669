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

/**
 * Mental health services whose own staff run quit attempts alongside therapy: the same list as
 * organisations/delivery-route.ts INTEGRATED_TYPES (delivery-route.test.ts checks they agree; the platform
 * imports no module).
 */
export const PRACTITIONER_ORGANISATION_TYPES: readonly string[] = [
  'talking_therapies',
  'community_mental_health_team',
];

/**
 * The name of a role as people are shown it. Staff who run quit attempts inside NHS Talking Therapies or
 * another mental health service are practitioners there, not stop smoking advisers: the same role, with
 * the same access, called what they are called at work.
 */
export function roleLabelOf(role: Role, organisationType: string | null | undefined): string {
  if (role === 'adviser' && PRACTITIONER_ORGANISATION_TYPES.includes(organisationType ?? '')) {
    return 'Practitioner';
  }
  return ROLE_LABELS[role];
}

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
