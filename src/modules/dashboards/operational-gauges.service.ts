// What an operator watches besides the machine: work waiting for people, across every service. Read when
// Prometheus scrapes /metrics (platform/metrics.ts), by the rules the service manager's dashboard uses,
// so the two never disagree about what "waiting" or "overdue" means.
import type { Database } from '../../db/database.ts';
import { addDays, type IsoDate } from '../../platform/dates.ts';
import { FOUR_WEEK_RULE } from '../episodes/four-week-outcome.ts';
import { openSafetyTaskTotal } from '../mood/safety.service.ts';
import type { ReferralStatus } from '../referrals/referral-status.ts';
import * as repo from './operational-gauges.repository.ts';
import { caseloadStage } from './service-dashboard.rules.ts';

/** Referrals not yet accepted or declined (nor withdrawn, nor found unreachable): still waiting. */
export const WAITING_STATUSES = ['received', 'contacted'] as const satisfies readonly ReferralStatus[];

export type OperationalCounts = {
  referralsWaiting: Record<(typeof WAITING_STATUSES)[number], number>;
  overdueFollowUps: number;
  openSafetyTasks: number;
};

/**
 * Open episodes whose four-week follow-up is overdue on `today` (caseloadStage's "follow_up_overdue").
 * Only quit dates that could be overdue are read, counted by day, and the rule decides each day.
 */
async function overdueFollowUps(db: Database, today: IsoDate): Promise<number> {
  const rows = await repo.openEpisodesByQuitDate(
    db,
    addDays(today, -FOUR_WEEK_RULE.windowClosesDay - 1),
    addDays(today, -FOUR_WEEK_RULE.dueDay),
  );
  return rows
    .filter((r) => caseloadStage(r.quit_date, today) === 'follow_up_overdue')
    .reduce((sum, r) => sum + Number(r.n), 0);
}

/** Every count at once, as of `today` in England. */
export async function operationalCounts(db: Database, today: IsoDate): Promise<OperationalCounts> {
  const [byStatus, overdue, safety] = await Promise.all([
    repo.referralCountsByStatus(db, WAITING_STATUSES),
    overdueFollowUps(db, today),
    openSafetyTaskTotal(db),
  ]);
  const waiting = Object.fromEntries(
    WAITING_STATUSES.map((s) => [s, 0]),
  ) as OperationalCounts['referralsWaiting'];
  for (const row of byStatus) waiting[row.status as keyof typeof waiting] = Number(row.n);
  return { referralsWaiting: waiting, overdueFollowUps: overdue, openSafetyTasks: safety };
}
