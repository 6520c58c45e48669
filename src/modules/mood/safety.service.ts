// Safety tasks: raised when PHQ-9 item 9 (thoughts of being better off dead or of self-harm) is answered
// above "Not at all", whatever the total (docs/domain.md, PHQ-9 item 9). A task stays open, and shown at the
// top of the episode page and on the worklist, until someone records what they did; completed tasks stay in
// the history.
import type { Database } from '../../db/database.ts';
import { audit, auditMany } from '../../platform/audit.ts';
import { HttpError, notFound } from '../../platform/errors.ts';
import type { StaffUser } from '../../platform/roles.ts';
import { serviceScope } from '../../platform/scope.ts';
import type { Executor } from '../../db/database.ts';
import * as repo from './mood.repository.ts';
import { actionTakenText, isUuid, type SafetyCompletion } from './mood.schemas.ts';

/** Open safety tasks (completed_at null) on one episode. While this is above zero the episode must not move on. */
export async function openSafetyTaskCount(db: Executor, episodeId: string): Promise<number> {
  const row = await db
    .selectFrom('safety_tasks')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('episode_id', '=', episodeId)
    .where('completed_at', 'is', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Open safety tasks in every service: a count for the operators' metrics, naming nobody. */
export async function openSafetyTaskTotal(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('safety_tasks')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('completed_at', 'is', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Open safety tasks across one service, oldest first, for the worklist and a manager's view. Not audited: callers do. */
export async function openSafetyTasksForService(db: Executor, organisationId: string) {
  return repo.openSafetyTasksOfService(db, organisationId);
}

export type SafetyBanner = {
  count: number;
  tasks: { id: string; episodeId: string; name: string; raisedAt: Date; adviserName: string | null }[];
};

/**
 * What the worklist shows above everything else: the service's open safety tasks, each linking to its
 * episode. Names are shown, so the read is audited like any other list of people's records.
 */
export async function safetyBannerForService(
  db: Database,
  user: StaffUser,
  requestId?: string,
): Promise<SafetyBanner> {
  const rows = await openSafetyTasksForService(db, serviceScope(user).organisationId);
  await auditMany(
    db,
    user,
    'list',
    'safety_task',
    rows.map((r) => r.id),
    requestId,
  );
  return {
    count: rows.length,
    tasks: rows.map((r) => ({
      id: r.id,
      episodeId: r.episode_id,
      name: `${r.given_name} ${r.family_name}`,
      raisedAt: r.raised_at,
      adviserName: r.adviser_name,
    })),
  };
}

/**
 * Raises a task for an answer to item 9 on a questionnaire that could not be saved, so a mistake elsewhere
 * on the form can never hide it. One such task at a time per episode: resubmitting does not add another,
 * and the questionnaire, once saved, takes it over.
 */
export async function raiseSafetyTaskForUnsavedAnswers(
  db: Database,
  user: StaffUser,
  episodeId: string,
  requestId?: string,
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    await trx.selectFrom('episodes').select('id').where('id', '=', episodeId).forUpdate().executeTakeFirst();
    const existing = await repo.openUnlinkedSafetyTask(trx, episodeId);
    if (existing) return existing.id;
    const task = await repo.insertSafetyTask(trx, { episodeId, moodMeasureId: null, userId: user.id });
    await audit(
      trx,
      user,
      {
        action: 'create',
        entityType: 'safety_task',
        entityId: task.id,
        detail: 'PHQ-9 item 9 answered above 0 on a form not yet saved',
      },
      requestId,
    );
    return task.id;
  });
}

/** A task on an episode of the user's service, or 404. */
export async function viewSafetyTask(
  db: Database,
  user: StaffUser,
  episodeId: string,
  taskId: string,
  requestId?: string,
) {
  if (!isUuid(taskId) || !isUuid(episodeId)) throw notFound('Safety task not found');
  const task = await repo.findSafetyTask(db, serviceScope(user), episodeId, taskId);
  if (!task) throw notFound('Safety task not found');
  await audit(db, user, { action: 'view', entityType: 'safety_task', entityId: taskId }, requestId);
  return task;
}

/** Records what was done. 404 outside the user's service; 409 (with who did it) if already completed. */
export async function completeSafetyTask(
  db: Database,
  user: StaffUser,
  episodeId: string,
  taskId: string,
  input: SafetyCompletion,
  requestId?: string,
) {
  if (!isUuid(taskId) || !isUuid(episodeId)) throw notFound('Safety task not found');
  return db.transaction().execute(async (trx) => {
    const task = await repo.findSafetyTask(trx, serviceScope(user), episodeId, taskId, { forUpdate: true });
    if (!task) throw notFound('Safety task not found');
    if (task.completed_at) {
      throw new HttpError(
        409,
        'This safety task has already been completed',
        `${task.completed_by_name ?? 'Someone'} completed it. What you typed has not been saved.`,
      );
    }
    const done = await repo.completeSafetyTask(trx, taskId, {
      userId: user.id,
      actionTaken: actionTakenText(input),
    });
    if (!done)
      throw new HttpError(
        409,
        'This safety task has already been completed',
        'What you typed has not been saved.',
      );
    await audit(
      trx,
      user,
      { action: 'update', entityType: 'safety_task', entityId: taskId, detail: 'completed' },
      requestId,
    );
    return { taskId };
  });
}
