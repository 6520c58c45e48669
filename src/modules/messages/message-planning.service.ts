// Planning messages to the person, inside the transaction of the change that calls for them: booking,
// moving or ending an appointment re-plans or cancels its reminder; a quit date plans the check-ins and the
// four-week prompt; the four-week outcome cancels what is left of them; the person's say (consent, how,
// when, stop) re-plans or cancels everything. When each is due is message-schedule.ts's; what it says is
// decided when it is sent (message-kinds.service.ts), from the record as it is then.
import type { Executor } from '../../db/database.ts';
import type { MessageChannel } from '../../db/schema.ts';
import { cancelPlanned, planMessage } from '../../platform/outbox.ts';
import { plannedQuitDateMessages, reminderDueAt, type SendingHours } from './message-schedule.ts';
import * as repo from './messages.repository.ts';

export const PERSON_KINDS = ['appointment_reminder', 'check_in', 'four_week_prompt'] as const;
const QUIT_DATE_KINDS = ['check_in', 'four_week_prompt'] as const;

export type ActivePreferences = { channel: MessageChannel; hours: SendingHours };

/** The person's say when messages may be sent to them (consent given, not stopped), else null. */
export function activeOf(p: repo.PreferencesRow | undefined): ActivePreferences | null {
  if (!p || !p.consent || p.stopped_at || !p.channel) return null;
  return { channel: p.channel, hours: { earliestHour: p.earliest_hour, latestHour: p.latest_hour } };
}

async function activePreferences(db: Executor, personId: string) {
  return activeOf(await repo.findPreferences(db, personId));
}

/** Cancels an appointment's planned reminder (cancelled, did not attend), with the reason. */
export async function cancelAppointmentReminder(
  trx: Executor,
  appointmentId: string,
  reason: string,
  now: Date,
): Promise<void> {
  await cancelPlanned(trx, { appointmentId, kinds: ['appointment_reminder'] }, reason, now);
}

async function planReminder(trx: Executor, appointmentId: string, now: Date, prefs: ActivePreferences) {
  const a = await repo.appointmentFacts(trx, appointmentId);
  if (!a || a.status !== 'booked' || a.closed_at) return;
  const startsAt = new Date(a.starts_at);
  const dueAt = reminderDueAt(startsAt, prefs.hours, now);
  if (!dueAt) return;
  await planMessage(trx, {
    kind: 'appointment_reminder',
    channel: prefs.channel,
    dueAt,
    personId: a.person_id,
    episodeId: a.episode_id,
    appointmentId: a.id,
    // The time it is for, so a reminder already on its way for a moved appointment is not sent.
    facts: { startsAt: startsAt.toISOString() },
  });
}

/** A booked or moved appointment: its reminder planned afresh for the new time. */
export async function planAppointmentReminder(
  trx: Executor,
  appointmentId: string,
  now: Date,
): Promise<void> {
  await cancelAppointmentReminder(trx, appointmentId, 'appointment moved', now);
  const a = await repo.appointmentFacts(trx, appointmentId);
  if (!a) return;
  const prefs = await activePreferences(trx, a.person_id);
  if (prefs) await planReminder(trx, appointmentId, now, prefs);
}

async function planQuitDate(trx: Executor, episodeId: string, now: Date, prefs: ActivePreferences) {
  const e = await repo.episodeFacts(trx, episodeId);
  if (!e || !e.quit_date || e.closed_at || e.outcome) return;
  for (const m of plannedQuitDateMessages(e.quit_date, prefs.hours, now)) {
    await planMessage(trx, {
      kind: m.kind,
      channel: prefs.channel,
      dueAt: m.dueAt,
      personId: e.person_id,
      episodeId: e.id,
      facts: m.kind === 'check_in' ? { week: m.week } : {},
    });
  }
}

/** A quit date set or changed: the check-ins and the four-week prompt planned afresh from it. */
export async function planQuitDateMessages(trx: Executor, episodeId: string, now: Date): Promise<void> {
  await cancelPlanned(trx, { episodeId, kinds: QUIT_DATE_KINDS }, 'quit date changed', now);
  const e = await repo.episodeFacts(trx, episodeId);
  if (!e) return;
  const prefs = await activePreferences(trx, e.person_id);
  if (prefs) await planQuitDate(trx, episodeId, now, prefs);
}

/**
 * The four-week outcome is in (or the episode closed): the check-ins and the prompt still planned are
 * cancelled. Reminders of appointments still booked stay: the person is still expected. Stamped with the
 * transaction's time, as the outcome's own row is.
 */
export async function cancelQuitAttemptMessages(
  trx: Executor,
  episodeId: string,
  reason: string,
): Promise<void> {
  await cancelPlanned(trx, { episodeId, kinds: QUIT_DATE_KINDS }, reason, await repo.transactionTime(trx));
}

/** Every planned message to the person cancelled, then what is still to come planned again. */
export async function replanPerson(
  trx: Executor,
  personId: string,
  reason: string,
  now: Date,
): Promise<void> {
  await cancelPlanned(trx, { personId, kinds: PERSON_KINDS }, reason, now);
  const prefs = await activePreferences(trx, personId);
  if (!prefs) return;
  for (const e of await repo.openEpisodesOfPerson(trx, personId)) {
    await planQuitDate(trx, e.id, now, prefs);
    for (const a of await repo.bookedAppointmentsFrom(trx, e.id, now))
      await planReminder(trx, a.id, now, prefs);
  }
}

/** The person, or their adviser for them, stopped messages: recorded, and everything planned cancelled. */
export async function stopForPerson(
  trx: Executor,
  personId: string,
  how: 'reply' | 'link' | 'adviser',
  now: Date,
  userId: string | null,
): Promise<void> {
  await repo.stopPreferences(trx, personId, how, now, userId);
  await cancelPlanned(trx, { personId, kinds: PERSON_KINDS }, 'messages stopped', now);
}
