// Whose return an episode counts in (docs/domain.md, Route of delivery). Pure. Every episode that set a
// quit date counts in exactly one return:
// - delivered integrated with mental health care (its service is NHS Talking Therapies or another mental
//   health service): the integrated-delivery return of that service, never the authority's;
// - delivered by a stop smoking service or a pharmacy: the return of the authority counting-authority.ts
//   gives (the commissioner of the service on the quit date).
// A return is known by its unit key: an authority's code (as always) or `integrated:<service id>`. An
// authority's code never holds a colon, so the two kinds of key cannot meet.
import type { DeliveryRoute } from '../organisations/delivery-route.ts';

export type ReturnUnit =
  { kind: 'local_authority'; code: string } | { kind: 'integrated_service'; serviceOrganisationId: string };

export type Routed = {
  /** The authority counting-authority.ts gives (also where an integrated episode sits on a map). */
  localAuthorityCode: string | null;
  serviceOrganisationId: string;
  /** The route of the service holding the episode; absent is specialist (facts made before routes). */
  deliveryRoute?: DeliveryRoute;
};

const INTEGRATED_PREFIX = 'integrated:';

export const integratedUnitKey = (serviceOrganisationId: string): string =>
  `${INTEGRATED_PREFIX}${serviceOrganisationId}`;

/** The one return unit an episode counts in, or null when it has no authority and is not integrated. */
export function returnUnitOf(e: Routed): ReturnUnit | null {
  if (e.deliveryRoute === 'integrated') {
    return { kind: 'integrated_service', serviceOrganisationId: e.serviceOrganisationId };
  }
  return e.localAuthorityCode === null ? null : { kind: 'local_authority', code: e.localAuthorityCode };
}

export function unitKey(unit: ReturnUnit): string {
  return unit.kind === 'local_authority' ? unit.code : integratedUnitKey(unit.serviceOrganisationId);
}

/** The key of the return an episode counts in (what the return's window compares), or null. */
export function unitKeyOf(e: Routed): string | null {
  const unit = returnUnitOf(e);
  return unit === null ? null : unitKey(unit);
}

/** The unit a key names. */
export function unitOfKey(key: string): ReturnUnit {
  return key.startsWith(INTEGRATED_PREFIX)
    ? { kind: 'integrated_service', serviceOrganisationId: key.slice(INTEGRATED_PREFIX.length) }
    : { kind: 'local_authority', code: key };
}

const URL_PREFIX = 'integrated-';

/**
 * The key as a segment of a return's URL (/returns/<segment>/<year>/<quarter>): an authority's code, or
 * `integrated-<service id>` (a colon in a path reads as a scheme to anyone who makes the link relative).
 */
export const urlSegmentOfKey = (key: string): string =>
  key.startsWith(INTEGRATED_PREFIX) ? `${URL_PREFIX}${key.slice(INTEGRATED_PREFIX.length)}` : key;

/** The unit key a URL segment names (urlSegmentOfKey's inverse). */
export const keyOfUrlSegment = (segment: string): string =>
  segment.startsWith(URL_PREFIX) ? integratedUnitKey(segment.slice(URL_PREFIX.length)) : segment;

// The rule for moving between routes lives with the episode (treatment hands episodes over by it).
export { routeMoveDecision, type MoveDecision } from '../episodes/route-move.ts';
