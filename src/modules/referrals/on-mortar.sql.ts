// Whether a service reads referrals in Mortar, in SQL: the one place a query says so, so routing (which
// sends a referral only there) and the public finder (which offers "Refer yourself" only there) cannot
// disagree. A service reads referrals when its organisation is open and has an active adviser or service
// manager, the roles of the worklist; otherwise a referral would wait for nobody.
import { sql, type RawBuilder } from 'kysely';

/** The roles whose members read a service's referrals (the worklist's). */
export const READS_REFERRALS = ['adviser', 'service_manager'] as const;

/** True when the organisation whose id is the column `organisationIdColumn` reads referrals in Mortar. */
export function onMortarSql(organisationIdColumn: string): RawBuilder<boolean> {
  return sql<boolean>`exists (
    select 1 from organisations mo join users mu on mu.organisation_id = mo.id
    where mo.id = ${sql.ref(organisationIdColumn)} and mo.active and mu.active
      and mu.role in (${sql.join(READS_REFERRALS.map((r) => sql.lit(r)))}))`;
}
