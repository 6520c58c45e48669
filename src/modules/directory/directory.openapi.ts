// The open directory API's part of the API description (src/openapi.ts): Open Referral UK (HSDS 3.0)
// objects as hsds.ts builds them, described in zod. The description's test checks real answers against
// these schemas, so a change to hsds.ts must be described here too.
import { z } from 'zod';
import { jsonSchemaOf, jsonResponse, problemResponse, type ApiPart } from '../../platform/openapi.ts';
import { NEAR_MILES } from './directory.service.ts';
import { METRES_PER_MILE } from './geo.ts';
import { filterParameters, openReferralPaths } from './open-referral.openapi.ts';

const TAG = 'Directory';
const id = z.uuid();
// Values Mortar does not hold are left out (Open Referral UK refuses nulls), so each may be absent.
const text = z.string().optional();

const Phone = z.object({
  id,
  service_id: id,
  number: z.string(),
  type: z.literal('voice'),
  languages: z.array(z.string()),
});

const Attribute = z.object({
  id,
  link_id: id,
  link_type: z.literal('service'),
  link_entity: z.literal('service'),
  taxonomy_term_id: id,
  value: text,
  taxonomy_term: z.looseObject({
    id,
    code: z.string().meta({ examples: ['mode:phone'] }),
    name: z.string(),
    description: z.string(),
    taxonomy: z.string(),
  }),
});

const Location = z.object({
  id,
  location_type: z.literal('physical'),
  organization_id: id,
  name: z.string(),
  latitude: z.number().optional(),
  longitude: z.number().optional(),
  addresses: z.array(
    z.object({
      id,
      location_id: id,
      address_1: z.string(),
      address_2: text,
      city: text,
      state_province: z.string().meta({ examples: ['England'] }),
      postal_code: z.string(),
      country: z.literal('GB'),
      address_type: z.literal('physical'),
    }),
  ),
  accessibility: z.array(z.object({ id, location_id: id, description: z.string() })),
});

const Schedule = z
  .looseObject({
    id,
    service_id: id,
    service_at_location_id: id.optional(),
    freq: z.literal('WEEKLY'),
    byday: z.string(),
    opens_at: z
      .string()
      .optional()
      .meta({ examples: ['09:00'] }),
    closes_at: z
      .string()
      .optional()
      .meta({ examples: ['17:00'] }),
    valid_from: z.iso.date().optional(),
    valid_to: z.iso.date().optional(),
    notes: text,
    description: text,
  })
  .meta({
    description:
      "An Open Referral UK weekly schedule: the service's own days, or (with `service_at_location_id`) a place's opening times, in UK local time",
  });

export const HsdsServiceSchema = z.object({
  id,
  organization_id: id,
  name: z.string().meta({ examples: ['Leeds Stop Smoking Service'] }),
  description: z.string(),
  url: text,
  email: text,
  status: z.literal('active'),
  eligibility_description: text,
  fees_description: z.string(),
  last_modified: z.iso.datetime({ offset: true }),
  organization: z.looseObject({ id, name: z.string(), description: z.string() }),
  phones: z.array(Phone),
  contacts: z.array(z.object({ id, service_id: id, name: z.string(), email: text, phones: z.array(Phone) })),
  schedules: z.array(Schedule),
  service_areas: z.array(
    z.object({
      id,
      service_id: id,
      name: z.string(),
      extent_type: z.string().optional(),
      uri: z.url().meta({ description: "The local authority's ONS statistical geography" }),
    }),
  ),
  languages: z.array(z.object({ id, service_id: id, name: z.string(), code: text })),
  attributes: z.array(Attribute).meta({
    description:
      "What HSDS has no field for (how support is given, support tailored for anxiety or depression, working inside NHS Talking Therapies, medicines and vapes), as terms of Mortar's taxonomy `mortar-stop-smoking`",
  }),
  free_vape_kits: z.boolean().meta({ description: "Mortar's own: free vape starter kits from Swap to Stop" }),
  service_at_locations: z.array(
    z.object({ id, service_id: id, location_id: id, schedules: z.array(Schedule), location: Location }),
  ),
  distance_miles: z.number().nullable().optional().meta({
    description: 'With `postcode` only: miles from the place to the nearest of its locations',
  }),
  covers_postcode: z.boolean().optional().meta({
    description: "With `postcode` only: whether the place is in the service's own area",
  }),
});

