// The Open Referral UK records beside the services (open-referral.routes.ts), as OpenAPI paths. Their
// shapes are the Open Referral UK profile's, whose schemas (data/reference/open-referral) every answer
// is checked against in open-referral-conformance.db.test.ts; here each is described by its kind and
// links to the profile, so the document stays readable without them.
import { jsonResponse, problemResponse, type JsonSchema } from '../../platform/openapi.ts';

const PROFILE = 'https://github.com/OpenReferralUK/uk-profile';

const KINDS = [
  { path: 'organizations', schema: 'OrukOrganization', what: 'organisation', op: 'Organization' },
  { path: 'locations', schema: 'OrukLocation', what: 'place', op: 'Location' },
  {
    path: 'service_at_locations',
    schema: 'OrukServiceAtLocation',
    what: 'service at a place',
    op: 'ServiceAtLocation',
  },
  { path: 'taxonomies', schema: 'OrukTaxonomy', what: 'taxonomy', op: 'Taxonomy' },
  { path: 'taxonomy_terms', schema: 'OrukTaxonomyTerm', what: 'taxonomy term', op: 'TaxonomyTerm' },
] as const;

const record = (what: string): JsonSchema => ({
  type: 'object',
  description: `An Open Referral UK ${what}, as the profile defines it (${PROFILE}).`,
  required: ['id'],
  properties: { id: { type: 'string', description: 'Its id, stable across requests' } },
  additionalProperties: true,
});

const page = (component: string): JsonSchema => ({
  type: 'object',
  required: [
    'total_items',
    'total_pages',
    'page_number',
    'size',
    'first_page',
    'last_page',
    'empty',
    'contents',
  ],
  properties: {
    total_items: { type: 'integer', minimum: 0 },
    total_pages: { type: 'integer', minimum: 1 },
    page_number: { type: 'integer', minimum: 1 },
    size: { type: 'integer', minimum: 0 },
    first_page: { type: 'boolean' },
    last_page: { type: 'boolean' },
    empty: { type: 'boolean' },
    contents: { type: 'array', items: { $ref: `#/components/schemas/${component}` } },
  },
  additionalProperties: false,
});

const intParam = (name: string, description: string, maximum: number, fallback: number) => ({
  name,
  in: 'query',
  description,
  schema: { type: 'integer', minimum: 1, maximum, default: fallback },
});

/** `search` and the taxonomy filters, for services and services at places. */
export const filterParameters = [
  {
    name: 'search',
    in: 'query',
    description: 'Words that must all appear in the service (any case, accents ignored)',
    schema: { type: 'string', maxLength: 200 },
    example: 'vape',
  },
  {
    name: 'taxonomy_term_id',
    in: 'query',
    description: 'Only services with this taxonomy term',
    schema: { type: 'string' },
  },
  {
    name: 'taxonomy_id',
    in: 'query',
    description: 'Only services with a term of this taxonomy',
    schema: { type: 'string' },
  },
  {
    name: 'modified_after',
    in: 'query',
    description:
      'Only services whose record changed at or after this: a date and time with its offset, or a date (from the start of that day in England)',
    schema: { type: 'string' },
    example: '2026-04-01T09:00:00Z',
  },
  {
    name: 'day',
    in: 'query',
    description:
      "Only services open on this day (MO to SU, or the day's name): by a place's opening times, or with no time given the service's own days",
    schema: { type: 'string' },
    example: 'TH',
  },
  {
    name: 'start_time',
    in: 'query',
    description: 'Only services with a place open for some of the time after this (24-hour, UK time)',
    schema: { type: 'string', pattern: '^([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d)?$' },
    example: '17:00',
  },
  {
    name: 'end_time',
    in: 'query',
    description: 'Only services with a place open for some of the time before this (24-hour, UK time)',
    schema: { type: 'string', pattern: '^([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d)?$' },
    example: '19:00',
  },
  ...['minimum_age', 'maximum_age'].map((name) => ({
    name,
    in: 'query',
    description:
      'Accepted and checked, but excludes no service: Mortar holds no age limits (who may use a service is in `eligibility_description`)',
    schema: { type: 'number', minimum: 0, maximum: 150 },
  })),
];

export function openReferralPaths(open: Record<string, unknown>) {
  const schemas: Record<string, JsonSchema> = {};
  const paths: Record<string, Record<string, unknown>> = {};
  for (const k of KINDS) {
    schemas[k.schema] = record(k.what);
    schemas[`${k.schema}Page`] = page(k.schema);
    paths[`/api/directory/${k.path}`] = {
      get: {
        ...open,
        operationId: `list${k.op}s`,
        summary: `Every ${k.what} of the published services, paged`,
        parameters: [
          ...(k.path === 'service_at_locations' ? filterParameters : []),
          intParam('page', 'Which page, from 1', 10_000, 1),
          intParam('per_page', 'How many a page holds', 100, 20),
        ],
        responses: {
          '200': jsonResponse(`A page of records (${k.what})`, `${k.schema}Page`),
          '400': problemResponse('A query parameter is wrong; `invalid_params` lists each'),
        },
      },
    };
    paths[`/api/directory/${k.path}/{id}`] = {
      get: {
        ...open,
        operationId: `get${k.op}`,
        summary: `One ${k.what}`,
        parameters: [
          { name: 'id', in: 'path', required: true, description: 'Its id', schema: { type: 'string' } },
        ],
        responses: {
          '200': jsonResponse(`The ${k.what}`, k.schema),
          '404': problemResponse(`No ${k.what} has this id`),
        },
      },
    };
  }
  return { schemas, paths };
}
