import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { ENGLAND_TODAY } from '../../db/england-date.sql.ts';

// SQL only: the directory's version stamp (migration 0047).

/**
 * What the published directory depends on, as one string: the version the triggers move and England's
 * date by the database's clock (a commission ends, and a place's opening times stop showing, at midnight
 * with no edit). Equal stamps mean the same published directory.
 */
export async function directoryStamp(db: Executor): Promise<string> {
  const row = await sql<{ stamp: string }>`
    select v.version::text || '@' || (${ENGLAND_TODAY})::text as stamp from directory_version v`.execute(db);
  const stamp = row.rows[0]?.stamp;
  if (!stamp) throw new Error('directory_version has no row (migration 0047)');
  return stamp;
}
