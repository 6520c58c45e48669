// The diary of booked appointments, by day or by week, for the whole service, one adviser or one site (a
// clinic list). Times are England's; a closed day says why. Printing hides the header and the filters.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { auditMany } from '../../platform/audit.ts';
import { bankHolidays } from '../../platform/bank-holidays.ts';
import { addDays, formatDate, isIsoDate, type IsoDate } from '../../platform/dates.ts';
import * as appointments from './appointment.service.ts';
import { APPOINTMENT_MODES } from './appointment.schemas.ts';
import {
  closedReason,
  londonInstant,
  londonParts,
  WEEKDAY_NAMES,
  weekdayOf,
  weekStart,
} from './scheduling.ts';
import { sessionLabel } from './treatment.section.ts';
import { config, selectItems } from './treatment-page.routes.ts';

type Query = { view?: string; date?: string; adviser?: string; site?: string };
type Booked = Awaited<ReturnType<typeof appointments.bookedBetween>>[number];

/** Reads the diary's filters; anything unreadable falls back to today's whole service by day. */
function filtersOf(request: FastifyRequest, today: IsoDate) {
  const q = (request.query ?? {}) as Query;
  const one = (v: unknown) => (typeof v === 'string' ? v : '');
  const view = one(q.view) === 'week' ? 'week' : 'day';
  const date = isIsoDate(one(q.date)) ? one(q.date) : today;
  return { view, date, adviser: one(q.adviser), site: one(q.site) } as const;
}

export function registerAppointmentDiaryRoutes(app: FastifyInstance, { db }: { db: Database }) {
  app.get('/diary/appointments', { config }, async (request, reply) => {
    const user = staffOf(request);
    const today = app.clock.today();
    const f = filtersOf(request, today);
    const from = f.view === 'week' ? weekStart(f.date) : f.date;
    const days = f.view === 'week' ? 7 : 1;
    const org = user.organisationId;
    const [rows, sites, advisers, openingDays] = await Promise.all([
      appointments.bookedBetween(
        db,
        org,
        londonInstant(from, '00:00')!,
        londonInstant(addDays(from, days), '00:00')!,
        {
          adviserId: f.adviser,
          siteId: f.site,
        },
      ),
      appointments.sitesOf(db, org),
      appointments.advisersOf(db, org),
      appointments.openingDaysOf(db, org),
    ]);
    await auditMany(db, user, 'list', 'episode', [...new Set(rows.map((r) => r.episode_id))], request.id);
    const groups =
      f.view === 'week'
        ? Array.from({ length: 7 }, (_, i) => addDays(from, i)).map((d) => ({
            heading: `${WEEKDAY_NAMES[weekdayOf(d)]} ${formatDate(d, today)}`,
            closed: closedReason(d, openingDays, bankHolidays()),
            items: rows.filter((r) => londonParts(new Date(r.starts_at)).date === d).map((r) => item(r)),
          }))
        : placeGroups(rows);
    const step = f.view === 'week' ? 7 : 1;
    const link = (date: IsoDate, view = f.view) =>
      `/diary/appointments?${new URLSearchParams({ view, date, adviser: f.adviser, site: f.site })}`;
    return reply.page('treatment/views/appointment-diary.njk', {
      title:
        f.view === 'week'
          ? `Week from ${formatDate(from, today)}`
          : `Appointments on ${formatDate(from, today)}`,
      view: f.view,
      closed: f.view === 'day' ? closedReason(from, openingDays, bankHolidays()) : null,
      groups,
      count: rows.length,
      filters: {
        ...f,
        adviserItems: selectItems(named(advisers), f.adviser, 'Everyone'),
        siteItems: selectItems(named(sites), f.site, 'Every site and phone or video'),
      },
      links: {
        previous: link(addDays(from, -step)),
        next: link(addDays(from, step)),
        day: link(f.date, 'day'),
        week: link(f.date, 'week'),
      },
    });
  });
}

const named = (list: { id: string; name: string }[]) => Object.fromEntries(list.map((x) => [x.id, x.name]));

function item(r: Booked) {
  return {
    time: londonParts(new Date(r.starts_at)).time,
    name: `${r.given_name} ${r.family_name}`,
    phone: r.phone,
    href: `/episodes/${r.episode_id}/sessions/${r.session_id}/appointment`,
    session: sessionLabel(r.kind),
    place: r.mode === 'face_to_face' ? (r.site_name ?? 'Face to face') : APPOINTMENT_MODES[r.mode],
    adviser: r.adviser_name,
  };
}

/** A day's clinic lists: one per site, then phone and video. */
function placeGroups(rows: readonly Booked[]) {
  const groups = new Map<string, { heading: string; closed: null; items: ReturnType<typeof item>[] }>();
  for (const r of rows) {
    const heading = r.mode === 'face_to_face' ? `Clinic list: ${r.site_name}` : APPOINTMENT_MODES[r.mode];
    const key = r.mode === 'face_to_face' ? `a-${r.site_name}` : `b-${r.mode}`;
    if (!groups.has(key)) groups.set(key, { heading, closed: null, items: [] });
    groups.get(key)!.items.push(item(r));
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, g]) => g);
}
