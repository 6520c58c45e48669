import { sql } from 'kysely';
import type { Executor } from './database.ts';

/**
 * Schemas a forced restore on a server moves the old tables into (backup-server.ts). They are the old
 * database kept, not Mortar's: never counted, never backed up again.
 */
export const ASIDE_SCHEMA_PREFIX = 'mortar_before_restore_';

export type DatabaseFacts = {
  postgresVersion: string;
  /** Mortar's migrations applied, in the order they were (none in an empty database). */
  migrations: string[];
  /** Rows per table, `schema.table`: every ordinary and partitioned table outside PostgreSQL's own schemas. */
  tables: Record<string, number>;
};

/** Every table outside PostgreSQL's own schemas and the moved-aside ones, as `schema.table`. */
export async function listTables(db: Executor): Promise<{ schema: string; name: string }[]> {
  const { rows } = await sql<{ schema: string; name: string }>`
    select n.nspname as schema, c.relname as name
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p')
      and n.nspname not in ('pg_catalog', 'information_schema')
      and n.nspname not like 'pg\\_%'
      and not starts_with(n.nspname, ${ASIDE_SCHEMA_PREFIX})
    order by 1, 2`.execute(db);
  return rows;
}

/** Mortar's applied migrations, oldest first; none when the database has never been migrated. */
export async function appliedMigrations(db: Executor): Promise<string[]> {
  const { rows: exists } = await sql<{ t: string | null }>`
    select to_regclass('public.mortar_migrations')::text as t`.execute(db);
  if (!exists[0]?.t) return [];
  const { rows } = await sql<{ name: string }>`
    select name from public.mortar_migrations order by timestamp, name`.execute(db);
  return rows.map((r) => r.name);
}

/**
 * What a backup's manifest records of a database, read in the caller's transaction or session, so a
 * server's counts are those of the snapshot pg_dump is given. Counts only: no row's contents are read.
 */
export async function describeDatabase(db: Executor): Promise<DatabaseFacts> {
  const { rows: version } = await sql<{ v: string }>`select current_setting('server_version') as v`.execute(
    db,
  );
  const tables: Record<string, number> = {};
  for (const t of await listTables(db)) {
    const { rows } = await sql<{ n: number | string }>`
      select count(*) as n from ${sql.id(t.schema, t.name)}`.execute(db);
    tables[`${t.schema}.${t.name}`] = Number(rows[0]?.n ?? 0);
  }
  return { postgresVersion: version[0]?.v ?? 'unknown', migrations: await appliedMigrations(db), tables };
}
