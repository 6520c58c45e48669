import type { Database, Executor } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import { notFound } from '../../platform/errors.ts';
import type { StaffUser } from '../../platform/roles.ts';
import { serviceScope } from '../../platform/scope.ts';
import { findEpisode, type EpisodeRow } from '../episodes/episode.service.ts';
import { alertForNewMedicine } from './medicine-alerts.service.ts';
import { decideMedicineName } from './medicine-names.ts';
import * as repo from './medicines.repository.ts';
import type { AddMedicineInput } from './medicines.schemas.ts';
import { listByCode } from './medicines.section.ts';
import { matchMedicines } from './medicines.ts';

// Recording a person's medicines, and what other modules may read of them: the alerts raised (for the note
// to their clinician) and the letterhead of the service that writes letters.

/** The episode, found within the user's service: another service's episode is "not found", never shown. */
export async function serviceEpisode(db: Executor, user: StaffUser, id: string): Promise<EpisodeRow> {
  const episode = await findEpisode(db, serviceScope(user), id);
  if (!episode) throw notFound('Episode not found');
  return episode;
}

/**
 * Adds a medicine the person takes, once its name is settled against the list; an entry on the list raises
 * an alert at once when the quit date has passed. One transaction, so the medicine, its audit row and its
 * alert are recorded together or not at all.
 */
export async function addMedicine(
  db: Database,
  user: StaffUser,
  episode: EpisodeRow,
  input: AddMedicineInput,
  body: Record<string, unknown>,
  requestId: string,
) {
  const { name, prescriberKind, prescriberName } = input;
  return db.transaction().execute(async (trx) => {
    const list = await repo.activeAffectedMedicines(trx);
    const decision = decideMedicineName(name, list, body);
    if (decision.kind === 'ask') return decision;
    const listed = matchMedicines([{ code: decision.code, name }], list).map((m) => m.medicine);
    const id = await repo.insertEpisodeMedicine(trx, {
      episodeId: episode.id,
      name,
      medicineCode: decision.code,
      prescriberKind,
      prescriberName: prescriberName ?? null,
      userId: user.id,
      nameCheck: decision.nameCheck,
    });
    const onList = listed.length ? `on the list: ${listed.map((m) => m.code).join(', ')}` : 'not on the list';
    await audit(
      trx,
      user,
      {
        action: 'create',
        entityType: 'episode_medicine',
        entityId: id,
        detail: `${onList}; name: ${decision.nameCheck}`,
      },
      requestId,
    );
    const raised = listed.length ? await alertForNewMedicine(trx, episode, id, user.id) : 0;
    return { ...decision, listed, raised };
  });
}

/** The service's letterhead: its name, how to reach it, and its first site's address. */
export const serviceLetterhead = (db: Executor, organisationId: string) =>
  repo.serviceLetterhead(db, organisationId);

/** The alerts raised on an episode, oldest first, named as the list names the medicine now. */
export async function alertsRaisedOn(db: Executor, episodeId: string) {
  const [alerts, byCode] = await Promise.all([repo.listAlerts(db, episodeId), listByCode(db)]);
  return [...alerts].reverse().map((a) => ({
    name: byCode.get(a.medicine_code)?.name ?? a.medicine_code,
    trigger: a.trigger,
    direction: a.direction,
    raisedAt: a.raised_at,
    acknowledged: a.acknowledged_at !== null,
    letterProducedAt: a.letter_produced_at,
  }));
}
