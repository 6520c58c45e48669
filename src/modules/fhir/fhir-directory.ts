// The service directory as FHIR: each published stop smoking service as a HealthcareService, the
// organisation behind it as an Organization and each of its places as a Location. Pure. Made from the
// same copy of the published directory as the Open Referral UK API and the finder (directory-cache.service.ts),
// so they never disagree; like that API it is open data, with nothing about any person.
import { languageCode } from '../directory/directory.codes.ts';
import type { DirectoryCopy } from '../directory/directory-cache.service.ts';
import { DEFAULT_OPENING_DAYS } from '../treatment/scheduling.ts';
import { profileOf, type Resource } from './fhir-resources.ts';

/** A published directory entry, as the Open Referral UK API reads it. */
export type PublicService = DirectoryCopy['services'][number];
type Place = PublicService['locations'][number];

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const meta = (type: string, updated: Date) => ({
  lastUpdated: updated.toISOString(),
  profile: [profileOf(type)],
});

function telecomOf(s: PublicService) {
  const telecom = [
    ...(s.phone ? [{ system: 'phone', value: s.phone, use: 'work' }] : []),
    ...(s.email ? [{ system: 'email', value: s.email, use: 'work' }] : []),
    ...(s.website ? [{ system: 'url', value: s.website, use: 'work' }] : []),
  ];
  return telecom.length ? { telecom } : {};
}

const organisationRef = (s: PublicService) => ({
  reference: `Organization/${s.organisationId}`,
  display: s.name,
});

export function organizationOf(s: PublicService): Resource {
  return {
    resourceType: 'Organization',
    id: s.organisationId,
    meta: meta('Organization', s.updatedAt),
    active: true,
    type: [{ text: 'Stop smoking service' }],
    name: s.name,
    ...telecomOf(s),
  };
}

export function locationOf(s: PublicService, l: Place): Resource {
  return {
    resourceType: 'Location',
    id: l.id,
    meta: meta('Location', s.updatedAt),
    status: 'active',
    name: l.name,
    ...(l.accessibility ? { description: l.accessibility } : {}),
    mode: 'instance',
    address: { use: 'work', type: 'physical', text: l.address, postalCode: l.postcode, country: 'GB' },
    position: { latitude: l.latitude, longitude: l.longitude },
    managingOrganization: organisationRef(s),
  };
}

/** Languages as BCP 47 codes, as UK Core binds them; a language Mortar has no code for is left out. */
function communicationOf(s: PublicService) {
  const coded = s.languages.flatMap((name) => {
    const code = languageCode(name);
    return code ? [{ coding: [{ system: 'urn:ietf:bcp:47', code, display: name }] }] : [];
  });
  return coded.length ? { communication: coded } : {};
}

export function healthcareServiceOf(s: PublicService): Resource {
  const days = (s.openingDays ?? DEFAULT_OPENING_DAYS).filter((d) => d >= 1 && d <= 7);
  return {
    resourceType: 'HealthcareService',
    id: s.id,
    meta: meta('HealthcareService', s.updatedAt),
    active: true,
    providedBy: organisationRef(s),
    type: [{ text: 'Stop smoking service' }],
    ...(s.locations.length
      ? { location: s.locations.map((l) => ({ reference: `Location/${l.id}`, display: l.name })) }
      : {}),
    name: s.name,
    comment: s.description,
    ...telecomOf(s),
    ...(s.eligibility ? { eligibility: [{ comment: s.eligibility }] } : {}),
    ...communicationOf(s),
    referralMethod: [
      {
        text: s.onMortar
          ? 'Through Mortar (FHIR ServiceRequest, the referral API or its form)'
          : 'Contact the service',
      },
    ],
    ...(days.length
      ? { availableTime: [{ daysOfWeek: [...new Set(days)].sort().map((d) => DAYS[d - 1]!) }] }
      : {}),
    ...(s.openingTimes ? { availabilityExceptions: s.openingTimes } : {}),
  };
}
