import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { sendProblem } from '../../platform/errors.ts';
import { loadPublishedServices, pagePublishedServiceIds } from './directory.repository.ts';
import { isUuid } from '../../platform/validation.ts';
import { finderTables, NEAR_MILES, servicesNear } from './directory.service.ts';
import { locate, METRES_PER_MILE, type PostcodeSource } from './geo.ts';
import { HSDS_VERSION, hsdsPage, toHsdsService } from './hsds.ts';

// The directory as open data, following Open Referral UK (HSDS 3.0): no key, readable from any web page.
//
//   GET /api/directory                               what this API is (HSDS version)
//   GET /api/directory/services                      published services by name, paged
//   GET /api/directory/services?postcode=LS6+1AN     those covering or near a place, nearest first
//       &proximity=16000                             how near, in metres (default 25 miles)
//       &page=1&per_page=20                          paging, from page 1; per_page up to 100
//   GET /api/directory/services/:id                  one service, fully nested
//
// Only simple GETs are offered, so browsers need no preflight: the one header below is enough.

const PUBLIC = { access: 'public' } as const;
const DEFAULT_PER_PAGE = 20;
const MAX_PER_PAGE = 100;
const MAX_PAGE = 10_000;
const MAX_PROXIMITY_METRES = 200_000;

/** Open to every origin: the data is public and the routes take no credentials. */
function openCors(reply: FastifyReply) {
  reply.header('Access-Control-Allow-Origin', '*');
  reply.header('Cross-Origin-Resource-Policy', 'cross-origin');
  reply.header('Cache-Control', 'public, max-age=60');
}

type Invalid = { name: string; reason: string };

function wholeNumber(
  q: Record<string, unknown>,
  name: string,
  min: number,
  max: number,
  fallback: number,
  bad: Invalid[],
): number {
  const raw = q[name];
  if (raw === undefined || raw === '') return fallback;
  if (typeof raw !== 'string' || !/^\d{1,9}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    bad.push({ name, reason: `must be a whole number from ${min} to ${max}` });
    return fallback;
  }
  return Number(raw);
}

const badRequest = (reply: FastifyReply, detail: string, invalid: Invalid[]) =>
  sendProblem(reply, 400, 'Invalid query parameter', detail, { invalid_params: invalid });

/** The services list's query parameters, and what is wrong with them. */
function servicesQuery(q: Record<string, unknown>) {
  const bad: Invalid[] = [];
  const page = wholeNumber(q, 'page', 1, MAX_PAGE, 1, bad);
  const perPage = wholeNumber(q, 'per_page', 1, MAX_PER_PAGE, DEFAULT_PER_PAGE, bad);
  const proximity = wholeNumber(
    q,
    'proximity',
    1,
    MAX_PROXIMITY_METRES,
    Math.round(NEAR_MILES * METRES_PER_MILE),
    bad,
  );
  const postcode = q.postcode;
  if (postcode !== undefined && typeof postcode !== 'string')
    bad.push({ name: 'postcode', reason: 'must be given once' });
  if (q.proximity !== undefined && (postcode === undefined || postcode === ''))
    bad.push({ name: 'proximity', reason: 'needs a postcode' });
  return { page, perPage, proximity, postcode, bad };
}

export function registerDirectoryApi(
  app: FastifyInstance,
  { db, postcodes }: { db: Database; postcodes: PostcodeSource },
) {
  const tables = finderTables(postcodes);
  // HSDS asks for a root that says what the API is.
  app.get('/api/directory', { config: PUBLIC }, async (_request, reply) => {
    openCors(reply);
    return reply.type('application/json').send({
      version: HSDS_VERSION,
      description:
        'Stop smoking services in England: what they offer, where, and the areas they cover. Open data, no key needed.',
      publisher: { name: 'Mortar' },
      services_url: '/api/directory/services',
    });
  });

  app.get('/api/directory/services', { config: PUBLIC }, async (request: FastifyRequest, reply) => {
    openCors(reply);
    const { page, perPage, proximity, postcode, bad } = servicesQuery(
      (request.query ?? {}) as Record<string, unknown>,
    );
    if (bad.length) return badRequest(reply, bad.map((b) => `${b.name} ${b.reason}`).join('; '), bad);

    if (typeof postcode === 'string' && postcode !== '') {
      const found = locate(postcode, await tables());
      if (!found.ok) {
        const reason =
          found.reason === 'unknown'
            ? 'is not a postcode, sector or district we know'
            : 'must be a UK postcode (LS6 1AN), a postcode sector (LS6 1) or a postcode district (LS6)';
        return badRequest(reply, `postcode ${reason}`, [{ name: 'postcode', reason }]);
      }
      const all = await servicesNear(db, found.place, proximity / METRES_PER_MILE);
      const slice = all.slice((page - 1) * perPage, page * perPage);
      return reply
        .type('application/json')
        .send(hsdsPage(slice.map(toHsdsService), all.length, page, perPage));
    }

    const { ids, total } = await pagePublishedServiceIds(db, perPage, (page - 1) * perPage);
    const services = await loadPublishedServices(db, ids);
    return reply.type('application/json').send(hsdsPage(services.map(toHsdsService), total, page, perPage));
  });

  app.get('/api/directory/services/:id', { config: PUBLIC }, async (request, reply) => {
    openCors(reply);
    const id = (request.params as Record<string, string>).id ?? '';
    const [service] = isUuid(id) ? await loadPublishedServices(db, [id]) : [];
    if (!service) return sendProblem(reply, 404, 'Service not found', 'No published service has this id.');
    return reply.type('application/json').send(toHsdsService(service));
  });
}
