import type { Database } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import { notFound } from '../../platform/errors.ts';
import type { StaffUser } from '../../platform/roles.ts';
import type { OpeningPeriod } from './opening-hours.ts';
import { hoursOfLocations, replaceHours } from './opening-hours.repository.ts';

// A place's opening times: read for its form, and replaced whole when its form is saved.

/** Every period of the place, ended ones included, so its manager sees and can remove them. */
export async function placeHours(db: Database, locationId: string): Promise<OpeningPeriod[]> {
  return (await hoursOfLocations(db, [locationId], { current: false })).get(locationId) ?? [];
}

export async function saveHours(
  db: Database,
  actor: StaffUser,
  serviceId: string,
  locationId: string,
  periods: readonly OpeningPeriod[],
  requestId?: string,
) {
  await db.transaction().execute(async (trx) => {
    if (!(await replaceHours(trx, serviceId, locationId, periods, actor.id)))
      throw notFound('Place not found');
    await audit(
      trx,
      actor,
      { action: 'update', entityType: 'directory_location', entityId: locationId, detail: 'opening times' },
      requestId,
    );
  });
}
