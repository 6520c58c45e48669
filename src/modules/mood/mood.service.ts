// Recording a PHQ-9 or GAD-7. The measure, any safety task its item 9 needs, and their audit rows are
// written in one transaction: a saved PHQ-9 with item 9 above 0 can never exist without its task.
import type { Database } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import { notFound } from '../../platform/errors.ts';
import type { StaffUser } from '../../platform/roles.ts';
import { serviceScope } from '../../platform/scope.ts';
import { findEpisode } from '../episodes/episode.service.ts';
import { needsSafetyResponse } from './mood.ts';
import * as repo from './mood.repository.ts';
import { INSTRUMENT_INFO, type MoodFormInput } from './mood.schemas.ts';

/** The episode, found within the user's service: any other is "not found", never shown. */
export async function serviceEpisode(db: Database, user: StaffUser, id: string) {
  const episode = await findEpisode(db, serviceScope(user), id);
  if (!episode) throw notFound('Episode not found');
  return episode;
}

export type RecordedMood = { measureId: string; safetyTaskId: string | null };

export async function recordMood(
  db: Database,
  user: StaffUser,
  episodeId: string,
  input: MoodFormInput,
  requestId?: string,
): Promise<RecordedMood> {
  return db.transaction().execute(async (trx) => {
    // One writer per episode at a time, so two saves cannot both miss (or both adopt) an unlinked task.
    await trx.selectFrom('episodes').select('id').where('id', '=', episodeId).forUpdate().executeTakeFirst();
    const measure = await repo.insertMeasure(trx, { episodeId, ...input, userId: user.id });
    await audit(
      trx,
      user,
      {
        action: 'create',
        entityType: 'mood_measure',
        entityId: measure.id,
        detail: INSTRUMENT_INFO[input.instrument].name,
      },
      requestId,
    );

    let safetyTaskId: string | null = null;
    if (input.instrument === 'phq9' && needsSafetyResponse(input.items)) {
      const unlinked = await repo.openUnlinkedSafetyTask(trx, episodeId);
      if (unlinked) {
        await repo.linkSafetyTask(trx, unlinked.id, measure.id);
        safetyTaskId = unlinked.id;
        await audit(
          trx,
          user,
          {
            action: 'update',
            entityType: 'safety_task',
            entityId: safetyTaskId,
            detail: 'linked to the saved PHQ-9',
          },
          requestId,
        );
      } else {
        safetyTaskId = (
          await repo.insertSafetyTask(trx, { episodeId, moodMeasureId: measure.id, userId: user.id })
        ).id;
        await audit(
          trx,
          user,
          {
            action: 'create',
            entityType: 'safety_task',
            entityId: safetyTaskId,
            detail: 'PHQ-9 item 9 answered above 0',
          },
          requestId,
        );
      }
    }
    return { measureId: measure.id, safetyTaskId };
  });
}
