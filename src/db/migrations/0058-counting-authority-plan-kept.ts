import { sql, type Kysely } from 'kysely';

// Issue 15, speed: counting_authority (migration 0018) was an SQL function, which PostgreSQL cannot inline
// because of its sub-select, so its query was planned again at every call from a statement of one row:
// 0.25 ms of the server's planning for each referral made (bench:api-profile; the referral's facts read it
// through referral_fact_source). The same body in PL/pgSQL keeps its plan for the connection. Same
// arguments, same result, same rule (counting-authority.db.test.ts compares it with the pure rule of
// counting-authority.ts); over a year of episodes at national scale (240,000 calls in one statement) both
// took 3.5 to 3.8 s.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function counting_authority(service uuid, recorded text, on_day date) returns text
    language plpgsql stable as $fn$
    begin
      return coalesce((
        select c.local_authority_code from commissions c
        where c.service_organisation_id = service
          and c.starts_on <= on_day and (c.ends_on is null or c.ends_on >= on_day)
        order by case when c.local_authority_code is not distinct from recorded then 0 else 1 end,
          c.local_authority_code, c.id
        limit 1), recorded);
    end
    $fn$;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
