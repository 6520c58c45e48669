import { v5 as uuidV5 } from 'uuid';
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

// The directory as Open Referral UK / HSDS 3 objects: a fully nested service with its phones, contacts,
// schedules, service areas, languages, attributes and service_at_locations (each with its location).
// Pure: a service in, plain JSON out. Field names are HSDS's; what HSDS has no field for (how support is
// given, tailored support, Talking Therapies, medicines and vapes) is given as attributes with terms from
// Mortar's own taxonomy, TAXONOMY below.

export const HSDS_VERSION = '3.0';
export const TAXONOMY = 'mortar-stop-smoking';

/** ONS linked-data URI for a GSS code, as HSDS service_area.uri. */
const gssUri = (code: string) => `http://statistics.data.gov.uk/id/statistical-geography/${code}`;

/**
 * HSDS wants an id on every nested object. Mortar stores these as columns of the service, so their ids
 * are derived from the service's id and what they are: the same on every call, a name-based UUID v5.
 * The ids published since the directory began are the SHA-1 of the parts joined by NUL, with no separate
 * namespace; as a v5 UUID that is the first 16 bytes as the namespace and the rest as the name, so they
 * stay the same for anyone who has stored them. The first part is always a UUID or TAXONOMY, longer
 * than 16 bytes.
 */
export function derivedId(first: string, ...rest: string[]): string {
  const bytes = new TextEncoder().encode([first, ...rest].join('\u0000'));
  if (bytes.length < 16) throw new RangeError('derivedId needs at least 16 bytes of parts');
  return uuidV5(bytes.subarray(16), bytes.subarray(0, 16));
}

function addressOf(locationId: string, address: string, postcode: string) {
  const lines = address
    .split(/\r?\n|,/)
    .map((l) => l.trim())
    .filter(Boolean);
  const city = lines.length > 1 ? lines[lines.length - 1]! : null;
  const street = lines.length > 1 ? lines.slice(0, -1) : lines;
  return {
    id: derivedId(locationId, 'address'),
    location_id: locationId,
    address_1: street[0] ?? '',
    address_2: street.length > 1 ? street.slice(1).join(', ') : null,
    city,
    state_province: null,
    postal_code: postcode,
    country: 'GB',
    address_type: 'physical',
  };
}

function attribute(serviceId: string, code: string, name: string, value: string | null = null) {
  const termId = derivedId(TAXONOMY, code);
  return {
    id: derivedId(serviceId, 'attribute', code),
    link_id: serviceId,
    link_type: 'service',
    link_entity: 'service',
    taxonomy_term_id: termId,
    value,
    taxonomy_term: { id: termId, code, name, description: name, taxonomy: TAXONOMY },
  };
}

type Service = PublicService | FoundService;

/** What HSDS has no field for, as attributes: how support is given, tailored support, Talking Therapies, aids. */
function attributesOf(s: Service) {
  return [
    ...s.modes.filter((m): m is Mode => m in MODES).map((m) => attribute(s.id, `mode:${m}`, MODES[m])),
    ...(s.tailoredSupport
      ? [
          attribute(
            s.id,
            'tailored_support:anxiety_depression',
            'Support tailored for people with anxiety or depression',
            s.tailoredSupportText,
          ),
        ]
      : []),
    ...(s.inTalkingTherapies
      ? [attribute(s.id, 'works_in:nhs_talking_therapies', 'Works inside NHS Talking Therapies')]
      : []),
    ...s.aids
      .filter((a): a is DirectoryAid => a in DIRECTORY_AIDS)
      .map((a) => attribute(s.id, `aid:${a}`, DIRECTORY_AIDS[a], AIDS_PUBLIC[a])),
  ];
}

function serviceAtLocation(s: Service, l: Service['locations'][number]) {
  return {
    id: derivedId(s.id, 'at', l.id),
    service_id: s.id,
    location_id: l.id,
    location: {
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
    },
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
    schedules: s.openingTimes
      ? [{ id: derivedId(s.id, 'schedule'), service_id: s.id, description: s.openingTimes }]
      : [],
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

export function toHsdsService(s: Service) {
  return {
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
    organization: { id: s.organisationId, name: s.name },
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
  };
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
