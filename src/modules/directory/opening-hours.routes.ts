import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import type { FormErrors } from '../../platform/forms.ts';
import { setFlash } from '../../platform/flash.ts';
import { existingLocation, placesOf } from './directory-places.routes.ts';
import { EDITORS, V } from './directory-admin.routes.ts';
import { readHoursForm, rowsFromPeriods, rowsOf, type HoursRow } from './opening-hours-form.ts';
import { placeHours, saveHours } from './opening-hours.service.ts';
import { WEEKDAYS } from './opening-hours.ts';
import { weekdayName } from './opening-hours-words.ts';

// A place's opening times, kept by whoever may edit the service's directory entry (EDITORS): shown on
// the public service page and published as Open Referral UK schedules.
//
//   GET  /directory/services/:orgId/locations/:locationId/hours   the form, one numbered period a row
//   POST /directory/services/:orgId/locations/:locationId/hours   saves every period at once

function hoursPage(
  reply: FastifyReply,
  service: { organisation_id: string; name: string },
  location: { id: string; name: string },
  rows: HoursRow[],
  errors?: FormErrors,
) {
  if (errors) reply.code(400);
  return reply.page(V('hours'), {
    title: `Opening times for ${location.name}`,
    backHref: placesOf(service),
    service,
    location,
    action: `/directory/services/${service.organisation_id}/locations/${location.id}/hours`,
    errors,
    rows: rows.map((r, i) => ({
      ...r,
      i,
      dayItems: WEEKDAYS.map((d) => ({
        value: String(d),
        text: weekdayName(d),
        checked: r.days.includes(String(d)),
      })),
    })),
  });
}

export function registerOpeningHoursRoutes(app: FastifyInstance, { db }: { db: Database }) {
  const editors = { config: { access: EDITORS } };
  const path = '/directory/services/:orgId/locations/:locationId/hours';

  app.get(path, editors, async (request, reply) => {
    const { service, location } = await existingLocation(db, request);
    return hoursPage(reply, service, location, rowsFromPeriods(await placeHours(db, location.id)));
  });

  app.post(path, editors, async (request, reply) => {
    const { service, serviceId, location } = await existingLocation(db, request);
    const rows = rowsOf(request.body);
    const read = readHoursForm(rows);
    if (!read.ok) return hoursPage(reply, service, location, rows, read.errors);
    await saveHours(db, staffOf(request), serviceId, location.id, read.periods, request.id);
    setFlash(
      reply,
      read.periods.length
        ? `The opening times of ${location.name} have been saved`
        : `${location.name} has no opening times now`,
    );
    return reply.redirect(placesOf(service), 303);
  });
}