export const HsdsPageSchema = z.object({
  total_items: z.int().min(0),
  total_pages: z.int().min(1),
  page_number: z.int().min(1),
  size: z.int().min(0),
  first_page: z.boolean(),
  last_page: z.boolean(),
  empty: z.boolean(),
  contents: z.array(HsdsServiceSchema),
});

export const DirectoryRootSchema = z.object({
  version: z.string().meta({ examples: ['3.0'] }),
  description: z.string(),
  publisher: z.object({ name: z.string() }),
  services_url: z.string(),
  profile: z.string().meta({ description: 'The Open Referral UK profile the API follows' }),
  openapi_url: z.string().meta({ description: 'Where this document is' }),
});

const open = { security: [], tags: [TAG] };
const badQuery = problemResponse('A query parameter is wrong; `invalid_params` lists each');
const whole = (name: string, description: string, minimum: number, maximum: number, fallback: number) => ({
  name,
  in: 'query',
  description,
  schema: { type: 'integer', minimum, maximum, default: fallback },
});

/** GET /api/directory/services */
const listServicesOperation = {
  ...open,
  operationId: 'listDirectoryServices',
  summary: 'Published services: by name, or those covering or near a place, nearest first',
  parameters: [
    {
      name: 'postcode',
      in: 'query',
      description:
        'A UK postcode (LS6 1AN), postcode sector (LS6 1) or district (LS6): services covering it or near it, nearest first',
      schema: { type: 'string', maxLength: 16 },
      example: 'LS6 1AN',
    },
    whole(
      'proximity',
      'How near, in metres (needs `postcode`)',
      1,
      200_000,
      Math.round(NEAR_MILES * METRES_PER_MILE),
    ),
    ...filterParameters,
    whole('page', 'Which page, from 1', 1, 10_000, 1),
    whole('per_page', 'How many services a page holds', 1, 100, 20),
    {
      name: 'format',
      in: 'query',
      description: '`ndjson` for every service kept, unpaged, one a line (bulk export, as HSDS 3.0 gives)',
      schema: { type: 'string', enum: ['json', 'ndjson'], default: 'json' },
    },
  ],
  responses: {
    '200': {
      description:
        'A page of services; with `format=ndjson` (or `Accept: application/x-ndjson`) every service kept, unpaged, one JSON object (an `HsdsService`) a line',
      content: {
        'application/json': { schema: { $ref: '#/components/schemas/HsdsServicePage' } },
        'application/x-ndjson': { schema: { $ref: '#/components/schemas/HsdsService' } },
      },
    },
    '400': badQuery,
  },
};

export function directoryApiPart(): ApiPart {
  const oruk = openReferralPaths(open);
  return {
    tags: [
      {
        name: TAG,
        description:
          'Stop smoking services in England as open data, in Open Referral UK (HSDS 3.0) form. No key needed; any web page may read it.',
      },
    ],
    schemas: {
      DirectoryRoot: jsonSchemaOf(DirectoryRootSchema, 'output'),
      HsdsService: jsonSchemaOf(HsdsServiceSchema, 'output'),
      HsdsServicePage: jsonSchemaOf(HsdsPageSchema, 'output'),
      ...oruk.schemas,
    },
    paths: {
      '/api/directory': {
        get: {
          ...open,
          operationId: 'getDirectoryRoot',
          summary: 'What this API is: the HSDS version it follows and where the services are',
          responses: {
            '200': jsonResponse('The API', 'DirectoryRoot'),
            '404': problemResponse('Not found'),
          },
        },
      },
      '/api/directory/services': { get: listServicesOperation },
      '/api/directory/services/{id}': {
        get: {
          ...open,
          operationId: 'getDirectoryService',
          summary: 'One published service, fully nested',
          parameters: [
            {
              name: 'id',
              in: 'path',
              required: true,
              description: "The service's id",
              schema: { type: 'string', format: 'uuid' },
            },
          ],
          responses: {
            '200': jsonResponse('The service', 'HsdsService'),
            '404': problemResponse('No published service has this id'),
          },
        },
      },
      ...oruk.paths,
    },
  };
}
