import type { Database, Executor } from '../../db/database.ts';
import type { Milestone, MilestoneChange } from './trajectory.ts';

// The national trajectory's milestones and the history of every change to them (migration 0025).

export async function loadMilestones(db: Executor): Promise<Milestone[]> {
  const rows = await db
    .selectFrom('national_milestones')
    .select(['financial_year', 'target'])
    .orderBy('financial_year')
    .execute();
  return rows.map((r) => ({ financialYear: r.financial_year, target: r.target }));
}

export type HistoryRow = MilestoneChange & { occurredAt: Date; actorName: string | null };

/** The latest changes first. */
export async function loadHistory(db: Database, limit = 100): Promise<HistoryRow[]> {
  const rows = await db
    .selectFrom('national_milestone_changes as c')
    .leftJoin('users as u', 'u.id', 'c.actor_user_id')
    .select(['c.financial_year', 'c.before', 'c.after', 'c.occurred_at', 'u.name as actor_name'])
    .orderBy('c.occurred_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    financialYear: r.financial_year,
    before: r.before,
    after: r.after,
    occurredAt: r.occurred_at,
    actorName: r.actor_name,
  }));
}

/** Applies the changes and records each one, in the caller's transaction. */
export async function applyChanges(
  trx: Executor,
  changes: readonly MilestoneChange[],
  userId: string,
  now: Date,
): Promise<void> {
  for (const c of changes) {
    if (c.after === null) {
      await trx.deleteFrom('national_milestones').where('financial_year', '=', c.financialYear).execute();
    } else {
      await trx
        .insertInto('national_milestones')
        .values({ financial_year: c.financialYear, target: c.after, updated_at: now, updated_by: userId })
        .onConflict((oc) =>
          oc.column('financial_year').doUpdateSet({ target: c.after!, updated_at: now, updated_by: userId }),
        )
        .execute();
    }
    await trx
      .insertInto('national_milestone_changes')
      .values({
        financial_year: c.financialYear,
        before: c.before,
        after: c.after,
        actor_user_id: userId,
        occurred_at: now,
      })
      .execute();
  }
}
