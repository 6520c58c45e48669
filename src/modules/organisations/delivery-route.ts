// The route by which a treatment episode is delivered (docs/domain.md, Route of delivery). Pure. The route
// is the type of the organisation that holds the episode: a practitioner inside NHS Talking Therapies (or
// another mental health service) delivers it integrated with therapy; a stop smoking service delivers it
// as a specialist service; a pharmacy as a pharmacy. The SQL function delivery_route (migration 0022) is
// the same rule, and delivery-route.db.test.ts checks they agree for every organisation type.
import { ORGANISATION_TYPES, type OrganisationType } from './organisation.codes.ts';

export const DELIVERY_ROUTES = {
  integrated: 'Integrated with mental health care',
  specialist: 'Stop smoking service',
  pharmacy: 'Pharmacy',
} as const;
export type DeliveryRoute = keyof typeof DELIVERY_ROUTES;

/** Mental health services whose own trained practitioners may run treatment episodes alongside therapy. */
export const INTEGRATED_TYPES: readonly OrganisationType[] = [
  'talking_therapies',
  'community_mental_health_team',
];

/** The types of organisation that may run treatment episodes, and so hold advisers and service managers. */
export const DELIVERING_TYPES: readonly OrganisationType[] = [
  'stop_smoking_service',
  'pharmacy',
  ...INTEGRATED_TYPES,
];

export const isDeliveringType = (type: string): boolean =>
  (DELIVERING_TYPES as readonly string[]).includes(type);

/** The route of an episode held by an organisation of this type. Anything else counts as specialist. */
export function deliveryRouteOf(organisationType: string): DeliveryRoute {
  if ((INTEGRATED_TYPES as readonly string[]).includes(organisationType)) return 'integrated';
  if (organisationType === 'pharmacy') return 'pharmacy';
  return 'specialist';
}

export const ALL_ORGANISATION_TYPES = Object.keys(ORGANISATION_TYPES) as OrganisationType[];
