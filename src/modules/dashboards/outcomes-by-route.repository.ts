// The counts behind the comparison of routes: episodes that set a quit date in the quarter, of people with
// depression or anxiety, by route and by outcome as known on the day. Read from episode_facts, whose
// delivery_route is the holding organisation's route (migration 0022).
import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { IsoDate } from '../../platform/dates.ts';
import type { RouteOutcomesScope } from '../../platform/scope.ts';
import { lastCountedDay, outcomeAsOfSql } from '../returns/returns.sql.ts';
import { COMPARED_CONDITIONS, type RouteOutcomeCount } from './outcomes-by-route.ts';

function scopeFilter(scope: RouteOutcomesScope) {
  if (scope.kind === 'all') return sql`true`;
  if (scope.kind === 'local_authority') return sql`f.local_authority_code = ${scope.code}`;
  return sql`f.service_organisation_id = ${scope.organisationId}::uuid`;
}

export async function loadRouteOutcomeCounts(
  db: Database,
  scope: RouteOutcomesScope,
  period: { start: IsoDate; end: IsoDate },
  asOf: IsoDate,
): Promise<RouteOutcomeCount[]> {
  const { rows } = await sql<RouteOutcomeCount>`
    select route, outcome, count(*)::int as n from (
      select f.delivery_route as route, ${outcomeAsOfSql(asOf)} as outcome
      from episode_facts f
      where f.quit_date between ${period.start}::date and ${lastCountedDay(period.end, asOf)}::date
        and f.mental_health = any(${[...COMPARED_CONDITIONS]}::text[])
        and ${scopeFilter(scope)}
    ) x
    group by route, outcome
    order by route, outcome
  `.execute(db);
  return rows;
}

/** Whom the page is about: the authority's or the service's name, or England. */
export async function scopeName(db: Database, scope: RouteOutcomesScope): Promise<string> {
  if (scope.kind === 'all') return 'England';
  const row =
    scope.kind === 'local_authority'
      ? await db
          .selectFrom('local_authorities')
          .select('name')
          .where('code', '=', scope.code)
          .executeTakeFirst()
      : await db
          .selectFrom('organisations')
          .select('name')
          .where('id', '=', scope.organisationId)
          .executeTakeFirst();
  return row?.name ?? '';
}
