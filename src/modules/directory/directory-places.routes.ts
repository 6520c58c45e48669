import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import type { PostcodeSource } from './geo.ts';
import { staffOf } from '../../platform/access.ts';
import { notFound } from '../../platform/errors.ts';
import { formErrors, mergeErrors, type FormErrors } from '../../platform/forms.ts';
import { setFlash } from '../../platform/flash.ts';
import * as repo from './directory.repository.ts';
import { LocationSchema } from './directory.schemas.ts';
import {
  addLocation,
  changeLocation,
  editableService,
  finderTables,
  removeLocation,
  type FinderTables,
} from './directory.service.ts';
import { locate } from './geo.ts';
import { EDITORS, kept, param, V, type Values } from './directory-admin.routes.ts';

// The places a service's directory entry lists: adding, changing and removing them. Who may edit is as
// for the entry (directory-admin.routes.ts).

/** The service and its entry: places belong to an entry, so one must have been saved first. */
async function withEntry(db: Database, request: FastifyRequest) {
  const service = await editableService(db, staffOf(request), param(request, 'orgId'));
  if (!service.service_id) throw notFound('Save the directory entry before you add places');
  return { service, serviceId: service.service_id };
}

export async function existingLocation(db: Database, request: FastifyRequest) {
  const { service, serviceId } = await withEntry(db, request);
  const location = await repo.findLocation(db, serviceId, param(request, 'locationId'));
  if (!location) throw notFound('Place not found');
  return { service, serviceId, location };
}

async function locationPage(
  reply: FastifyReply,
  service: { organisation_id: string; name: string },
  location: { id: string } | null,
  values: Values,
  errors?: FormErrors,
) {
  if (errors) reply.code(400);
  const base = `/directory/services/${service.organisation_id}`;
  return reply.page(V('location'), {
    title: location ? `Change a place for ${service.name}` : `Add a place for ${service.name}`,
    backHref: `${base}/edit`,
    service,
    location,
    action: location ? `${base}/locations/${location.id}/edit` : `${base}/locations`,
    values,
    errors,
  });
}

/** Validates a place and works out where it is: typed coordinates, or the middle of its postcode sector. */
async function parseLocation(body: unknown, tables: () => Promise<FinderTables>) {
  const parsed = LocationSchema.safeParse(body ?? {});
  if (!parsed.success) return { errors: formErrors(parsed.error) } as const;
  const l = parsed.data;
  if (l.latitude !== null && l.longitude !== null)
    return { data: { ...l, latitude: l.latitude, longitude: l.longitude } } as const;
  const found = locate(l.postcode, await tables());
  if (!found.ok) {
    return {
      errors: mergeErrors(
        undefined,
        'postcode',
        'We cannot find that postcode. Check it, or enter the latitude and longitude below',
      ),
    } as const;
  }
  return { data: { ...l, latitude: found.place.lat, longitude: found.place.long } } as const;
}

export const placesOf = (service: { organisation_id: string }) =>
  `/directory/services/${service.organisation_id}/edit#places`;

export function registerDirectoryPlaceRoutes(
  app: FastifyInstance,
  { db, postcodes }: { db: Database; postcodes: PostcodeSource },
) {
  const tables = finderTables(postcodes);
  const editors = { config: { access: EDITORS } };

  app.get('/directory/services/:orgId/locations/new', editors, async (request, reply) => {
    const { service } = await withEntry(db, request);
    return locationPage(reply, service, null, {});
  });

  app.post('/directory/services/:orgId/locations', editors, async (request, reply) => {
    const { service, serviceId } = await withEntry(db, request);
    const r = await parseLocation(request.body, tables);
    if (r.errors) return locationPage(reply, service, null, kept(request.body), r.errors);
    await addLocation(db, staffOf(request), serviceId, r.data, request.id);
    setFlash(reply, `${r.data.name} has been added`);
    return reply.redirect(placesOf(service), 303);
  });

  app.get('/directory/services/:orgId/locations/:locationId/edit', editors, async (request, reply) => {
    const { service, location } = await existingLocation(db, request);
    return locationPage(reply, service, location, {
      name: location.name,
      address: location.address,
      postcode: location.postcode,
      latitude: String(location.latitude),
      longitude: String(location.longitude),
      accessibility: location.accessibility ?? '',
    });
  });

  app.post('/directory/services/:orgId/locations/:locationId/edit', editors, async (request, reply) => {
    const { service, serviceId, location } = await existingLocation(db, request);
    const r = await parseLocation(request.body, tables);
    if (r.errors) return locationPage(reply, service, location, kept(request.body), r.errors);
    await changeLocation(db, staffOf(request), serviceId, location.id, r.data, request.id);
    setFlash(reply, `${r.data.name} has been changed`);
    return reply.redirect(placesOf(service), 303);
  });

  app.get('/directory/services/:orgId/locations/:locationId/remove', editors, async (request, reply) => {
    const { service, location } = await existingLocation(db, request);
    return reply.page(V('remove-location'), {
      title: `Remove ${location.name}`,
      backHref: placesOf(service),
      service,
      location,
    });
  });

  app.post('/directory/services/:orgId/locations/:locationId/remove', editors, async (request, reply) => {
    const { service, serviceId, location } = await existingLocation(db, request);
    await removeLocation(db, staffOf(request), serviceId, location.id, request.id);
    setFlash(reply, `${location.name} has been removed`);
    return reply.redirect(placesOf(service), 303);
  });
}
