// The person's say in messages, recorded by their adviser: consent, how, when, and stopping them for the
// person. Each change is one transaction with its audit row, and re-plans or cancels what is planned.
import type { Database, Executor } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import { canTakeTexts } from '../../platform/phone.ts';
import type { StaffUser } from '../../platform/roles.ts';
import { messagesAbout } from '../../platform/outbox.ts';
import type { EpisodeRow } from '../episodes/episode.service.ts';
import { replanPerson, stopForPerson } from './message-planning.service.ts';
import type { Available, PreferencesInput } from './message-preferences.schemas.ts';
import * as repo from './messages.repository.ts';

export { findPreferences } from './messages.repository.ts';

/** The ways the person's record has an address for. */
export const availableFor = (p: { phone: string | null; email: string | null }): Available => ({
  sms: !!p.phone && canTakeTexts(p.phone),
  email: !!p.email && p.email.trim() !== '',
});

/** What the messages page and the episode page show: the person's say and the episode's messages. */
export async function messagesOf(db: Executor, episode: Pick<EpisodeRow, 'id' | 'person_id'>) {
  const [preferences, messages] = await Promise.all([
    repo.findPreferences(db, episode.person_id),
    messagesAbout(db, { episodeId: episode.id }),
  ]);
  return { preferences: preferences ?? null, messages };
}

export async function savePreferences(
  db: Database,
  user: StaffUser,
  episode: Pick<EpisodeRow, 'id' | 'person_id'>,
  input: PreferencesInput,
  now: Date,
  requestId?: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await repo.savePreferences(trx, { personId: episode.person_id, ...input, userId: user.id, now });
    await replanPerson(
      trx,
      episode.person_id,
      input.consent ? 'preferences changed' : 'consent withdrawn',
      now,
    );
    await audit(
      trx,
      user,
      {
        action: 'update',
        entityType: 'person',
        entityId: episode.person_id,
        detail: input.consent
          ? `message consent given; ${input.channel}; ${input.earliestHour}-${input.latestHour}`
          : 'message consent not given',
      },
      requestId,
    );
  });
}

/** The adviser stops every message for the person, as they asked. */
export async function stopOnBehalf(
  db: Database,
  user: StaffUser,
  episode: Pick<EpisodeRow, 'id' | 'person_id'>,
  now: Date,
  requestId?: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await stopForPerson(trx, episode.person_id, 'adviser', now, user.id);
    await audit(
      trx,
      user,
      {
        action: 'update',
        entityType: 'person',
        entityId: episode.person_id,
        detail: 'messages stopped by adviser',
      },
      requestId,
    );
  });
}
