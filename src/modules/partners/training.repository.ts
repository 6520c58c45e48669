import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { PartnerScope } from '../../platform/scope.ts';
import { staffKey, type Course } from './training.ts';

// SQL only, for training records. Reads go through the partner's authority, so the scope decides.

type Executor = Pick<Database, 'selectFrom' | 'insertInto' | 'updateTable' | 'deleteFrom'>;

const COLUMNS = [
  'tr.id',
  'tr.partner_id',
  'tr.staff_name',
  'tr.staff_role',
  'tr.course',
  'tr.completed_on',
  'tr.renewal_due_on',
  'tr.created_at',
  'tr.updated_at',
] as const;

export type TrainingRow = {
  id: string;
  partner_id: string;
  staff_name: string;
  staff_role: string | null;
  course: string;
  completed_on: string;
  renewal_due_on: string | null;
};

export async function listTrainingForPartners(db: Executor, partnerIds: readonly string[]) {
  if (partnerIds.length === 0) return [];
  return db
    .selectFrom('training_records as tr')
    .select(COLUMNS)
    .where('tr.partner_id', 'in', [...partnerIds])
    .orderBy('tr.staff_name')
    .orderBy('tr.completed_on', 'desc')
    .execute();
}

/** Every training record of the authority's partners (every authority's for a national scope, or one asked for). */
export async function listTrainingInScope(
  db: Executor,
  scope: PartnerScope,
  filter: { authority?: string | undefined; course?: string | undefined } = {},
) {
  const code = scope.kind === 'local_authority' ? scope.code : filter.authority;
  let q = db
    .selectFrom('training_records as tr')
    .innerJoin('partners as p', 'p.id', 'tr.partner_id')
    .innerJoin('local_authorities as la', 'la.code', 'p.local_authority_code')
    .select([
      ...COLUMNS,
      'p.name as partner_name',
      'p.status as partner_status',
      'p.joined_on',
      'p.local_authority_code',
      'la.name as authority_name',
    ]);
  if (code) q = q.where('p.local_authority_code', '=', code);
  if (filter.course) q = q.where('tr.course', '=', filter.course);
  return q.orderBy('tr.staff_name').orderBy('tr.id').execute();
}

export async function findTraining(db: Executor, partnerId: string, id: string) {
  return db
    .selectFrom('training_records as tr')
    .select(COLUMNS)
    .where('tr.partner_id', '=', partnerId)
    .where('tr.id', '=', id)
    .executeTakeFirst();
}

export type TrainingValues = {
  staffName: string;
  staffRole: string | null;
  course: Course;
  completedOn: string;
  renewalDueOn: string;
};

export async function insertTraining(
  db: Executor,
  partnerId: string,
  v: TrainingValues,
  userId: string | null,
): Promise<string> {
  const row = await db
    .insertInto('training_records')
    .values({
      partner_id: partnerId,
      staff_name: v.staffName,
      staff_key: staffKey(v.staffName),
      staff_role: v.staffRole,
      course: v.course,
      completed_on: v.completedOn,
      renewal_due_on: v.renewalDueOn,
      recorded_by: userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateTraining(
  db: Executor,
  partnerId: string,
  id: string,
  v: TrainingValues,
  userId: string | null,
): Promise<void> {
  await db
    .updateTable('training_records')
    .set({
      staff_name: v.staffName,
      staff_key: staffKey(v.staffName),
      staff_role: v.staffRole,
      course: v.course,
      completed_on: v.completedOn,
      renewal_due_on: v.renewalDueOn,
      recorded_by: userId,
      updated_at: new Date(),
    })
    .where('partner_id', '=', partnerId)
    .where('id', '=', id)
    .execute();
}

export async function deleteTraining(db: Executor, partnerId: string, id: string): Promise<boolean> {
  const r = await db
    .deleteFrom('training_records')
    .where('partner_id', '=', partnerId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Partners in any authority that stand for an organisation in Mortar. */
export async function partnersOfOrganisation(db: Executor, organisationId: string) {
  return db
    .selectFrom('partners')
    .select(['id', 'name', 'local_authority_code'])
    .where('organisation_id', '=', organisationId)
    .orderBy('name')
    .execute();
}

/**
 * The one record of a course a user completed in Mortar, at one partner: made at the first completion,
 * moved on to the latest at every one after (never back to an earlier date). Returns its id and whether
 * it was new, or null when a later completion is already recorded. (`xmax = 0` is PostgreSQL's mark of a
 * row this statement inserted rather than updated.)
 */
export async function upsertUserTraining(
  db: Executor,
  partnerId: string,
  user: { id: string; name: string },
  v: { course: Course; completedOn: string; renewalDueOn: string },
): Promise<{ id: string; created: boolean } | null> {
  const row = await db
    .insertInto('training_records')
    .values({
      partner_id: partnerId,
      user_id: user.id,
      staff_name: user.name,
      staff_key: staffKey(user.name),
      staff_role: null,
      course: v.course,
      completed_on: v.completedOn,
      renewal_due_on: v.renewalDueOn,
      recorded_by: user.id,
    })
    .onConflict((oc) =>
      oc
        .columns(['partner_id', 'user_id', 'course'])
        .where('user_id', 'is not', null)
        .doUpdateSet({
          staff_name: user.name,
          staff_key: staffKey(user.name),
          completed_on: v.completedOn,
          renewal_due_on: v.renewalDueOn,
          recorded_by: user.id,
          updated_at: new Date(),
        })
        .where('training_records.completed_on', '<=', v.completedOn),
    )
    .returning(['id', sql<boolean>`(xmax = 0)`.as('created')])
    .executeTakeFirst();
  return row ? { id: row.id, created: row.created } : null;
}
