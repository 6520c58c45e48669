// The submitted authority returns of a quarter with their written exception reasons, for the national
// collection's layout. Integrated-delivery returns are Mortar's own and not part of the national collection.
import { sql } from 'kysely';
import type { QuarterlyReturn } from './return-definition.ts';
import { parsed, type Executor } from './returns.sql.ts';

export async function submittedAuthorityReturns(db: Executor, financialYear: number, quarter: number) {
  const { rows } = await sql<{ code: string; data: unknown; reasons: unknown }>`
    select r.local_authority_code as code, v.data, v.exception_reasons as reasons
    from returns r
    join return_versions v on v.return_id = r.id and v.version = r.current_version
    where r.financial_year = ${financialYear} and r.quarter = ${quarter} and r.status = 'submitted'
      and r.local_authority_code is not null
    order by r.local_authority_code
  `.execute(db);
  return rows.map((r) => ({
    code: r.code,
    data: parsed(r.data) as QuarterlyReturn,
    reasons: (parsed(r.reasons) ?? {}) as Record<string, string>,
  }));
}
