// The records behind a return's figures and validation issues, for the service that holds them: its own
// referrals and episodes with the person's name, to link to; other organisations by name only.
import { sql } from 'kysely';
import { londonDate, type Executor } from './returns.sql.ts';

/** Of these referrals, the ones the service received, with the person's name (the service's own records). */
export async function referralsOfService(db: Executor, serviceId: string, referralIds: readonly string[]) {
  if (referralIds.length === 0) return [];
  return db
    .selectFrom('referrals as r')
    .select([
      'r.id',
      'r.reference',
      'r.given_name',
      'r.family_name',
      sql<string>`to_char(${londonDate(sql`r.created_at`)}, 'YYYY-MM-DD')`.as('received_on'),
    ])
    .where('r.id', 'in', [...referralIds])
    .where('r.service_organisation_id', '=', serviceId)
    .orderBy('r.family_name')
    .orderBy('r.given_name')
    .execute();
}

/** Organisations' names, by id. */
export async function organisationNames(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('organisations')
    .select(['id', 'name'])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Of these episodes, the ones the service runs, with the person's name for the link (the service's own records). */
export async function episodesOfService(db: Executor, serviceId: string, episodeIds: readonly string[]) {
  if (episodeIds.length === 0) return [];
  return db
    .selectFrom('episodes as e')
    .innerJoin('people as p', 'p.id', 'e.person_id')
    .select(['e.id', 'e.quit_date', 'p.given_name', 'p.family_name'])
    .where('e.id', 'in', [...episodeIds])
    .where('e.service_organisation_id', '=', serviceId)
    .orderBy('p.family_name')
    .orderBy('p.given_name')
    .execute();
}
