import type { Database } from '../../db/database.ts';

// SQL only, for attempts at the Very Brief Advice module's knowledge check.

type Executor = Pick<Database, 'selectFrom' | 'insertInto'>;

export type AttemptValues = {
  userId: string;
  organisationId: string;
  takenOn: string;
  score: number;
  total: number;
  passed: boolean;
  answers: Record<string, string>;
};

export async function insertAttempt(db: Executor, v: AttemptValues): Promise<string> {
  const row = await db
    .insertInto('vba_attempts')
    .values({
      user_id: v.userId,
      organisation_id: v.organisationId,
      taken_on: v.takenOn,
      score: v.score,
      total: v.total,
      passed: v.passed,
      answers: JSON.stringify(v.answers),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The user's latest attempt, pass or fail. */
export async function latestAttempt(db: Executor, userId: string) {
  return db
    .selectFrom('vba_attempts')
    .select(['id', 'taken_on', 'score', 'total', 'passed', 'answers'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}

/** The day the user last passed, or null when they never have. */
export async function lastPassedOn(db: Executor, userId: string): Promise<string | null> {
  const row = await db
    .selectFrom('vba_attempts')
    .select((eb) => eb.fn.max('taken_on').as('on'))
    .where('user_id', '=', userId)
    .where('passed', '=', true)
    .executeTakeFirst();
  return row?.on ?? null;
}
