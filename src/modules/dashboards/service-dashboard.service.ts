// The service manager's dashboard: caseload, waiting times, outcomes by adviser and by mode of support,
// overdue follow-ups and open safety tasks, for the manager's own service (serviceScope). What it reads is
// worked out here and laid out as tables by service-dashboard-tables.ts, which the page shows and the CSV
// export writes, so the two always agree. Lists that name people (overdue follow-ups, safety tasks) and
// list referrals are audited.
import type { Database } from '../../db/database.ts';
import { auditMany, audit, type AuditAction } from '../../platform/audit.ts';
import type { StaffUser } from '../../platform/roles.ts';
import { serviceScope, type ServiceScope } from '../../platform/scope.ts';
import { daysBetween, type IsoDate } from '../../platform/dates.ts';
import { openSafetyTasksForService } from '../mood/safety.service.ts';
import { quarterLabel, quarterRange, type Period } from '../../platform/quarters.ts';
import * as repo from './service-dashboard.repository.ts';
import {
  caseloadStage,
  daysFrom,
  followUpAttention,
  tallyOutcomes,
  waitOf,
  type Stage,
  type Wait,
} from './service-dashboard.rules.ts';
import {
  caseloadTables,
  outcomeTables,
  overdueTable,
  safetyTable,
  waitingTables,
  type OpenEpisode,
  type Table,
  type TableKey,
} from './service-dashboard-tables.ts';

export type Dashboard = {
  period: Period;
  periodLabel: string;
  range: { start: IsoDate; end: IsoDate };
  today: IsoDate;
  /** The chosen quarter has not ended: its figures are so far, and outcomes are still coming in. */
  partial: boolean;
  totals: { open: number; waitingNow: number; overdue: number; closingSoon: number; safetyTasks: number };
  waits: { contact: Wait; session: Wait };
  tables: Record<TableKey, Table>;
  /** Ids read for the lists that show people or referrals, for the audit. */
  shown: { episodes: string[]; safetyTasks: string[]; referrals: string[] };
};

/** Open episodes past day 28, most urgent (fewest days left to record the outcome) first. */
function overdueFollowUps<E extends OpenEpisode & { quit_date: IsoDate | null }>(
  open: readonly E[],
  stageOf: ReadonlyMap<string, Stage>,
  today: IsoDate,
) {
  return open
    .filter((e) => e.quit_date && stageOf.get(e.id) === 'follow_up_overdue')
    .map((e) => ({ ...e, attention: followUpAttention(e.quit_date!, today) }))
    .sort((a, b) => a.attention.daysLeft - b.attention.daysLeft);
}

/** The names of the people on the listed episodes; only those lists name anyone. */
async function namesOf(db: Database, scope: ServiceScope, ids: readonly string[]) {
  const rows = await repo.episodesNamed(db, scope, ids);
  return new Map(rows.map((p) => [p.id, `${p.given_name} ${p.family_name}`]));
}

/** Everything on the dashboard for the user's own service, for one quarter, as known on `today`. */
export async function serviceDashboard(
  db: Database,
  user: StaffUser,
  period: Period,
  today: IsoDate,
): Promise<Dashboard> {
  const scope = serviceScope(user);
  const range = quarterRange(period.financialYear, period.quarter);
  const [open, referralWaits, waiting, facts, tasks] = await Promise.all([
    repo.openEpisodes(db, scope),
    repo.referralWaits(db, scope, range.start, range.end),
    repo.referralsWaiting(db, scope),
    repo.outcomeFacts(db, scope, range.start, range.end),
    openSafetyTasksForService(db, scope.organisationId),
  ]);
  // Caseload now: every open episode in one stage.
  const stageOf = new Map(open.map((e) => [e.id, caseloadStage(e.quit_date, today)]));
  // Waiting times for referrals received in the quarter.
  const waits = {
    contact: waitOf(referralWaits.map((w) => daysFrom(w.received_on, w.first_attempt_on))),
    session: waitOf(referralWaits.map((w) => daysFrom(w.received_on, w.first_session_on))),
  };
  // Outcomes for quit dates in the quarter, by the outcome known today.
  const counted = facts.filter((f) => daysBetween(f.quitDate, today) >= 0);
  const all = tallyOutcomes(counted, today);
  const overdue = overdueFollowUps(open, stageOf, today);
  const names = await namesOf(
    db,
    scope,
    overdue.map((e) => e.id),
  );
  const tables: Record<TableKey, Table> = {
    ...caseloadTables(open, stageOf),
    ...waitingTables(period, waits, waiting, today),
    ...outcomeTables(counted, all, today),
    'overdue-follow-ups': overdueTable(overdue, names, today),
    'safety-tasks': safetyTable(tasks, today),
  };
  return {
    period,
    periodLabel: quarterLabel(period.financialYear, period.quarter),
    range,
    today,
    partial: daysBetween(range.end, today) <= 0,
    totals: {
      open: open.length,
      waitingNow: waiting.length,
      overdue: overdue.length,
      closingSoon: overdue.filter((e) => e.attention.closingSoon).length,
      safetyTasks: tasks.length,
    },
    waits,
    tables,
    shown: {
      episodes: overdue.map((e) => e.id),
      safetyTasks: tasks.map((t) => t.id),
      referrals: waiting.map((r) => r.id),
    },
  };
}

/**
 * Audits what a page view or an export showed: each named person's episode, safety task and referral
 * listed, and for an export of figures only, one row saying which table was taken.
 */
export async function auditDashboard(
  db: Database,
  user: StaffUser,
  d: Dashboard,
  action: Extract<AuditAction, 'list' | 'export'>,
  only: TableKey | null,
  requestId?: string,
): Promise<void> {
  const wants = (k: TableKey) => only === null || only === k;
  if (wants('overdue-follow-ups')) await auditMany(db, user, action, 'episode', d.shown.episodes, requestId);
  if (wants('safety-tasks')) await auditMany(db, user, action, 'safety_task', d.shown.safetyTasks, requestId);
  if (wants('waiting-now')) await auditMany(db, user, action, 'referral', d.shown.referrals, requestId);
  if (action === 'export' && only && !['overdue-follow-ups', 'safety-tasks', 'waiting-now'].includes(only)) {
    await audit(
      db,
      user,
      { action, entityType: 'service_dashboard', detail: `${only}, ${d.periodLabel}` },
      requestId,
    );
  }
}
