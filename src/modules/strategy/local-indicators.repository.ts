import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { isCountCode, type CountCode } from './local-indicator-counts.ts';
import type { LocalIndicatorInput } from './local-indicators.schemas.ts';

// SQL only: who may, what is valid and what a change says are in local-indicators.service.ts.

type Db = Kysely<DB> | Transaction<DB>;

export type LocalIndicatorRow = LocalIndicatorInput & {
  id: string;
  localAuthorityCode: string;
  authorityName: string;
  createdAt: Date;
  updatedAt: Date;
  retiredAt: Date | null;
};

export type LocalIndicatorChange = {
  id: number;
  occurredAt: Date;
  actorName: string | null;
  summary: string;
  before: unknown;
  after: unknown;
};

const countOfRow = (code: string, id: string): CountCode => {
  if (!isCountCode(code))
    throw new Error(`Local indicator ${id} names a count Mortar does not know: ${code}`);
  return code;
};

function base(db: Db) {
  return db
    .selectFrom('local_indicators as i')
    .innerJoin('local_authorities as la', 'la.code', 'i.local_authority_code')
    .select([
      'i.id',
      'i.local_authority_code',
      'la.name as authority_name',
      'i.name',
      'i.definition',
      'i.numerator',
      'i.denominator',
      sql<number | null>`i.target::float8`.as('target'),
      'i.better',
      'i.created_at',
      'i.updated_at',
      'i.retired_at',
    ]);
}

type Raw = Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirstOrThrow']>>;

const rowOf = (r: Raw): LocalIndicatorRow => ({
  id: r.id,
  localAuthorityCode: r.local_authority_code,
  authorityName: r.authority_name,
  name: r.name,
  definition: r.definition,
  numerator: countOfRow(r.numerator, r.id),
  denominator: countOfRow(r.denominator, r.id),
  target: r.target,
  better: r.better === 'lower' ? 'lower' : 'higher',
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  retiredAt: r.retired_at,
});

/** An authority's indicators (or every authority's), in use first, then by when they were made. */
export async function listLocalIndicators(
  db: Db,
  authorities: readonly string[] | 'all',
  only: 'all' | 'in_use' = 'all',
): Promise<LocalIndicatorRow[]> {
  if (authorities !== 'all' && authorities.length === 0) return [];
  let q = base(db);
  if (authorities !== 'all') q = q.where('i.local_authority_code', 'in', [...authorities]);
  if (only === 'in_use') q = q.where('i.retired_at', 'is', null);
  const rows = await q
    .orderBy('la.name')
    .orderBy(sql`i.retired_at is not null`)
    .orderBy('i.created_at')
    .orderBy('i.id')
    .execute();
  return rows.map(rowOf);
}

export async function findLocalIndicator(db: Db, id: string): Promise<LocalIndicatorRow | null> {
  const r = await base(db).where('i.id', '=', id).executeTakeFirst();
  return r ? rowOf(r) : null;
}

/** The row locked for a change, so two people saving at once are written one after the other. */
export async function lockLocalIndicator(
  trx: Transaction<DB>,
  id: string,
): Promise<LocalIndicatorRow | null> {
  await trx.selectFrom('local_indicators').select('id').where('id', '=', id).forUpdate().execute();
  return findLocalIndicator(trx, id);
}

const fieldsOf = (f: LocalIndicatorInput) => ({
  name: f.name,
  definition: f.definition,
  numerator: f.numerator,
  denominator: f.denominator,
  target: f.target,
  better: f.better,
});

export async function insertLocalIndicator(
  db: Db,
  code: string,
  f: LocalIndicatorInput,
  userId: string,
  now: Date,
): Promise<string> {
  const row = await db
    .insertInto('local_indicators')
    .values({
      local_authority_code: code,
      ...fieldsOf(f),
      created_by: userId,
      created_at: now,
      updated_by: userId,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateLocalIndicator(
  db: Db,
  id: string,
  f: LocalIndicatorInput,
  userId: string,
  now: Date,
): Promise<void> {
  await db
    .updateTable('local_indicators')
    .set({ ...fieldsOf(f), updated_by: userId, updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function retireLocalIndicator(db: Db, id: string, userId: string, now: Date): Promise<void> {
  await db
    .updateTable('local_indicators')
    .set({ retired_by: userId, retired_at: now, updated_by: userId, updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function insertChange(
  db: Db,
  c: {
    indicatorId: string;
    actorUserId: string;
    occurredAt: Date;
    summary: string;
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
  },
): Promise<void> {
  await db
    .insertInto('local_indicator_changes')
    .values({
      local_indicator_id: c.indicatorId,
      actor_user_id: c.actorUserId,
      occurred_at: c.occurredAt,
      summary: c.summary.slice(0, 1000),
      before: c.before === null ? null : JSON.stringify(c.before),
      after: c.after === null ? null : JSON.stringify(c.after),
    })
    .execute();
}

/** Newest first. */
export async function listChanges(db: Db, indicatorId: string): Promise<LocalIndicatorChange[]> {
  const rows = await db
    .selectFrom('local_indicator_changes as c')
    .leftJoin('users as u', 'u.id', 'c.actor_user_id')
    .select(['c.id', 'c.occurred_at', 'u.name as actor_name', 'c.summary', 'c.before', 'c.after'])
    .where('c.local_indicator_id', '=', indicatorId)
    .orderBy('c.id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    occurredAt: r.occurred_at,
    actorName: r.actor_name,
    summary: r.summary,
    before: r.before,
    after: r.after,
  }));
}
