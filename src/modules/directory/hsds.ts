import {
  AIDS_PUBLIC,
  DIRECTORY_AIDS,
  MODES,
  languageCode,
  SWAP_TO_STOP,
  type DirectoryAid,
  type Mode,
} from './directory.codes.ts';
import type { PublicService } from './directory.repository.ts';
import type { FoundService } from './directory.service.ts';
import { derivedId, withoutNulls } from './hsds-ids.ts';
import { placeSchedules, serviceSchedules } from './hsds-schedule.ts';
import { hsdsTaxonomyTerm, IN_TALKING_THERAPIES, TAILORED_SUPPORT, termByCode } from './hsds-taxonomy.ts';

// The directory as Open Referral UK / HSDS 3 objects: a fully nested service with its phones, contacts,
// schedules, service areas, languages, attributes and service_at_locations (each with its location).
// Pure: a service in, plain JSON out. Field names are HSDS's; what HSDS has no field for (how support is
// given, tailored support, Talking Therapies, medicines and vapes) is given as attributes with terms from
// Mortar's own taxonomy (hsds-taxonomy.ts). A value Mortar does not hold is left out, never null.

export const HSDS_VERSION = '3.0';
export { derivedId } from './hsds-ids.ts';
export { TAXONOMY } from './hsds-taxonomy.ts';

/** ONS linked-data URI for a GSS code, as HSDS service_area.uri. */
const gssUri = (code: string) => `http://statistics.data.gov.uk/id/statistical-geography/${code}`;

function addressOf(locationId: string, address: string, postcode: string) {
  const lines = address
    .split(/\r?\n|,/)
    .map((l) => l.trim())
    .filter(Boolean);
  // HSDS requires a city and a state or province: the last line of a longer address is its town, and
  // every service in the directory is in England.
  const city = lines.length > 1 ? lines[lines.length - 1]! : '';
  const street = lines.length > 1 ? lines.slice(0, -1) : lines;
  return {
    id: derivedId(locationId, 'address'),
    location_id: locationId,
    address_1: street[0] ?? '',
    address_2: street.length > 1 ? street.slice(1).join(', ') : null,
    city,
    state_province: 'England',
    postal_code: postcode,
    country: 'GB',
    address_type: 'physical',
  };
}

function attribute(serviceId: string, code: string, value: string | null = null) {
  const term = termByCode(code);
  if (!term) throw new RangeError(`no taxonomy term ${code}`);
  return {
    id: derivedId(serviceId, 'attribute', code),
    link_id: serviceId,
    link_type: 'service',
    link_entity: 'service',
    taxonomy_term_id: term.id,
    value,
    taxonomy_term: hsdsTaxonomyTerm(term),
  };
}

type Service = PublicService | FoundService;

/** The codes of the taxonomy terms a service carries, in the order its attributes list them. */
export function termCodesOf(s: Service): string[] {
  return [
    ...s.modes.filter((m): m is Mode => m in MODES).map((m) => `mode:${m}`),
    ...(s.tailoredSupport ? [TAILORED_SUPPORT] : []),
    ...(s.inTalkingTherapies ? [IN_TALKING_THERAPIES] : []),
    ...s.aids.filter((a): a is DirectoryAid => a in DIRECTORY_AIDS).map((a) => `aid:${a}`),
  ];
}

/** What HSDS has no field for, as attributes: how support is given, tailored support, Talking Therapies, aids. */
function attributesOf(s: Service) {
  return termCodesOf(s).map((code) => {
    if (code === TAILORED_SUPPORT) return attribute(s.id, code, s.tailoredSupportText);
    if (code.startsWith('aid:')) return attribute(s.id, code, AIDS_PUBLIC[code.slice(4) as DirectoryAid]);
    return attribute(s.id, code);
  });
}

/** A place where a service is given, as an HSDS location with its address and accessibility. */
export function hsdsLocation(s: Service, l: Service['locations'][number]) {
  return withoutNulls({
    id: l.id,
    location_type: 'physical',
    organization_id: s.organisationId,
    name: l.name,
    latitude: l.latitude,
    longitude: l.longitude,
    addresses: [addressOf(l.id, l.address, l.postcode)],
    accessibility: l.accessibility
      ? [{ id: derivedId(l.id, 'accessibility'), location_id: l.id, description: l.accessibility }]
      : [],
  });
}

