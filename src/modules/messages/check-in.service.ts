// What a message's one-time link opens: a check-in's three answers and, for any message, stopping them.
// An answer becomes a task for the adviser and uses the link, in one transaction; it never records the
// four-week outcome, which the national rule leaves to the adviser's own follow-up (docs/clinical-safety.md).
// Nothing the page shows is personal: the service's name and number are all a stranger holding the phone
// would learn.
import type { Database, Executor } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import { findMessageLink, useMessageLink } from '../../platform/outbox.ts';
import { stopForPerson } from './message-planning.service.ts';
import * as repo from './messages.repository.ts';

export const ANSWERS = ['smokefree', 'smoked', 'call_me'] as const;
export type Answer = (typeof ANSWERS)[number];
export const isAnswer = (v: unknown): v is Answer => ANSWERS.includes(v as Answer);

export type Service = { name: string; phone: string | null };

export type LinkState =
  | { state: 'unknown' }
  | { state: 'expired'; service: Service }
  | { state: 'answered'; service: Service; checkIn: boolean }
  | { state: 'open'; service: Service; checkIn: boolean; stopped: boolean };

type Found = { personId: string; episodeId: string; messageId: string; checkIn: boolean; service: Service };

/** The link's message, if it is one to a person about an episode; null for anything else. */
async function find(db: Executor, token: string, now: Date) {
  const link = await findMessageLink(db, token);
  if (!link?.message.person_id || !link.message.episode_id) return null;
  const e = await repo.episodeFacts(db, link.message.episode_id);
  if (!e) return null;
  const found: Found = {
    personId: link.message.person_id,
    episodeId: link.message.episode_id,
    messageId: link.message.id,
    checkIn: link.message.kind === 'check_in',
    service: { name: e.service_name, phone: e.service_phone },
  };
  return { found, expired: link.expiresAt.getTime() <= now.getTime(), used: link.usedAt !== null };
}

export async function linkState(db: Database, token: string, now: Date): Promise<LinkState> {
  const f = await find(db, token, now);
  if (!f) return { state: 'unknown' };
  const { service, checkIn } = f.found;
  if (f.expired) return { state: 'expired', service };
  if (f.used) return { state: 'answered', service, checkIn };
  const prefs = await repo.findPreferences(db, f.found.personId);
  return { state: 'open', service, checkIn, stopped: !!prefs?.stopped_at };
}

/**
 * The person's answer to a check-in: a task for the adviser, and the link used, once. A second answer
 * (another tab, a double tap) finds the link used and changes nothing.
 */
export async function answerCheckIn(
  db: Database,
  token: string,
  answer: Answer,
  now: Date,
): Promise<LinkState | { state: 'thanks'; answer: Answer; service: Service }> {
  return db.transaction().execute(async (trx) => {
    const f = await find(trx, token, now);
    if (!f) return { state: 'unknown' };
    const { service, checkIn } = f.found;
    if (f.expired) return { state: 'expired', service };
    if (!checkIn) return { state: 'unknown' };
    if (!(await useMessageLink(trx, token, now))) return { state: 'answered', service, checkIn };
    await repo.insertTask(trx, {
      episodeId: f.found.episodeId,
      messageId: f.found.messageId,
      kind: answer,
      now,
    });
    await audit(trx, null, {
      action: 'create',
      entityType: 'episode',
      entityId: f.found.episodeId,
      detail: 'check-in answered by the person',
    });
    return { state: 'thanks', answer, service };
  });
}

/**
 * "Stop these messages" from any message's link, until it expires (even once a check-in is answered: a
 * person who answered may still want no more).
 */
export async function stopFromLink(
  db: Database,
  token: string,
  now: Date,
): Promise<LinkState | { state: 'stopped'; service: Service }> {
  return db.transaction().execute(async (trx) => {
    const f = await find(trx, token, now);
    if (!f) return { state: 'unknown' };
    if (f.expired) return { state: 'expired', service: f.found.service };
    await stopForPerson(trx, f.found.personId, 'link', now, null);
    await audit(trx, null, {
      action: 'update',
      entityType: 'person',
      entityId: f.found.personId,
      detail: 'messages stopped from a link',
    });
    return { state: 'stopped', service: f.found.service };
  });
}
