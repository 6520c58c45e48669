import type { Database } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import type { StaffUser } from '../../platform/roles.ts';
import { directoryEditScope } from '../../platform/scope.ts';
import { notFound } from '../../platform/errors.ts';
import type { LocationInput, ServiceEntryInput } from './directory.schemas.ts';
import * as repo from './directory.repository.ts';
import { sharedCentroids } from './centroid-data.ts';
import type { PublicLocation, PublicService } from './directory.repository.ts';
import { boundingBox, distanceMiles, type CentroidTable, type Place, type PostcodeSource } from './geo.ts';

/** Services with a place this close are shown as well as the one the person's authority commissions. */
export const NEAR_MILES = 25;

export type FinderTables = { centroids: CentroidTable; postcodes: PostcodeSource };

/** Where places are found: the shipped centroid table (read once per process) and the postcode lookup. */
export const finderTables = (postcodes: PostcodeSource) => async (): Promise<FinderTables> => ({
  centroids: await sharedCentroids(),
  postcodes,
});

export type FoundService = PublicService & {
  /** Miles from the place searched to the nearest of the service's places; null when it has none. */
  distanceMiles: number | null;
  nearestLocation: PublicLocation | null;
  /** The service is commissioned by the person's own local authority. */
  isLocal: boolean;
};

/** Annotates services with their distance from a place and whether they are the person's own. */
export function measure(
  services: readonly PublicService[],
  place: Pick<Place, 'lat' | 'long' | 'localAuthorityCode'> | null,
): FoundService[] {
  return services.map((s) => {
    let nearest: PublicLocation | null = null;
    let best = Infinity;
    if (place) {
      for (const l of s.locations) {
        const d = distanceMiles(place, { lat: l.latitude, long: l.longitude });
        if (d < best) {
          best = d;
          nearest = l;
        }
      }
    }
    const isLocal =
      place?.localAuthorityCode != null && s.areas.some((a) => a.code === place.localAuthorityCode);
    return { ...s, distanceMiles: nearest ? best : null, nearestLocation: nearest, isLocal };
  });
}

/** Nearest first; a service without a place after those with one; the person's own service first on a tie. */
export function byDistance(a: FoundService, b: FoundService): number {
  const da = a.distanceMiles ?? Infinity;
  const db = b.distanceMiles ?? Infinity;
  if (da !== db) return da - db;
  if (a.isLocal !== b.isLocal) return a.isLocal ? -1 : 1;
  return a.name.localeCompare(b.name, 'en-GB') || a.id.localeCompare(b.id);
}

/**
 * The published services that cover the place (commissioned by its authority) or have a place within
 * `radiusMiles` of it, nearest first, read from the database. The finder and the open data answer from
 * the copy in memory (directory-cache.service.ts); its tests check it against this.
 */
export async function servicesNear(
  db: Database,
  place: Place,
  radiusMiles = NEAR_MILES,
): Promise<FoundService[]> {
  const ids = await repo.candidateServiceIds(db, boundingBox(place, radiusMiles), place.localAuthorityCode);
  return withinReach(await repo.loadPublishedServices(db, ids), place, radiusMiles);
}

/**
 * Of these services, those commissioned by the place's authority or with a place within `radiusMiles`,
 * nearest first: servicesNear's rule, for the directory held in memory (directory-cache.service.ts).
 */
export function withinReach(
  services: readonly PublicService[],
  place: Place,
  radiusMiles: number,
): FoundService[] {
  return measure(services, place)
    .filter((s) => s.isLocal || (s.distanceMiles !== null && s.distanceMiles <= radiusMiles))
    .sort(byDistance);
}

/** Every published service, by name, fully loaded: for the open data's filters and its other records. */
export async function allPublishedServices(db: Database): Promise<PublicService[]> {
  return repo.loadPublishedServices(db, (await repo.pagePublishedServiceIds(db, null, 0)).ids);
}

// Editing ------------------------------------------------------------------------------------------------

/** The service an actor may edit, or 404: out of scope looks the same as not there. */
export async function editableService(db: Database, actor: StaffUser, organisationId: string) {
  const service = await repo.findEditableService(db, directoryEditScope(actor), organisationId);
  if (!service) throw notFound('Service not found');
  return service;
}

export async function saveEntry(
  db: Database,
  actor: StaffUser,
  organisationId: string,
  input: ServiceEntryInput,
  requestId?: string,
) {
  return db.transaction().execute(async (trx) => {
    const found = await repo.findEditableService(trx, directoryEditScope(actor), organisationId);
    if (!found) throw notFound('Service not found');
    const id = await repo.upsertServiceEntry(trx, organisationId, input, actor.id);
    await audit(
      trx,
      actor,
      {
        action: found.service_id ? 'update' : 'create',
        entityType: 'directory_service',
        entityId: id,
        detail: input.published ? 'published' : 'not published',
      },
      requestId,
    );
    return id;
  });
}

export async function addLocation(
  db: Database,
  actor: StaffUser,
  serviceId: string,
  input: LocationInput & { latitude: number; longitude: number },
  requestId?: string,
) {
  return db.transaction().execute(async (trx) => {
    const id = await repo.insertLocation(trx, serviceId, input, actor.id);
    await audit(trx, actor, { action: 'create', entityType: 'directory_location', entityId: id }, requestId);
    return id;
  });
}

export async function changeLocation(
  db: Database,
  actor: StaffUser,
  serviceId: string,
  locationId: string,
  input: LocationInput & { latitude: number; longitude: number },
  requestId?: string,
) {
  return db.transaction().execute(async (trx) => {
    if (!(await repo.updateLocation(trx, serviceId, locationId, input, actor.id)))
      throw notFound('Place not found');
    await audit(
      trx,
      actor,
      { action: 'update', entityType: 'directory_location', entityId: locationId },
      requestId,
    );
  });
}

export async function removeLocation(
  db: Database,
  actor: StaffUser,
  serviceId: string,
  locationId: string,
  requestId?: string,
) {
  return db.transaction().execute(async (trx) => {
    const removed = await repo.deleteLocation(trx, serviceId, locationId, actor.id);
    if (!removed) throw notFound('Place not found');
    await audit(
      trx,
      actor,
      { action: 'update', entityType: 'directory_location', entityId: locationId, detail: 'removed' },
      requestId,
    );
    return removed;
  });
}