export const serviceAtLocationId = (serviceId: string, locationId: string) =>
  derivedId(serviceId, 'at', locationId);

function serviceAtLocation(s: Service, l: Service['locations'][number]) {
  const id = serviceAtLocationId(s.id, l.id);
  return {
    id,
    service_id: s.id,
    location_id: l.id,
    schedules: placeSchedules(s.id, id, l.hours),
    location: hsdsLocation(s, l),
  };
}

/** The service's phone, contact, schedule, areas and languages, each with its derived id. */
function reachOf(s: Service) {
  const phones = s.phone
    ? [{ id: derivedId(s.id, 'phone'), service_id: s.id, number: s.phone, type: 'voice', languages: [] }]
    : [];
  return {
    phones,
    contacts:
      s.email || s.phone
        ? [
            {
              id: derivedId(s.id, 'contact'),
              service_id: s.id,
              name: s.name,
              email: s.email,
              phones: phones.map((p) => ({ ...p, id: derivedId(s.id, 'contact', 'phone') })),
            },
          ]
        : [],
    // The service's days, then each place's times (each names its service_at_location).
    schedules: [
      ...serviceSchedules(s.id, s.openingDays, s.openingTimes),
      ...s.locations.flatMap((l) => placeSchedules(s.id, serviceAtLocationId(s.id, l.id), l.hours)),
    ],
    service_areas: s.areas.map((a) => ({
      id: derivedId(s.id, 'area', a.code),
      service_id: s.id,
      name: a.name,
      extent_type: null,
      uri: gssUri(a.code),
    })),
    languages: s.languages.map((name) => ({
      id: derivedId(s.id, 'language', name.toLowerCase()),
      service_id: s.id,
      name,
      code: languageCode(name),
    })),
  };
}

/**
 * The organisation behind a service. In the directory each stop smoking service is its own organisation,
 * so the organisation is described by its service's description.
 */
export function hsdsOrganization(s: Service) {
  return withoutNulls({
    id: s.organisationId,
    name: s.name,
    description: s.description,
    email: s.email,
    website: s.website,
  });
}

export function toHsdsService(s: Service) {
  return withoutNulls({
    id: s.id,
    organization_id: s.organisationId,
    name: s.name,
    description: s.description,
    url: s.website,
    email: s.email,
    status: 'active',
    eligibility_description: s.eligibility,
    fees_description: 'Free',
    last_modified: s.updatedAt.toISOString(),
    organization: hsdsOrganization(s),
    ...reachOf(s),
    attributes: attributesOf(s),
    /** Mortar's own, for readers that do not use attributes: free vape starter kits from Swap to Stop. */
    free_vape_kits: s.aids.includes(SWAP_TO_STOP),
    service_at_locations: s.locations.map((l) => serviceAtLocation(s, l)),
    ...('distanceMiles' in s
      ? {
          distance_miles: s.distanceMiles === null ? null : Math.round(s.distanceMiles * 10) / 10,
          covers_postcode: s.isLocal,
        }
      : {}),
  });
}

/** One service at one of its places, fully nested: the service (without its other places) and the place. */
export function hsdsServiceAtLocation(s: Service, l: Service['locations'][number]) {
  const { service_at_locations: _all, ...service } = toHsdsService(s);
  return withoutNulls({ ...serviceAtLocation(s, l), service });
}

/** HSDS Page: the paging fields around `contents`. `page` counts from 1. */
export function hsdsPage<T>(contents: T[], total: number, page: number, perPage: number) {
  const totalPages = Math.max(1, Math.ceil(total / perPage));
  return {
    total_items: total,
    total_pages: totalPages,
    page_number: page,
    size: contents.length,
    first_page: page === 1,
    last_page: page >= totalPages,
    empty: contents.length === 0,
    contents,
  };
}
