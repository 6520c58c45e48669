// Booking, moving, cancelling and "did not attend": each in one transaction with its audit row, on an open
// episode's session not yet recorded. The session's due day follows its appointment, so the episode page
// and the old diary agree with the booking.
import type { Database, Executor } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import { bankHolidays } from '../../platform/bank-holidays.ts';
import { HttpError } from '../../platform/errors.ts';
import type { StaffUser } from '../../platform/roles.ts';
import type { IsoDate } from '../../platform/dates.ts';
import * as repo from './appointment.repository.ts';
import * as treatment from './treatment.repository.ts';
import type { AppointmentInput, BookingContext, NextStep } from './appointment.schemas.ts';
import {
  firstSupplyWarning,
  sameDayWarning,
  supplyWhileSmokingWarning,
  type Warning,
} from './appointment-warnings.ts';
import { DEFAULT_OPENING_DAYS, londonParts, type Weekday } from './scheduling.ts';
import { assertOpen, conflict } from './treatment.service.ts';
import { cancelAppointmentReminder, planAppointmentReminder } from '../messages/message-planning.service.ts';

export { listForSession, sitesOf, advisersOf, bookedBetween } from './appointment.repository.ts';

/** The service's opening days: its own, or Monday to Friday. */
export async function openingDaysOf(db: Executor, organisationId: string): Promise<Weekday[]> {
  return ((await repo.openingDays(db, organisationId)) ?? [...DEFAULT_OPENING_DAYS]) as Weekday[];
}

export async function saveOpeningDays(
  db: Database,
  user: StaffUser,
  days: Weekday[],
  requestId?: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await repo.saveOpeningDays(trx, user.organisationId, days, user.id);
    await audit(
      trx,
      user,
      {
        action: 'update',
        entityType: 'organisation',
        entityId: user.organisationId,
        detail: `opening days ${days.join(',')}`,
      },
      requestId,
    );
  });
}

/** What the booking form checks a day, site and adviser against. */
export async function bookingContext(
  db: Executor,
  organisationId: string,
  today: IsoDate,
): Promise<BookingContext> {
  const [openingDays, sites, advisers] = await Promise.all([
    openingDaysOf(db, organisationId),
    repo.sitesOf(db, organisationId),
    repo.advisersOf(db, organisationId),
  ]);
  return {
    today,
    openingDays,
    holidays: bankHolidays(),
    siteIds: sites.map((s) => s.id),
    adviserIds: advisers.map((a) => a.id),
  };
}

/** Another session of the episode on the same day as this one (booked or held). */
export async function sameDayWarnings(
  db: Executor,
  episodeId: string,
  sessionId: string,
  day: IsoDate,
): Promise<Warning[]> {
  const rows = await repo.otherSessionDays(db, episodeId);
  const others = rows.flatMap((r) => {
    const d = r.starts_at ? londonParts(new Date(r.starts_at)).date : r.held_on;
    return d ? [{ id: r.id, day: d }] : [];
  });
  return sameDayWarning(sessionId, day, others);
}

async function openSession(trx: Executor, episodeId: string, sessionId: string) {
  const episode = await treatment.lockEpisode(trx, episodeId);
  assertOpen(episode);
  const session = await treatment.findSession(trx, episodeId, sessionId);
  if (!session) throw new HttpError(404, 'Session not found');
  if (session.attended !== null)
    throw conflict(
      'This session is already recorded',
      'This session is already recorded, so it cannot be booked, moved or cancelled.',
    );
  return session;
}

/** Books the session, or moves its booking; its reminder is planned for the new time. */
export async function bookAppointment(
  db: Database,
  user: StaffUser,
  episodeId: string,
  sessionId: string,
  input: AppointmentInput,
  now: Date,
  requestId?: string,
): Promise<'booked' | 'moved'> {
  return db.transaction().execute(async (trx) => {
    await openSession(trx, episodeId, sessionId);
    const booked = await repo.findBooked(trx, sessionId);
    const v = {
      starts_at: input.startsAt,
      mode: input.mode,
      site_id: input.siteId,
      adviser_user_id: input.adviserId,
    };
    let appointmentId = booked?.id;
    if (booked) await repo.moveAppointment(trx, booked.id, v);
    else
      appointmentId = await repo.insertAppointment(trx, { ...v, session_id: sessionId, booked_by: user.id });
    await planAppointmentReminder(trx, appointmentId!, now);
    await repo.setSessionDay(trx, sessionId, input.day);
    const what = booked ? 'moved' : 'booked';
    await audit(
      trx,
      user,
      {
        action: 'update',
        entityType: 'episode_session',
        entityId: sessionId,
        detail: `appointment ${what} ${input.mode}`,
      },
      requestId,
    );
    return what;
  });
}

/**
 * Cancels the booking (with a reason), or records that the person did not attend and what happens next;
 * either way its reminder, if not yet sent, is cancelled.
 */
export async function endAppointment(
  db: Database,
  user: StaffUser,
  episodeId: string,
  sessionId: string,
  end: { reason: string } | { nextStep: NextStep },
  now: Date,
  requestId?: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await openSession(trx, episodeId, sessionId);
    const booked = await repo.findBooked(trx, sessionId);
    if (!booked)
      throw conflict('This session has no appointment booked', 'This session has no appointment booked.');
    await repo.endAppointment(
      trx,
      booked.id,
      'reason' in end
        ? { status: 'cancelled', reason: end.reason, ended_by: user.id }
        : { status: 'did_not_attend', next_step: end.nextStep, ended_by: user.id },
    );
    const detail = 'reason' in end ? 'appointment cancelled' : `did not attend; next step ${end.nextStep}`;
    await cancelAppointmentReminder(
      trx,
      booked.id,
      'reason' in end ? 'appointment cancelled' : 'did not attend',
      now,
    );
    await audit(
      trx,
      user,
      { action: 'update', entityType: 'episode_session', entityId: sessionId, detail },
      requestId,
    );
  });
}

/**
 * The warnings a recorded session shows: another session the same day, a first supply over two weeks, and
 * a supply given when the person smoked or read 10 ppm or more (appointment-warnings.ts).
 */
export async function sessionWarnings(
  db: Executor,
  episodeId: string,
  session: { id: string; held_on: string | null; smoked_since_last: boolean | null; co_ppm: number | null },
): Promise<Warning[]> {
  const aids = await treatment.listAids(db, episodeId);
  const here = aids.filter((a) => a.session_id === session.id);
  const first = aids[0];
  return [
    ...(session.held_on ? await sameDayWarnings(db, episodeId, session.id, session.held_on) : []),
    ...firstSupplyWarning(!!first && first.session_id === session.id, first?.supply_days ?? null),
    ...supplyWhileSmokingWarning({
      supplied: here.length > 0,
      smokedSinceLast: session.smoked_since_last,
      coPpm: session.co_ppm,
    }),
  ];
}
