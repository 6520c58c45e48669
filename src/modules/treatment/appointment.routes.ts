// Booking a session for a time, place and adviser; moving or cancelling it; recording that the person did
// not attend and what happens next. One page: the booking form, then (with a booking) cancel and did not
// attend. Warnings (appointment-warnings.ts) are shown, never block.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { bankHolidays } from '../../platform/bank-holidays.ts';
import { daysBetween, formatDate, type IsoDate } from '../../platform/dates.ts';
import { notFound } from '../../platform/errors.ts';
import { optionsOf, type FormErrors } from '../../platform/forms.ts';
import { formValues } from '../referrals/referral-form.ts';
import { viewEpisode, type EpisodeRow } from '../episodes/episode.service.ts';
import * as appointments from './appointment.service.ts';
import {
  APPOINTMENT_MODES,
  NEXT_STEPS,
  parseAppointment,
  parseCancel,
  parseDidNotAttend,
} from './appointment.schemas.ts';
import { londonParts, nextOpenDay } from './scheduling.ts';
import { sessionLabel } from './treatment.section.ts';
import { dateBoxes } from './treatment.schemas.ts';
import * as treatment from './treatment.repository.ts';
import {
  auditRedisplay,
  bodyOf,
  config,
  episodeForChange,
  idOf,
  refusalErrors,
  selectItems,
  type Values,
} from './treatment-page.routes.ts';

type Session = NonNullable<Awaited<ReturnType<typeof treatment.findSession>>>;
const sessionIdOf = (request: FastifyRequest) => (request.params as { sessionId: string }).sessionId;
const pageOf = (episodeId: string, sessionId: string) =>
  `/episodes/${episodeId}/sessions/${sessionId}/appointment`;

type Page = {
  load: (episode: EpisodeRow, request: FastifyRequest) => Promise<Session>;
  show: (
    reply: FastifyReply,
    episode: EpisodeRow,
    session: Session,
    values?: Values,
    errors?: FormErrors,
  ) => unknown;
};

export function registerAppointmentRoutes(app: FastifyInstance, { db }: { db: Database }) {
  const page: Page = {
    load: async (episode, request) => {
      const session = await treatment.findSession(db, episode.id, sessionIdOf(request));
      if (!session) throw notFound('Session not found');
      return session;
    },
    show: async (reply, episode, session, values, errors) =>
      reply.page(
        'treatment/views/appointment.njk',
        await appointmentPage(db, episode, session, app.clock.today(), values, errors),
      ),
  };
  registerBooking(app, db, page);
  registerEnding(app, db, page);
}

function registerBooking(app: FastifyInstance, db: Database, { load, show }: Page) {
  app.get('/episodes/:id/sessions/:sessionId/appointment', { config }, async (request, reply) => {
    const episode = await viewEpisode(db, staffOf(request), idOf(request), request.id);
    return show(reply, episode, await load(episode, request));
  });

  app.post('/episodes/:id/sessions/:sessionId/appointment', { config }, async (request, reply) => {
    const episode = await episodeForChange(db, request);
    const session = await load(episode, request);
    const body = bodyOf(request);
    const ctx = await appointments.bookingContext(db, episode.service_organisation_id, app.clock.today());
    const parsed = parseAppointment(body, ctx);
    if (!parsed.ok) {
      await auditRedisplay(db, request, episode);
      return show(reply.code(400), episode, session, formValues(body), parsed.errors);
    }
    try {
      await appointments.bookAppointment(
        db,
        staffOf(request),
        episode.id,
        session.id,
        parsed.data,
        app.clock.now(),
        request.id,
      );
    } catch (err) {
      await auditRedisplay(db, request, episode);
      return show(reply.code(409), episode, session, formValues(body), refusalErrors(err, '#day-day'));
    }
    return reply.redirect(pageOf(episode.id, session.id), 303);
  });
}

