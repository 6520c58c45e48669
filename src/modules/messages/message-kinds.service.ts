// How the sender composes each message to the person when it is due, from the record as it is then: the
// address for its channel, consent not withdrawn or stopped, the episode still open, the appointment still
// booked at the same time, and the person's hours (else later, or not at all once its day has passed). What
// happens when a text cannot be delivered, and a STOP reply, are here too. Registered when this is loaded.
import type { Transaction } from 'kysely';
import type { Database, Executor } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { audit } from '../../platform/audit.ts';
import {
  planMessage,
  registerMessageKind,
  type ComposeContext,
  type Composed,
  type OutboundMessage,
} from '../../platform/outbox.ts';
import { parseUkPhone } from '../../platform/phone.ts';
import { activeOf, stopForPerson } from './message-planning.service.ts';
import {
  quitDateMessages,
  reminderDay,
  sendingTiming,
  windowOf,
  type SendingHours,
  type SendingWindow,
} from './message-schedule.ts';
import { appointmentWhen, contactWords, weeksWords, whereWords } from './message-words.ts';
import * as repo from './messages.repository.ts';

/** A check-in's answer is wanted this week; a link to stop messages is kept longer. */
const CHECK_IN_LINK_DAYS = 7;
const STOP_LINK_DAYS = 60;
/** Where a message's one-time link opens (check-in.routes.ts). */
export const LINK_PATH = '/m/';

const DAY_MS = 86_400_000;
const skip = (reason: string): Composed => ({ action: 'skip', reason });

type Ready = { to: string; hours: SendingHours; episode: repo.EpisodeFacts; contact: string };

/** What every message to the person needs from the record, or why it cannot go. */
async function readRecord(trx: Executor, message: OutboundMessage): Promise<Ready | Composed> {
  if (!message.person_id || !message.episode_id) return skip('not about a person');
  const prefs = await repo.findPreferences(trx, message.person_id);
  if (prefs?.stopped_at) return skip('messages stopped');
  const active = activeOf(prefs);
  if (!active) return skip('no consent');
  const person = await repo.personContacts(trx, message.person_id);
  let to: string | null;
  if (message.channel === 'sms') {
    const phone = person?.phone ? parseUkPhone(person.phone) : null;
    if (!phone || phone.type !== 'MOBILE') return skip('no mobile number');
    to = phone.e164;
  } else {
    to = person?.email?.trim() || null;
    if (!to) return skip('no email address');
  }
  const episode = await repo.episodeFacts(trx, message.episode_id);
  if (!episode) return skip('episode not found');
  if (episode.closed_at) return skip('episode closed');
  return {
    to,
    hours: active.hours,
    episode,
    contact: contactWords(episode.service_name, episode.service_phone),
  };
}

const isReady = (r: Ready | Composed): r is Ready => 'to' in r;

/** Sent now, later within the hours, or not at all: message-schedule.ts decides. */
function whenToSend(now: Date, hours: SendingHours, window: SendingWindow): Composed | null {
  const t = sendingTiming(now, hours, window);
  return t.action === 'send' ? null : t;
}

async function composeReminder(trx: Transaction<DB>, message: OutboundMessage, ctx: ComposeContext) {
  const r = await readRecord(trx, message);
  if (!isReady(r)) return r;
  const a = message.appointment_id ? await repo.appointmentFacts(trx, message.appointment_id) : undefined;
  if (!a) return skip('appointment not found');
  if (a.status === 'cancelled') return skip('appointment cancelled');
  if (a.status !== 'booked') return skip('appointment ended');
  const startsAt = new Date(a.starts_at);
  if (startsAt.toISOString() !== message.facts.startsAt) return skip('appointment moved');
  const day = reminderDay(startsAt);
  const wait = whenToSend(ctx.now, r.hours, { firstDay: day, lastDay: day });
  if (wait) return wait;
  const when = appointmentWhen(startsAt);
  const personalisation: Record<string, string> = {
    service_name: r.episode.service_name,
    day: when.day,
    time: when.time,
    where: whereWords({
      mode: a.mode,
      siteName: a.site_name,
      siteAddress: a.site_address,
      sitePostcode: a.site_postcode,
    }),
    contact: r.contact,
  };
  // A text says "Reply STOP"; an email carries a link to stop them.
  if (message.channel === 'email')
    personalisation.link = await ctx.link(LINK_PATH, new Date(ctx.now.getTime() + STOP_LINK_DAYS * DAY_MS));
  return { action: 'send', to: r.to, template: 'appointment_reminder', personalisation } satisfies Composed;
}

