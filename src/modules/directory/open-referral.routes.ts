import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { directoryCacheOf } from './directory-cache.service.ts';
import type { PublicService } from './directory.repository.ts';
import { badRequest, notFound, openCors, PUBLIC, sendJson } from './directory-api-http.ts';
import { filterQuery, pageOf, pagingQuery, type Invalid, type Query } from './directory-api-query.ts';
import {
  hsdsLocation,
  hsdsOrganization,
  hsdsPage,
  hsdsServiceAtLocation,
  serviceAtLocationId,
  toHsdsService,
} from './hsds.ts';
import { matchesFilters, openThen } from './hsds-filters.ts';
import { hsdsTaxonomy, hsdsTaxonomyTerm, TERMS } from './hsds-taxonomy.ts';

// The rest of the Open Referral UK API under /api/directory, beside the services (directory-api.routes.ts):
//
//   GET /organizations, /organizations/:id                 the organisations behind published services
//   GET /locations, /locations/:id                         their places
//   GET /service_at_locations, /service_at_locations/:id   each service at each of its places
//       (?search, ?taxonomy_term_id, ?taxonomy_id, ?modified_after as for services; ?day, ?start_time and
//       ?end_time by the place's own times)
//   GET /taxonomies, /taxonomies/:id                       Mortar's taxonomy of support
//   GET /taxonomy_terms, /taxonomy_terms/:id               its terms
//
// Every list is paged (page from 1, per_page up to 100). The directory holds one entry per stop smoking
// service, so each list is built from the published services whole and paged here.

const BASE = '/api/directory';

type Entry<T> = { id: string; body: () => T };

/** A list route and its one-record route over the same entries. */
function records<T>(
  app: FastifyInstance,
  path: string,
  what: string,
  entries: (filters: ReturnType<typeof filterQuery>) => Promise<Entry<T>[]>,
  withFilters = false,
) {
  app.get(`${BASE}/${path}`, { config: PUBLIC }, async (request: FastifyRequest, reply: FastifyReply) => {
    openCors(reply);
    const q = (request.query ?? {}) as Query;
    const bad: Invalid[] = [];
    const { page, perPage } = pagingQuery(q, bad);
    const filters = withFilters ? filterQuery(q, bad) : {};
    if (bad.length) return badRequest(reply, bad);
    const all = await entries(filters);
    const contents = pageOf(all, page, perPage).map((e) => e.body());
    return sendJson(reply, hsdsPage(contents, all.length, page, perPage));
  });
  app.get(`${BASE}/${path}/:id`, { config: PUBLIC }, async (request, reply) => {
    openCors(reply);
    const id = ((request.params as Record<string, string>).id ?? '').toLowerCase();
    const found = (await entries({})).find((e) => e.id === id);
    if (!found) return notFound(reply, what);
    return sendJson(reply, found.body());
  });
}

const placesOf = (services: readonly PublicService[]) =>
  services.flatMap((s) => s.locations.map((l) => ({ s, l })));

export function registerOpenReferralRoutes(app: FastifyInstance, { db }: { db: Database }) {
  const directory = directoryCacheOf(app, db);
  const published = async () => (await directory.current()).services;

  records(app, 'organizations', 'Organization', async () =>
    (await published()).map((s) => ({
      id: s.organisationId,
      body: () => ({ ...hsdsOrganization(s), services: [toHsdsService(s)] }),
    })),
  );
  records(app, 'locations', 'Location', async () =>
    placesOf(await published()).map(({ s, l }) => ({ id: l.id, body: () => hsdsLocation(s, l) })),
  );
  records(
    app,
    'service_at_locations',
    'Service at location',
    async (filters) => {
      const today = app.clock.today();
      // The service's filters, then the time asked of each place by its own times.
      return placesOf((await published()).filter((s) => matchesFilters(s, filters, today, { when: false })))
        .filter(({ s, l }) => openThen(s, filters, today, l.hours))
        .map(({ s, l }) => ({
          id: serviceAtLocationId(s.id, l.id),
          body: () => hsdsServiceAtLocation(s, l),
        }));
    },
    true,
  );
  records(app, 'taxonomies', 'Taxonomy', async () => {
    const taxonomy = hsdsTaxonomy();
    return [{ id: taxonomy.id, body: () => taxonomy }];
  });
  records(app, 'taxonomy_terms', 'Taxonomy term', async () =>
    TERMS.map((t) => ({ id: t.id, body: () => hsdsTaxonomyTerm(t) })),
  );
}
