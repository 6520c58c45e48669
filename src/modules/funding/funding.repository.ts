import { sql } from 'kysely';
import type { Database, Executor } from '../../db/database.ts';
import type { IsoDate } from '../../platform/dates.ts';
import type { AreaScope } from '../../platform/scope.ts';
import { DELIVERING_TYPES, deliveryRouteOf } from '../organisations/delivery-route.ts';
import { lastCountedDay, outcomeAsOfSql } from '../returns/returns.sql.ts';
import { OUTCOMES } from '../episodes/four-week-outcome.ts';
import { EPISODE_MEASURE_RULES } from '../returns/return-measures.ts';
import type { AssumptionChange, AssumptionName } from './funding-estimate.ts';
import type { ServiceCosts, ServiceYear } from './funding.ts';

// Service costs and the people each service supported in a year (episode_facts, as the returns count
// them), and the national team's assumptions with their history (migration 0029).

/** Quit at four weeks by the national rule: self-reported, CO-verified included. */
const QUIT_OUTCOMES = OUTCOMES.filter((o) => EPISODE_MEASURE_RULES.quitSelfReported(o));

const toNumber = (v: string | number | null): number | null => (v === null ? null : Number(v));

type Row = {
  id: string;
  name: string;
  type: string;
  local_authority_code: string | null;
  contract_value_pence: string | null;
  per_person_pence: number | null;
  per_quit_pence: number | null;
  has_costs: boolean;
  supported: number;
  quits: number;
};

/** Every service that may run quit attempts in the scope, with its costs and counts for the year. */
export async function loadServiceYears(
  db: Database,
  scope: AreaScope,
  period: { financialYear: number; start: IsoDate; end: IsoDate },
  asOf: IsoDate,
): Promise<ServiceYear[]> {
  const where = scope.kind === 'all' ? sql`true` : sql`o.local_authority_code = ${scope.code}`;
  const { rows } = await sql<Row>`
    with counted as (
      select f.service_organisation_id, ${outcomeAsOfSql(asOf)} as outcome
      from episode_facts f
      where f.quit_date between ${period.start}::date and ${lastCountedDay(period.end, asOf)}::date
    )
    select o.id, o.name, o.type, o.local_authority_code,
      c.contract_value_pence, c.per_person_pence, c.per_quit_pence, c.service_organisation_id is not null as has_costs,
      (select count(*)::int from counted x where x.service_organisation_id = o.id) as supported,
      (select count(*)::int from counted x where x.service_organisation_id = o.id
        and x.outcome = any(${QUIT_OUTCOMES}::text[])) as quits
    from organisations o
    left join service_costs c on c.service_organisation_id = o.id and c.financial_year = ${period.financialYear}
    where o.type = any(${[...DELIVERING_TYPES]}::text[]) and ${where}
    order by o.name, o.id
  `.execute(db);
  return rows.map((r) => ({
    serviceId: r.id,
    name: r.name,
    localAuthorityCode: r.local_authority_code,
    route: deliveryRouteOf(r.type),
    costs: r.has_costs
      ? {
          contractPence: toNumber(r.contract_value_pence),
          perPersonPence: r.per_person_pence,
          perQuitPence: r.per_quit_pence,
        }
      : null,
    supported: r.supported,
    quits: r.quits,
  }));
}

export async function findService(db: Database, id: string) {
  return db
    .selectFrom('organisations')
    .select(['id', 'name', 'type', 'local_authority_code'])
    .where('id', '=', id)
    .where('type', 'in', [...DELIVERING_TYPES])
    .executeTakeFirst();
}

export async function loadCosts(db: Executor, serviceId: string, financialYear: number) {
  const r = await db
    .selectFrom('service_costs')
    .selectAll()
    .where('service_organisation_id', '=', serviceId)
    .where('financial_year', '=', financialYear)
    .executeTakeFirst();
  if (!r) return null;
  return {
    costs: {
      contractPence: toNumber(r.contract_value_pence),
      perPersonPence: r.per_person_pence,
      perQuitPence: r.per_quit_pence,
    } satisfies ServiceCosts,
    updatedAt: r.updated_at,
  };
}

export async function upsertCosts(
  trx: Executor,
  serviceId: string,
  financialYear: number,
  costs: ServiceCosts,
  userId: string,
  now: Date,
): Promise<void> {
  const values = {
    contract_value_pence: costs.contractPence,
    per_person_pence: costs.perPersonPence,
    per_quit_pence: costs.perQuitPence,
    updated_at: now,
    updated_by: userId,
  };
  await trx
    .insertInto('service_costs')
    .values({ service_organisation_id: serviceId, financial_year: financialYear, ...values })
    .onConflict((oc) => oc.columns(['service_organisation_id', 'financial_year']).doUpdateSet(values))
    .execute();
}

export async function loadAssumptions(db: Executor): Promise<Partial<Record<AssumptionName, number>>> {
  const rows = await db.selectFrom('funding_assumptions').select(['name', 'value']).execute();
  return Object.fromEntries(rows.map((r) => [r.name, Number(r.value)]));
}

export async function applyAssumptionChanges(
  trx: Executor,
  changes: readonly AssumptionChange[],
  userId: string,
  now: Date,
): Promise<void> {
  for (const c of changes) {
    if (c.after === null) await trx.deleteFrom('funding_assumptions').where('name', '=', c.name).execute();
    else
      await trx
        .insertInto('funding_assumptions')
        .values({ name: c.name, value: c.after, updated_at: now, updated_by: userId })
        .onConflict((oc) =>
          oc.column('name').doUpdateSet({ value: c.after!, updated_at: now, updated_by: userId }),
        )
        .execute();
    await trx
      .insertInto('funding_assumption_changes')
      .values({ name: c.name, before: c.before, after: c.after, actor_user_id: userId, occurred_at: now })
      .execute();
  }
}

export type AssumptionHistoryRow = AssumptionChange & { occurredAt: Date; actorName: string | null };

export async function loadAssumptionHistory(db: Database, limit = 100): Promise<AssumptionHistoryRow[]> {
  const rows = await db
    .selectFrom('funding_assumption_changes as c')
    .leftJoin('users as u', 'u.id', 'c.actor_user_id')
    .select(['c.name', 'c.before', 'c.after', 'c.occurred_at', 'u.name as actor_name'])
    .orderBy('c.occurred_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    name: r.name as AssumptionName,
    before: toNumber(r.before),
    after: toNumber(r.after),
    occurredAt: r.occurred_at,
    actorName: r.actor_name,
  }));
}
