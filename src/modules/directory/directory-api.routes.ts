import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { isUuid } from '../../platform/validation.ts';
import { finderTables, NEAR_MILES } from './directory.service.ts';
import { directoryCacheOf } from './directory-cache.service.ts';
import { locate, METRES_PER_MILE, type PostcodeSource } from './geo.ts';
import { HSDS_VERSION, hsdsPage, toHsdsService } from './hsds.ts';
import { matchesFilters } from './hsds-filters.ts';
import { badRequest, notFound, openCors, PUBLIC, sendJson } from './directory-api-http.ts';
import {
  filterQuery,
  hasFilters,
  pageOf,
  pagingQuery,
  wholeNumber,
  type Invalid,
  type Query,
  type ServiceFilters,
} from './directory-api-query.ts';

// The directory as open data, following the Open Referral UK API (HSDS 3.0): no key, readable from any
// web page. The API's root is /api/directory; its paths are Open Referral UK's, so the paths published
// before (/api/directory/services...) are the same and keep working.
//
//   GET /api/directory                               what this API is: version, profile, openapi_url
//   GET /api/directory/services                      published services by name, paged
//       ?search=group+vape                           every word found in the service
//       &taxonomy_term_id=…  &taxonomy_id=…          carrying a term of Mortar's taxonomy
//       &postcode=LS6+1AN&proximity=16000            covering or near a place, nearest first (metres)
//       &modified_after=2026-04-01T09:00:00Z         changed since
//       &day=MO&start_time=17:00&end_time=19:00      open then (a place's times; a day alone, its days too)
//       &minimum_age=16&maximum_age=18               checked, and exclude none: Mortar holds no age limits
//       &format=ndjson (or Accept: application/x-ndjson)   every service kept, one a line, unpaged
//       &page=1&per_page=20                          paging, from page 1; per_page up to 100
//   GET /api/directory/services/:id                  one service, fully nested
//   (organizations, locations, service_at_locations, taxonomies, taxonomy_terms: open-referral.routes.ts)
//
// Only simple GETs are offered, so browsers need no preflight: the one header is enough.

const MAX_PROXIMITY_METRES = 200_000;
export const UK_PROFILE_URL = 'https://openreferraluk.org/';

export const NDJSON = 'application/x-ndjson';

/** The services list's query parameters, and what is wrong with them. */
function servicesQuery(q: Query, accept: string | undefined) {
  const bad: Invalid[] = [];
  const format = q.format ?? (accept?.split(';')[0]?.trim() === NDJSON ? 'ndjson' : 'json');
  if (format !== 'json' && format !== 'ndjson')
    bad.push({ name: 'format', reason: 'must be json or ndjson' });
  const { page, perPage } = pagingQuery(q, bad);
  const filters = filterQuery(q, bad);
  const near = Math.round(NEAR_MILES * METRES_PER_MILE);
  const proximity = wholeNumber(q, 'proximity', 1, MAX_PROXIMITY_METRES, near, bad);
  const postcode = q.postcode;
  if (postcode !== undefined && typeof postcode !== 'string')
    bad.push({ name: 'postcode', reason: 'must be given once' });
  if (q.proximity !== undefined && (postcode === undefined || postcode === ''))
    bad.push({ name: 'proximity', reason: 'needs a postcode' });
  return { page, perPage, proximity, postcode, filters, bad, ndjson: format === 'ndjson' };
}

export function registerDirectoryApi(
  app: FastifyInstance,
  { db, postcodes, config }: { db: Database; postcodes: PostcodeSource; config: Config },
) {
  const tables = finderTables(postcodes);
  const directory = directoryCacheOf(app, db);
  const root = async (_request: FastifyRequest, reply: FastifyReply) => {
    openCors(reply);
    return sendJson(reply, {
      version: HSDS_VERSION,
      profile: UK_PROFILE_URL,
      openapi_url: `${config.publicUrl}/api/openapi.json`,
      description:
        'Stop smoking services in England: what they offer, where, and the areas they cover. Open data, no key needed.',
      publisher: { name: 'Mortar' },
      services_url: `${config.publicUrl}/api/directory/services`,
    });
  };
  // Open Referral UK's root is "/" under the API's base; the server ignores a trailing slash.
  app.get('/api/directory', { config: PUBLIC }, root);

  /** Every service the query keeps, in its order: near a place first when a postcode is given. */
  async function matching(postcode: string, proximity: number, filters: ServiceFilters) {
    const today = app.clock.today();
    if (postcode === '')
      return (await directory.current()).services.filter((s) => matchesFilters(s, filters, today));
    const found = locate(postcode, await tables());
    if (!found.ok) return found.reason;
    const near = (await directory.current()).near(found.place, proximity / METRES_PER_MILE);
    return near.filter((s) => matchesFilters(s, filters, today));
  }

  app.get('/api/directory/services', { config: PUBLIC }, async (request: FastifyRequest, reply) => {
    openCors(reply);
    const q = servicesQuery((request.query ?? {}) as Query, request.headers.accept);
    if (q.bad.length) return badRequest(reply, q.bad);
    const postcode = typeof q.postcode === 'string' ? q.postcode : '';
    if (!q.ndjson && postcode === '' && !hasFilters(q.filters)) {
      const { services } = await directory.current();
      const page = pageOf(services, q.page, q.perPage).map(toHsdsService);
      return sendJson(reply, hsdsPage(page, services.length, q.page, q.perPage));
    }
    const all = await matching(postcode, q.proximity, q.filters);
    if (typeof all === 'string') {
      const reason =
        all === 'unknown'
          ? 'is not a postcode, sector or district we know'
          : 'must be a UK postcode (LS6 1AN), a postcode sector (LS6 1) or a postcode district (LS6)';
      return badRequest(reply, [{ name: 'postcode', reason }], `postcode ${reason}`);
    }
    // Bulk export (HSDS `format=ndjson`): every service kept, fully nested, one JSON object a line, unpaged.
    if (q.ndjson)
      return reply.type(NDJSON).send(all.map((s) => `${JSON.stringify(toHsdsService(s))}\n`).join(''));
    const page = pageOf(all, q.page, q.perPage).map(toHsdsService);
    return sendJson(reply, hsdsPage(page, all.length, q.page, q.perPage));
  });

  app.get('/api/directory/services/:id', { config: PUBLIC }, async (request, reply) => {
    openCors(reply);
    const id = (request.params as Record<string, string>).id ?? '';
    const service = isUuid(id) ? (await directory.current()).service(id) : undefined;
    if (!service) return notFound(reply, 'Service');
    return sendJson(reply, toHsdsService(service));
  });
}
