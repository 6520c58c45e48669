import type { Executor } from '../../db/database.ts';
import { ENGLAND_TODAY } from '../../db/england-date.sql.ts';
import type { Weekday } from '../treatment/scheduling.ts';
import type { OpeningPeriod } from './opening-hours.ts';

// SQL only: the opening times of the directory's places (migration 0044).

export type StoredPeriod = OpeningPeriod & { id: string; locationId: string };

/**
 * The periods of these places, by place, in week order. `current` leaves out periods that ended before
 * today in England: what the public and the open data see.
 */
export async function hoursOfLocations(
  db: Executor,
  locationIds: readonly string[],
  { current }: { current: boolean },
): Promise<Map<string, StoredPeriod[]>> {
  const byLocation = new Map<string, StoredPeriod[]>();
  if (locationIds.length === 0) return byLocation;
  const rows = await db
    .selectFrom('directory_opening_hours')
    .select(['id', 'location_id', 'weekday', 'opens_at', 'closes_at', 'valid_from', 'valid_to', 'notes'])
    .where('location_id', 'in', [...locationIds])
    .$if(current, (qb) =>
      qb.where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', ENGLAND_TODAY)])),
    )
    .orderBy('weekday')
    .orderBy('opens_at')
    .orderBy('valid_from')
    .orderBy('id')
    .execute();
  for (const r of rows) {
    const list = byLocation.get(r.location_id) ?? [];
    list.push({
      id: r.id,
      locationId: r.location_id,
      weekday: r.weekday as Weekday,
      opensAt: r.opens_at.slice(0, 5),
      closesAt: r.closes_at.slice(0, 5),
      validFrom: r.valid_from,
      validTo: r.valid_to,
      notes: r.notes,
    });
    byLocation.set(r.location_id, list);
  }
  return byLocation;
}

/** What the public sees of these places' times: periods not ended by today in England. */
export const currentHours = (db: Executor, places: readonly { id: string }[]) =>
  hoursOfLocations(
    db,
    places.map((p) => p.id),
    { current: true },
  );

/**
 * Replaces a place's periods. The place's row is locked first, so two managers saving at once take
 * turns and the overlap check each made still holds. False when the place is not the service's.
 */
export async function replaceHours(
  trx: Executor,
  serviceId: string,
  locationId: string,
  periods: readonly OpeningPeriod[],
  userId: string | null,
): Promise<boolean> {
  const place = await trx
    .selectFrom('directory_locations')
    .select('id')
    .where('id', '=', locationId)
    .where('service_id', '=', serviceId)
    .forUpdate()
    .executeTakeFirst();
  if (!place) return false;
  await trx.deleteFrom('directory_opening_hours').where('location_id', '=', locationId).execute();
  if (periods.length)
    await trx
      .insertInto('directory_opening_hours')
      .values(
        periods.map((p) => ({
          location_id: locationId,
          weekday: p.weekday,
          opens_at: p.opensAt,
          closes_at: p.closesAt,
          valid_from: p.validFrom,
          valid_to: p.validTo,
          notes: p.notes,
        })),
      )
      .execute();
  // A change to a place's times is a change to the entry: its last-modified time moves with it.
  const at = new Date();
  await trx
    .updateTable('directory_locations')
    .set({ updated_at: at, updated_by: userId })
    .where('id', '=', locationId)
    .execute();
  await trx
    .updateTable('directory_services')
    .set({ updated_at: at, updated_by: userId })
    .where('id', '=', serviceId)
    .execute();
  return true;
}
