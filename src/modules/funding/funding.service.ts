import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import type { IsoDate } from '../../platform/dates.ts';
import type { StaffUser } from '../../platform/roles.ts';
import type { AreaScope } from '../../platform/scope.ts';
import { financialYearLabel } from '../../platform/quarters.ts';
import * as repo from './funding.repository.ts';
import {
  ASSUMPTIONS,
  assumptionChanges,
  estimateRollout,
  resolveAssumptions,
  type AssumptionChange,
  type AssumptionName,
} from './funding-estimate.ts';
import { figuresOf, summariseByRoute, type ServiceCosts } from './funding.ts';
import { formatPence } from '../../platform/money.ts';

// The funding case's reads and saves: each save in one transaction, audited; the page figures from the
// same counts the returns use (episode_facts) and the costs commissioners recorded.

export const periodOfYear = (financialYear: number) => ({
  financialYear,
  start: `${financialYear}-04-01` as IsoDate,
  end: `${financialYear + 1}-03-31` as IsoDate,
});

export async function fundingFigures(db: Database, scope: AreaScope, financialYear: number, asOf: IsoDate) {
  const services = await repo.loadServiceYears(db, scope, periodOfYear(financialYear), asOf);
  return {
    services: services.map((s) => ({ ...s, figures: figuresOf(s) })),
    routes: summariseByRoute(services),
  };
}

/** Mortar's own measures for the estimate: the integrated route's quit rate and cost per person this year. */
export async function measuredAssumptions(db: Database, financialYear: number, asOf: IsoDate) {
  const services = await repo.loadServiceYears(db, { kind: 'all' }, periodOfYear(financialYear), asOf);
  const integrated = summariseByRoute(services).find((r) => r.route === 'integrated')!;
  // The quit rate of every integrated quit attempt, costed or not: it does not depend on costs.
  const inside = services.filter((s) => s.route === 'integrated');
  const supported = inside.reduce((a, s) => a + s.supported, 0);
  const quits = inside.reduce((a, s) => a + s.quits, 0);
  return {
    quit_pct: supported > 0 ? Math.round((1000 * quits) / supported) / 10 : null,
    cost_per_person_pence: integrated.perPersonPence,
  } satisfies Partial<Record<AssumptionName, number | null>>;
}

export async function fundingEstimate(db: Database, financialYear: number, asOf: IsoDate) {
  const [saved, measured, history] = await Promise.all([
    repo.loadAssumptions(db),
    measuredAssumptions(db, financialYear, asOf),
    repo.loadAssumptionHistory(db),
  ]);
  const assumptions = resolveAssumptions(saved, measured);
  return { saved, assumptions, estimate: estimateRollout(assumptions), history };
}

export async function saveCosts(
  db: Database,
  user: StaffUser,
  service: { id: string; name: string },
  financialYear: number,
  costs: ServiceCosts,
  now: Date,
  requestId: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await repo.upsertCosts(trx, service.id, financialYear, costs, user.id, now);
    const parts = [
      costs.contractPence === null ? null : `contract ${formatPence(costs.contractPence)}`,
      costs.perPersonPence === null ? null : `per person ${formatPence(costs.perPersonPence)}`,
      costs.perQuitPence === null ? null : `per quit ${formatPence(costs.perQuitPence)}`,
    ].filter((p) => p !== null);
    await audit(
      trx,
      user,
      {
        action: 'update',
        entityType: 'service_costs',
        entityId: service.id,
        detail: `${service.name}, ${financialYearLabel(financialYear)}: ${parts.join('; ')}`,
      },
      requestId,
    );
  });
}

const labelOf = (name: AssumptionName) => ASSUMPTIONS.find((a) => a.name === name)!.label;

/** Saves the national team's assumptions; the changes made (none when nothing differed). */
export async function saveAssumptions(
  db: Database,
  user: StaffUser,
  next: Partial<Record<AssumptionName, number>>,
  now: Date,
  requestId: string,
): Promise<AssumptionChange[]> {
  return db.transaction().execute(async (trx) => {
    // Two people saving at once: the second waits and diffs against what the first saved.
    await sql`lock table funding_assumptions in share row exclusive mode`.execute(trx);
    const changes = assumptionChanges(await repo.loadAssumptions(trx), next);
    if (changes.length === 0) return changes;
    await repo.applyAssumptionChanges(trx, changes, user.id, now);
    await audit(
      trx,
      user,
      {
        action: 'update',
        entityType: 'funding_assumptions',
        entityId: null,
        detail: changes
          .map((c) => `${labelOf(c.name)}: ${c.before ?? 'not set'} to ${c.after ?? 'not set'}`)
          .join('; ')
          .slice(0, 1000),
      },
      requestId,
    );
    return changes;
  });
}
