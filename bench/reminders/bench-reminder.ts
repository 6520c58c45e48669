import type { Transaction } from 'kysely';
import type { DB } from '../../src/db/schema.ts';
import {
  messageKind,
  registerMessageKind,
  type Composed,
  type OutboundMessage,
} from '../../src/platform/outbox.ts';
import { parseUkPhone } from '../../src/platform/phone.ts';

// Which composer the bench's reminders go through. Mortar's own `appointment_reminder` (registered by
// src/modules/messages when it is loaded) when this checkout has it; otherwise a bench-only kind,
// `bench_appointment_reminder`, that does the same reads in the same transaction (consent, the person's
// phone parsed as a UK mobile, the episode still open, the appointment still booked at the planned time,
// the service's name and phone) and sends the same Notify template. The bench says which one ran.

export const BENCH_KIND = 'bench_appointment_reminder';
export const PRODUCT_KIND = 'appointment_reminder';
/** Where Mortar's message kinds are registered (a variable, so a checkout without it still compiles). */
const PRODUCT_MODULE = '../../src/modules/messages/message-kinds.service.ts';

/** Loads Mortar's reminder composer if this checkout has one; returns the kind the bench will plan. */
export async function reminderKind(): Promise<string> {
  try {
    await import(PRODUCT_MODULE);
  } catch (err) {
    if ((err as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw err;
  }
  if (messageKind(PRODUCT_KIND)) return PRODUCT_KIND;
  registerMessageKind({ kind: BENCH_KIND, compose: composeBenchReminder });
  return BENCH_KIND;
}

const skip = (reason: string): Composed => ({ action: 'skip', reason });
const london = (options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', ...options });
const DAY = london({ weekday: 'long', day: 'numeric', month: 'long' });
const TIME = london({ hour: 'numeric', minute: '2-digit', hour12: true });

async function composeBenchReminder(trx: Transaction<DB>, message: OutboundMessage): Promise<Composed> {
  if (!message.person_id || !message.episode_id || !message.appointment_id) return skip('not about a person');
  const prefs = await trx
    .selectFrom('message_preferences')
    .selectAll()
    .where('person_id', '=', message.person_id)
    .executeTakeFirst();
  if (!prefs?.consent || prefs.stopped_at || prefs.channel !== 'sms') return skip('no consent');
  const person = await trx
    .selectFrom('people')
    .select(['phone'])
    .where('id', '=', message.person_id)
    .executeTakeFirst();
  const phone = person?.phone ? parseUkPhone(person.phone) : null;
  if (!phone || phone.type !== 'MOBILE') return skip('no mobile number');
  const episode = await trx
    .selectFrom('episodes as e')
    .innerJoin('organisations as o', 'o.id', 'e.service_organisation_id')
    .select(['e.closed_at', 'o.name', 'o.phone'])
    .where('e.id', '=', message.episode_id)
    .executeTakeFirst();
  if (!episode || episode.closed_at) return skip('episode closed');
  const a = await trx
    .selectFrom('appointments as a')
    .leftJoin('sites as t', 't.id', 'a.site_id')
    .select(['a.starts_at', 'a.status', 't.name as site', 't.postcode'])
    .where('a.id', '=', message.appointment_id)
    .executeTakeFirst();
  if (!a || a.status !== 'booked') return skip('appointment not booked');
  const startsAt = new Date(a.starts_at);
  if (startsAt.toISOString() !== message.facts.startsAt) return skip('appointment moved');
  return {
    action: 'send',
    to: phone.e164,
    template: 'appointment_reminder',
    personalisation: {
      service_name: episode.name,
      day: DAY.format(startsAt),
      time: TIME.format(startsAt).replace(' ', ''),
      where: a.site ? `At ${a.site}, ${a.postcode ?? ''}.` : 'By phone: we will call you.',
      contact: `call ${episode.phone ?? 'your service'}`,
    },
  };
}
