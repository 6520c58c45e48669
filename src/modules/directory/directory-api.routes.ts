import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { loadPublishedServices, pagePublishedServiceIds } from './directory.repository.ts';
import { isUuid } from '../../platform/validation.ts';
import { allPublishedServices, finderTables, NEAR_MILES, servicesNear } from './directory.service.ts';
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
//       &page=1&per_page=20                          paging, from page 1; per_page up to 100
//   GET /api/directory/services/:id                  one service, fully nested
//   (organizations, locations, service_at_locations, taxonomies, taxonomy_terms: open-referral.routes.ts)
//
// Only simple GETs are offered, so browsers need no preflight: the one header is enough.

const MAX_PROXIMITY_METRES = 200_000;
export const UK_PROFILE_URL = 'https://openreferraluk.org/';

/** The services list's query parameters, and what is wrong with them. */
function servicesQuery(q: Query) {
  const bad: Invalid[] = [];
  const { page, perPage } = pagingQuery(q, bad);
  const filters = filterQuery(q, bad);
  const near = Math.round(NEAR_MILES * METRES_PER_MILE);
  const proximity = wholeNumber(q, 'proximity', 1, MAX_PROXIMITY_METRES, near, bad);
  const postcode = q.postcode;
  if (postcode !== undefined && typeof postcode !== 'string')
    bad.push({ name: 'postcode', reason: 'must be given once' });
  if (q.proximity !== undefined && (postcode === undefined || postcode === ''))
    bad.push({ name: 'proximity', reason: 'needs a postcode' });
  return { page, perPage, proximity, postcode, filters, bad };
}

export function registerDirectoryApi(
  app: FastifyInstance,
  { db, postcodes, config }: { db: Database; postcodes: PostcodeSource; config: Config },
) {
  const tables = finderTables(postcodes);
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

  app.get('/api/directory/services', { config: PUBLIC }, async (request: FastifyRequest, reply) => {
    openCors(reply);
    const { page, perPage, proximity, postcode, filters, bad } = servicesQuery(
      (request.query ?? {}) as Query,
    );
    if (bad.length) return badRequest(reply, bad);

    if (typeof postcode === 'string' && postcode !== '') {
      const found = locate(postcode, await tables());
      if (!found.ok) {
        const reason =
          found.reason === 'unknown'
            ? 'is not a postcode, sector or district we know'
            : 'must be a UK postcode (LS6 1AN), a postcode sector (LS6 1) or a postcode district (LS6)';
        return badRequest(reply, [{ name: 'postcode', reason }], `postcode ${reason}`);
      }
      const near = await servicesNear(db, found.place, proximity / METRES_PER_MILE);
      const all = near.filter((s) => matchesFilters(s, filters));
      return sendJson(
        reply,
        hsdsPage(pageOf(all, page, perPage).map(toHsdsService), all.length, page, perPage),
      );
    }
    if (hasFilters(filters)) {
      const all = (await allPublishedServices(db)).filter((s) => matchesFilters(s, filters));
      return sendJson(
        reply,
        hsdsPage(pageOf(all, page, perPage).map(toHsdsService), all.length, page, perPage),
      );
    }
    const { ids, total } = await pagePublishedServiceIds(db, perPage, (page - 1) * perPage);
    const services = await loadPublishedServices(db, ids);
    return sendJson(reply, hsdsPage(services.map(toHsdsService), total, page, perPage));
  });

  app.get('/api/directory/services/:id', { config: PUBLIC }, async (request, reply) => {
    openCors(reply);
    const id = (request.params as Record<string, string>).id ?? '';
    const [service] = isUuid(id) ? await loadPublishedServices(db, [id]) : [];
    if (!service) return notFound(reply, 'Service');
    return sendJson(reply, toHsdsService(service));
  });
}
