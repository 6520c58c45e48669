// The directory as FHIR: HealthcareService, Organization and Location, read and searched. Public, as the
// Open Referral UK API is: the same published entries, open data, nothing about any person.
import type { FastifyInstance } from 'fastify';
import { notFound } from '../../platform/errors.ts';
import type { DirectoryCache, DirectoryCopy } from '../directory/directory-cache.service.ts';
import type { RouteInteraction } from './capability-statement.ts';
import { healthcareServiceOf, locationOf, organizationOf, type PublicService } from './fhir-directory.ts';
import { sendResource } from './fhir-http.plugin.ts';
import { fhirValidationError } from './fhir-referral.service.ts';
import { FHIR_JSON, searchset, type Resource } from './fhir-resources.ts';
import { parseSearch } from './fhir-search.ts';

const publicRoute = (fhir: RouteInteraction) => ({ config: { access: 'public' as const, fhir } });

type Found = { resource: Resource; name: string; organisationId: string };

const KINDS: Record<string, (services: readonly PublicService[]) => Found[]> = {
  HealthcareService: (all) =>
    all.map((s) => ({ resource: healthcareServiceOf(s), name: s.name, organisationId: s.organisationId })),
  Organization: (all) =>
    [...new Map(all.map((s) => [s.organisationId, s])).values()].map((s) => ({
      resource: organizationOf(s),
      name: s.name,
      organisationId: s.organisationId,
    })),
  Location: (all) =>
    all.flatMap((s) =>
      s.locations.map((l) => ({
        resource: locationOf(s, l),
        name: l.name,
        organisationId: s.organisationId,
      })),
    ),
};

const referenceId = (v: string) => v.replace(/^Organization\//, '').toLowerCase();

/**
 * The FHIR resources of the directory as it stands now: made once per copy of the directory (the copy is
 * replaced when its stamp moves, so an edit shows at the next request) and shared by the requests that
 * read the same copy. Nothing on the way out changes a resource: searchset and sendResource only wrap it.
 */
function resourcesOf(directory: DirectoryCache) {
  const made = new WeakMap<DirectoryCopy, Map<string, Found[]>>();
  return async (type: string): Promise<Found[]> => {
    const copy = await directory.current();
    let byType = made.get(copy);
    if (!byType) made.set(copy, (byType = new Map()));
    let found = byType.get(type);
    if (!found) byType.set(type, (found = KINDS[type]!(copy.services)));
    return found;
  };
}

export function registerFhirDirectoryRoutes(
  fhir: FastifyInstance,
  { directory, base }: { directory: DirectoryCache; base: string },
) {
  const resources = resourcesOf(directory);
  for (const type of Object.keys(KINDS)) {
    const entries = () => resources(type);
    const byOrganisation = type !== 'Organization';
    const searchParams = {
      name: 'string' as const,
      ...(byOrganisation ? { organization: 'reference' as const } : {}),
    };
    fhir.get(
      `/${type}`,
      publicRoute({ type, interaction: 'search-type', searchParams }),
      async (request, reply) => {
        const search = parseSearch(request.query as Record<string, string>, {
          tokens: {},
          dates: [],
          strings: Object.keys(searchParams),
        });
        if ('errors' in search) throw fhirValidationError(search.errors);
        const name = search.strings.name?.toLowerCase();
        const organisation = search.strings.organization;
        const matches = (await entries()).filter(
          (e) =>
            (!name || e.name.toLowerCase().includes(name)) &&
            (!organisation || e.organisationId === referenceId(organisation)),
        );
        const { count, offset } = search.page;
        const page = matches.slice(offset, offset + count).map((e) => e.resource);
        const links = { base, path: `/${type}`, params: search.params };
        const bundle = searchset(page, matches.length, search.page, links, fhir.clock.now());
        return reply.type(`${FHIR_JSON}; charset=utf-8`).send(bundle);
      },
    );
    fhir.get(`/${type}/:id`, publicRoute({ type, interaction: 'read' }), async (request, reply) => {
      const id = (request.params as { id: string }).id.toLowerCase();
      const found = (await entries()).find((e) => e.resource.id === id);
      if (!found) throw notFound(`No published ${type} has this id`);
      return sendResource(reply, found.resource);
    });
  }
}