/** The check-ins and the prompt belong to a quit attempt still waiting for its four-week outcome. */
async function composeQuitDateMessage(trx: Transaction<DB>, message: OutboundMessage, ctx: ComposeContext) {
  const r = await readRecord(trx, message);
  if (!isReady(r)) return r;
  const quitDate = r.episode.quit_date;
  if (!quitDate) return skip('no quit date');
  if (r.episode.outcome) return skip('four-week outcome recorded');
  const week = Number(message.facts.week);
  const isCheckIn = message.kind === 'check_in';
  // Its day from the quit date as it is now (a changed quit date re-plans them: message-planning.service.ts).
  const what = quitDateMessages(quitDate).find(
    (m) => m.kind === message.kind && (m.kind !== 'check_in' || m.week === week),
  );
  if (!what) return skip('unknown week');
  const wait = whenToSend(ctx.now, r.hours, windowOf(what, quitDate));
  if (wait) return wait;
  const personalisation: Record<string, string> = { service_name: r.episode.service_name };
  if (isCheckIn) {
    personalisation.weeks = weeksWords(week);
    personalisation.link = await ctx.link(
      LINK_PATH,
      new Date(ctx.now.getTime() + CHECK_IN_LINK_DAYS * DAY_MS),
    );
    return { action: 'send', to: r.to, template: 'check_in', personalisation } satisfies Composed;
  }
  personalisation.contact = r.contact;
  if (message.channel === 'email')
    personalisation.link = await ctx.link(LINK_PATH, new Date(ctx.now.getTime() + STOP_LINK_DAYS * DAY_MS));
  return { action: 'send', to: r.to, template: 'four_week_prompt', personalisation } satisfies Composed;
}

/**
 * A text that could not be delivered goes again by email at once when the record has an email address;
 * otherwise (or when an email fails) the adviser gets a task to reach the person another way.
 */
export async function onMessageFailed(
  trx: Transaction<DB>,
  message: OutboundMessage,
  now: Date,
): Promise<void> {
  if (message.channel === 'sms' && message.person_id) {
    const person = await repo.personContacts(trx, message.person_id);
    if (person?.email?.trim()) {
      await planMessage(trx, {
        kind: message.kind,
        channel: 'email',
        dueAt: now,
        personId: message.person_id,
        episodeId: message.episode_id,
        appointmentId: message.appointment_id,
        facts: message.facts,
        fallbackOf: message.id,
      });
      return;
    }
  }
  if (message.episode_id)
    await repo.insertTask(trx, {
      episodeId: message.episode_id,
      messageId: message.id,
      kind: 'not_delivered',
      now,
    });
}

registerMessageKind({ kind: 'appointment_reminder', compose: composeReminder, onFailed: onMessageFailed });
registerMessageKind({ kind: 'check_in', compose: composeQuitDateMessage, onFailed: onMessageFailed });
registerMessageKind({ kind: 'four_week_prompt', compose: composeQuitDateMessage, onFailed: onMessageFailed });

/** Notify's inbound numbers come as 447700900123; people's are typed as 07700 900123 or +44 7700 900123. */
const asTyped = (phone: string) => {
  const digits = phone.replace(/\s/g, '');
  return /^44\d{10}$/.test(digits) ? `+${digits}` : phone;
};

/**
 * A STOP reply from a number: every person with that number (compared as parsed, however it was typed)
 * gets no more messages, and what is planned is cancelled. Returns how many people that was.
 */
export async function stopMessagesForPhone(
  db: Database | Transaction<DB>,
  phone: string,
  now: Date,
): Promise<number> {
  const parsed = parseUkPhone(asTyped(phone));
  if (!parsed) return 0;
  const run = async (trx: Executor) => {
    const people = (await repo.peopleWithNumberEnding(trx, parsed.e164.slice(-9))).filter(
      (p) => p.phone && parseUkPhone(p.phone)?.e164 === parsed.e164,
    );
    for (const p of people) {
      await stopForPerson(trx, p.id, 'reply', now, null);
      await audit(trx, null, {
        action: 'update',
        entityType: 'person',
        entityId: p.id,
        detail: 'messages stopped by reply',
      });
    }
    return people.length;
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}
