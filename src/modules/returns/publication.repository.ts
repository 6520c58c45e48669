// Stored publications (migration 0020): what the public pages read. Only figures as published are kept.
import { sql } from 'kysely';
import type { Period } from '../../platform/quarters.ts';
import type { Publication } from './publication.ts';
import type { Executor } from './returns.sql.ts';

const parsed = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

export type PublishedQuarter = Period & { returns: number; publishedAt: Date };

/**
 * Keeps a quarter's publication. False when the quarter is published already: a quarter is published
 * once (a second publication could be subtracted from the first).
 */
export async function insertPublication(
  db: Executor,
  pub: Publication,
  returns: number,
  publishedBy: string,
  publishedAt: Date,
): Promise<boolean> {
  const rows = await db
    .insertInto('published_returns')
    .values({
      financial_year: pub.financialYear,
      quarter: pub.quarter,
      returns,
      data: JSON.stringify(pub),
      published_by: publishedBy,
      published_at: publishedAt,
    })
    .onConflict((oc) => oc.columns(['financial_year', 'quarter']).doNothing())
    .returning('id')
    .execute();
  return rows.length === 1;
}

/** Every published quarter, the latest first. */
export async function listPublications(db: Executor): Promise<PublishedQuarter[]> {
  const rows = await db
    .selectFrom('published_returns')
    .select(['financial_year', 'quarter', 'returns', 'published_at'])
    .orderBy('financial_year', 'desc')
    .orderBy('quarter', 'desc')
    .execute();
  return rows.map((r) => ({
    financialYear: r.financial_year,
    quarter: r.quarter as Period['quarter'],
    returns: r.returns,
    publishedAt: r.published_at,
  }));
}

/** A quarter's publication, or undefined when it is not published. */
export async function findPublication(
  db: Executor,
  p: Period,
): Promise<(PublishedQuarter & { publication: Publication }) | undefined> {
  const row = await db
    .selectFrom('published_returns')
    .select(['financial_year', 'quarter', 'returns', 'published_at', 'data'])
    .where('financial_year', '=', p.financialYear)
    .where('quarter', '=', p.quarter)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    financialYear: row.financial_year,
    quarter: row.quarter as Period['quarter'],
    returns: row.returns,
    publishedAt: row.published_at,
    publication: parsed(row.data) as Publication,
  };
}

/** Whether the quarter is published (without reading its figures). */
export async function isPublished(db: Executor, p: Period): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from published_returns
    where financial_year = ${p.financialYear} and quarter = ${p.quarter}`.execute(db);
  return (rows[0]?.n ?? 0) > 0;
}
