// The service's opening days, kept by its manager: no session is booked on a day the service is closed
// (bank holidays are closed whatever this says).
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { bankHolidays } from '../../platform/bank-holidays.ts';
import { formatDate } from '../../platform/dates.ts';
import type { FormErrors } from '../../platform/forms.ts';
import * as appointments from './appointment.service.ts';
import { parseOpeningDays } from './appointment.schemas.ts';
import { WEEKDAY_NAMES, type Weekday } from './scheduling.ts';

const config = { access: ['service_manager'] as const };

export function registerOpeningDaysRoutes(app: FastifyInstance, { db }: { db: Database }) {
  const show = (reply: FastifyReply, days: readonly number[], errors?: FormErrors, saved = false) => {
    const today = app.clock.today();
    const coming = [...bankHolidays()].filter(([d]) => d >= today).slice(0, 8);
    return reply.page('treatment/views/opening-days.njk', {
      title: 'Opening days',
      errors,
      saved,
      items: (Object.entries(WEEKDAY_NAMES) as [string, string][]).map(([value, text]) => ({
        value,
        text,
        checked: days.includes(Number(value)),
      })),
      holidays: coming.map(([d, name]) => ({ date: formatDate(d, today), name })),
    });
  };

  app.get('/service/opening-days', { config }, async (request, reply) => {
    const days = await appointments.openingDaysOf(db, staffOf(request).organisationId);
    return show(reply, days, undefined, (request.query as { saved?: string }).saved === '1');
  });

  app.post('/service/opening-days', { config }, async (request, reply) => {
    const parsed = parseOpeningDays((request.body ?? {}) as Record<string, unknown>);
    if (!parsed.ok) return show(reply.code(400), [], parsed.errors);
    await appointments.saveOpeningDays(db, staffOf(request), parsed.data.days as Weekday[], request.id);
    return reply.redirect('/service/opening-days?saved=1', 303);
  });
}
