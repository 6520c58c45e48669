// The adviser's tasks from messages: what a person answered to a check-in, and messages that could not be
// delivered. Listed on the caseload and the episode page in working order (message-tasks.ts), marked done
// with a note; scoped to the service and audited.
import type { Database, Executor } from '../../db/database.ts';
import { audit, auditMany } from '../../platform/audit.ts';
import { HttpError, notFound } from '../../platform/errors.ts';
import type { StaffUser } from '../../platform/roles.ts';
import { serviceScope } from '../../platform/scope.ts';
import { findEpisode } from '../episodes/episode.service.ts';
import { orderTasks, TASK_ADVICE, TASK_LABELS, type TaskKind } from './message-tasks.ts';
import * as repo from './messages.repository.ts';

const labelled = <T extends { kind: string }>(t: T) => ({
  ...t,
  label: TASK_LABELS[t.kind as TaskKind],
  advice: TASK_ADVICE[t.kind as TaskKind],
});

/** The service's open tasks, first to do first, for the top of the caseload; listing them is audited. */
export async function openTasksForService(db: Database, user: StaffUser, requestId?: string) {
  const rows = orderTasks(await repo.openTasksOfService(db, serviceScope(user).organisationId));
  await auditMany(db, user, 'list', 'episode', [...new Set(rows.map((r) => r.episode_id))], requestId);
  return rows.map(labelled);
}

/** The episode's tasks: open ones in working order, then those done, newest first. */
export async function tasksOfEpisode(db: Executor, episodeId: string) {
  const all = await repo.tasksOfEpisode(db, episodeId);
  return {
    open: orderTasks(all.filter((t) => !t.done_at)).map(labelled),
    done: all
      .filter((t) => t.done_at)
      .reverse()
      .map(labelled),
  };
}

async function scopedTask(db: Executor, user: StaffUser, episodeId: string, taskId: string) {
  const episode = await findEpisode(db, serviceScope(user), episodeId);
  if (!episode) throw notFound('Episode not found');
  const task = await repo.findTask(db, episode.id, taskId);
  if (!task) throw notFound('Task not found');
  return { episode, task: labelled(task) };
}

/** A task with its episode, within the user's service (404 otherwise); the read is audited. */
export async function viewTask(
  db: Database,
  user: StaffUser,
  episodeId: string,
  taskId: string,
  requestId?: string,
) {
  const found = await scopedTask(db, user, episodeId, taskId);
  await audit(db, user, { action: 'view', entityType: 'episode', entityId: found.episode.id }, requestId);
  return found;
}

export async function completeTask(
  db: Database,
  user: StaffUser,
  episodeId: string,
  taskId: string,
  note: string,
  now: Date,
  requestId?: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { episode, task } = await scopedTask(trx, user, episodeId, taskId);
    if (!(await repo.completeTask(trx, task.id, user.id, note, now)))
      throw new HttpError(409, 'This task is already done', 'Someone has already marked this task as done.');
    await audit(
      trx,
      user,
      {
        action: 'update',
        entityType: 'episode',
        entityId: episode.id,
        detail: `message task done: ${task.kind}`,
      },
      requestId,
    );
  });
}
