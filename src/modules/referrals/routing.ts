import type { PostcodeLookupResult } from '../../platform/postcode-lookup.ts';

export const ENGLAND = 'E92000001';

export type Route =
  | { ok: true; postcode: string; localAuthorityCode: string; serviceOrganisationId: string }
  | { ok: false; reason: 'unknown_postcode' | 'outside_england' | 'no_service'; message: string };

/**
 * Routes a referral to the stop smoking service that the person's local authority commissions.
 * Pure: the caller looks up the postcode and passes the commissions it knows.
 */
export function routeReferral(
  found: PostcodeLookupResult | null,
  serviceFor: (localAuthorityCode: string) => string | undefined,
): Route {
  if (!found) {
    return {
      ok: false,
      reason: 'unknown_postcode',
      message: 'We cannot find this postcode. Check it and enter it again',
    };
  }
  if (found.countryCode !== ENGLAND) {
    return {
      ok: false,
      reason: 'outside_england',
      message:
        'This postcode is outside England. Mortar only routes referrals to stop smoking services in England',
    };
  }
  const service = found.localAuthorityCode ? serviceFor(found.localAuthorityCode) : undefined;
  if (!found.localAuthorityCode || !service) {
    return {
      ok: false,
      reason: 'no_service',
      message:
        'No stop smoking service in Mortar covers this postcode yet. Give the person the national helpline: 0300 123 1044',
    };
  }
  return {
    ok: true,
    postcode: found.postcode,
    localAuthorityCode: found.localAuthorityCode,
    serviceOrganisationId: service,
  };
}