/** Cancelling (with a reason) and "did not attend" (with the next step) end the booking. */
function registerEnding(app: FastifyInstance, db: Database, { load, show }: Page) {
  for (const [path, parse, field] of [
    ['cancel', parseCancel, '#reason'],
    ['did-not-attend', parseDidNotAttend, '#nextStep'],
  ] as const) {
    app.post(`/episodes/:id/sessions/:sessionId/appointment/${path}`, { config }, async (request, reply) => {
      const episode = await episodeForChange(db, request);
      const session = await load(episode, request);
      const body = bodyOf(request);
      const parsed = parse(body);
      if (!parsed.ok) {
        await auditRedisplay(db, request, episode);
        return show(reply.code(400), episode, session, formValues(body), parsed.errors);
      }
      try {
        await appointments.endAppointment(
          db,
          staffOf(request),
          episode.id,
          session.id,
          parsed.data,
          app.clock.now(),
          request.id,
        );
      } catch (err) {
        await auditRedisplay(db, request, episode);
        return show(reply.code(409), episode, session, formValues(body), refusalErrors(err, field));
      }
      return reply.redirect(pageOf(episode.id, session.id), 303);
    });
  }
}

async function appointmentPage(
  db: Database,
  episode: EpisodeRow,
  session: Session,
  today: IsoDate,
  typed: Values | undefined,
  errors: FormErrors | undefined,
) {
  const org = episode.service_organisation_id;
  const [history, sites, advisers, openingDays] = await Promise.all([
    appointments.listForSession(db, session.id),
    appointments.sitesOf(db, org),
    appointments.advisersOf(db, org),
    appointments.openingDaysOf(db, org),
  ]);
  const booked = history.find((a) => a.status === 'booked');
  const when = booked ? londonParts(new Date(booked.starts_at)) : null;
  const warnings = when ? await appointments.sameDayWarnings(db, episode.id, session.id, when.date) : [];
  const proposed =
    nextOpenDay(
      daysBetween(today, session.scheduled_on) > 0 ? session.scheduled_on : today,
      openingDays,
      bankHolidays(),
    ) ?? today;
  const values: Values = typed ?? {
    ...dateBoxes('day', when?.date ?? proposed),
    time: when?.time ?? '',
    mode: booked?.mode,
    siteId: booked?.site_id ?? '',
    adviserId: booked?.adviser_user_id ?? episode.adviser_user_id ?? '',
  };
  return {
    title: booked ? `Move or cancel: ${sessionLabel(session.kind)}` : `Book: ${sessionLabel(session.kind)}`,
    backHref: `/episodes/${episode.id}`,
    episode,
    session: { ...session, label: sessionLabel(session.kind), recorded: session.attended !== null },
    booked: booked && when ? describe(booked, when, today) : null,
    history: history
      .filter((a) => a.status !== 'booked')
      .map((a) => describe(a, londonParts(new Date(a.starts_at)), today)),
    warnings,
    values,
    errors,
    proposedNote: when
      ? null
      : `The first day the service is open from when this session is due is ${formatDate(proposed, today)}.`,
    options: {
      mode: optionsOf(APPOINTMENT_MODES, values.mode as string),
      site: selectItems(Object.fromEntries(sites.map((s) => [s.id, s.name])), values.siteId, 'Choose a site'),
      adviser: selectItems(
        Object.fromEntries(advisers.map((a) => [a.id, a.name])),
        values.adviserId,
        'Choose an adviser',
      ),
      nextStep: optionsOf(NEXT_STEPS, values.nextStep as string),
    },
  };
}

type HistoryRow = Awaited<ReturnType<typeof appointments.listForSession>>[number];

function describe(a: HistoryRow, when: { date: IsoDate; time: string }, today: IsoDate) {
  return {
    when: `${formatDate(when.date, today)} at ${when.time}`,
    how: a.mode === 'face_to_face' ? `Face to face at ${a.site_name}` : APPOINTMENT_MODES[a.mode],
    adviser: a.adviser_name,
    status:
      a.status === 'cancelled'
        ? `Cancelled: ${a.reason}`
        : a.status === 'did_not_attend'
          ? `Did not attend. Next step: ${NEXT_STEPS[a.next_step!]}`
          : 'Booked',
  };
}
