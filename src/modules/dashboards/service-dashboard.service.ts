// The service manager's dashboard: caseload, waiting times, outcomes by adviser and by mode of support,
// overdue follow-ups and open safety tasks, for the manager's own service (serviceScope). Each section is a
// table, which the page shows and the CSV export writes, so the two always agree; charts are drawn from the
// same tables. Lists that name people (overdue follow-ups, safety tasks) and list referrals are audited.
import type { Database } from '../../db/database.ts';
import { auditMany, audit, type AuditAction } from '../../platform/audit.ts';
import type { StaffUser } from '../../platform/roles.ts';
import { serviceScope } from '../../platform/scope.ts';
import { daysBetween, formatDate, type IsoDate } from '../../platform/dates.ts';
import { londonDate } from '../../platform/clock.ts';
import { DEFAULT_SETTINGS, INTERVENTION_SESSION_TYPES } from '../episodes/programme.ts';
import { openSafetyTasksForService } from '../mood/safety.service.ts';
import { quarterLabel, quarterRange, type Period } from '../../platform/quarters.ts';
import * as repo from './service-dashboard.repository.ts';
import {
  caseloadStage,
  daysFrom,
  followUpAttention,
  STAGE_LABELS,
  STAGES,
  tallyBy,
  tallyOutcomes,
  waitOf,
  type OutcomeTally,
  type Stage,
  type Wait,
} from './service-dashboard.rules.ts';

export const TABLE_KEYS = [
  'caseload-stage',
  'caseload-adviser',
  'waiting-times',
  'waiting-now',
  'outcomes-adviser',
  'outcomes-intervention',
  'outcomes-setting',
  'overdue-follow-ups',
  'safety-tasks',
] as const;
export type TableKey = (typeof TABLE_KEYS)[number];
export const isTableKey = (k: unknown): k is TableKey => TABLE_KEYS.includes(k as TableKey);

/** A cell: the value the CSV writes, the text the page shows, and a link where the row needs action. */
export type Cell = { value: string | number | null; text: string; href?: string; tag?: string };
export type Table = { key: TableKey; caption: string; headers: string[]; numeric: boolean[]; rows: Cell[][] };

const NO_ADVISER = 'No adviser assigned';
const NOT_RECORDED = 'Not recorded';
const int = (n: number): Cell => ({ value: n, text: n.toLocaleString('en-GB') });
const txt = (s: string, href?: string): Cell => ({ value: s, text: s, href });
const days = (n: number | null): Cell => ({
  value: n,
  text: n === null ? 'No data' : n.toLocaleString('en-GB', { maximumFractionDigits: 1 }),
});
const rate = (n: number | null): Cell => ({
  value: n === null ? null : Math.round(n * 10) / 10,
  text: n === null ? 'No data' : `${n.toFixed(1)}%`,
});
const date = (d: IsoDate, today: IsoDate): Cell => ({ value: d, text: formatDate(d, today) });

const OUTCOME_HEADERS = [
  'Set a quit date',
  'Quit at four weeks',
  'Quit, CO-verified',
  'Not quit',
  'Lost to follow-up',
  'Waiting for follow-up',
  'Quit rate',
  'CO-verified share of quits',
];
const outcomeCells = (t: OutcomeTally): Cell[] => [
  int(t.quitDates),
  int(t.quits),
  int(t.coVerified),
  int(t.notQuit),
  int(t.lost),
  int(t.pending),
  rate(t.quitRate),
  rate(t.coVerifiedShare),
];

function outcomeTable(
  key: TableKey,
  caption: string,
  first: string,
  groups: Map<string, OutcomeTally>,
  all: OutcomeTally,
): Table {
  const sorted = [...groups].sort(([a], [b]) => a.localeCompare(b, 'en-GB'));
  return {
    key,
    caption,
    headers: [first, ...OUTCOME_HEADERS],
    numeric: [false, ...OUTCOME_HEADERS.map(() => true)],
    rows: [...sorted.map(([k, t]) => [txt(k), ...outcomeCells(t)]), [txt('All'), ...outcomeCells(all)]],
  };
}

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

/** Everything on the dashboard for the user's own service, for one quarter, as known on `today`. */
export async function serviceDashboard(
  db: Database,
  user: StaffUser,
  period: Period,
  today: IsoDate,
): Promise<Dashboard> {
  const scope = serviceScope(user);
  const range = quarterRange(period.financialYear, period.quarter);
  const [open, waits, waiting, facts, tasks] = await Promise.all([
    repo.openEpisodes(db, scope),
    repo.referralWaits(db, scope, range.start, range.end),
    repo.referralsWaiting(db, scope),
    repo.outcomeFacts(db, scope, range.start, range.end),
    openSafetyTasksForService(db, scope.organisationId),
  ]);

  // Caseload now: every open episode in one stage.
  const stageOf = new Map(open.map((e) => [e.id, caseloadStage(e.quit_date, today)]));
  const byStage = new Map<Stage, number>(STAGES.map((s) => [s, 0]));
  const byAdviser = new Map<string, Map<Stage, number>>();
  for (const e of open) {
    const s = stageOf.get(e.id)!;
    byStage.set(s, byStage.get(s)! + 1);
    const who = e.adviser_name ?? NO_ADVISER;
    const m = byAdviser.get(who) ?? new Map<Stage, number>(STAGES.map((x) => [x, 0]));
    m.set(s, m.get(s)! + 1);
    byAdviser.set(who, m);
  }

  // Waiting times for referrals received in the quarter.
  const contact = waitOf(waits.map((w) => daysFrom(w.received_on, w.first_attempt_on)));
  const session = waitOf(waits.map((w) => daysFrom(w.received_on, w.first_session_on)));

  // Outcomes for quit dates in the quarter, by the outcome known today.
  const counted = facts.filter((f) => daysBetween(f.quitDate, today) >= 0);
  const all = tallyOutcomes(counted, today);

  // Overdue follow-ups: open episodes past day 28, most urgent (fewest days left) first.
  const overdue = open
    .filter((e) => e.quit_date && stageOf.get(e.id) === 'follow_up_overdue')
    .map((e) => ({ ...e, attention: followUpAttention(e.quit_date!, today) }))
    .sort((a, b) => a.attention.daysLeft - b.attention.daysLeft);
  const names = new Map(
    (
      await repo.episodesNamed(
        db,
        scope,
        overdue.map((e) => e.id),
      )
    ).map((p) => [p.id, `${p.given_name} ${p.family_name}`]),
  );

  const tables: Record<TableKey, Table> = {
    'caseload-stage': {
      key: 'caseload-stage',
      caption: 'Open episodes by stage',
      headers: ['Stage', 'Open episodes'],
      numeric: [false, true],
      rows: [
        ...STAGES.map((s) => [txt(STAGE_LABELS[s]), int(byStage.get(s)!)]),
        [txt('All open episodes'), int(open.length)],
      ],
    },
    'caseload-adviser': {
      key: 'caseload-adviser',
      caption: 'Open episodes by adviser and stage',
      headers: [
        'Adviser',
        'No quit date yet',
        'Quit date to come',
        'Before follow-up',
        'Follow-up due',
        'Follow-up overdue',
        'Window closed',
        'All open',
      ],
      numeric: [false, true, true, true, true, true, true, true],
      rows: [...byAdviser]
        .sort(([a], [b]) => a.localeCompare(b, 'en-GB'))
        .map(([who, m]) => [
          txt(who),
          ...STAGES.map((s) => int(m.get(s)!)),
          int([...m.values()].reduce((x, y) => x + y, 0)),
        ]),
    },
    'waiting-times': {
      key: 'waiting-times',
      caption: `Days from a referral being received, for referrals received in ${quarterLabel(period.financialYear, period.quarter)}`,
      headers: [
        'From referral received to',
        'Referrals received',
        'Reached this step',
        'Not reached yet',
        'Median (days)',
        '90th percentile (days)',
      ],
      numeric: [false, true, true, true, true, true],
      rows: [
        [
          txt('First contact attempt'),
          int(contact.received),
          int(contact.reached),
          int(contact.waiting),
          days(contact.median),
          days(contact.p90),
        ],
        [
          txt('First session attended'),
          int(session.received),
          int(session.reached),
          int(session.waiting),
          days(session.median),
          days(session.p90),
        ],
      ],
    },
    'waiting-now': {
      key: 'waiting-now',
      caption: 'Referrals waiting now with nobody yet reached, oldest first',
      headers: ['Referral', 'Referred by', 'Received', 'Days waiting', 'Failed contact attempts'],
      numeric: [false, false, false, true, true],
      rows: waiting.map((r) => [
        txt(r.reference, `/worklist/${r.id}`),
        txt(r.source === 'self' ? 'Self-referral' : (r.referrer_name ?? 'Not known')),
        date(r.received_on, today),
        int(Math.max(0, daysBetween(r.received_on, today))),
        int(Number(r.attempts ?? 0)),
      ]),
    },
    'outcomes-adviser': outcomeTable(
      'outcomes-adviser',
      'Four-week outcomes by adviser',
      'Adviser',
      tallyBy(counted, (f) => f.adviserName ?? NO_ADVISER, today),
      all,
    ),
    'outcomes-intervention': outcomeTable(
      'outcomes-intervention',
      'Four-week outcomes by type of support',
      'Type of support',
      tallyBy(counted, (f) => labelOf(INTERVENTION_SESSION_TYPES, f.interventionType), today),
      all,
    ),
    'outcomes-setting': outcomeTable(
      'outcomes-setting',
      'Four-week outcomes by setting',
      'Setting',
      tallyBy(counted, (f) => labelOf(DEFAULT_SETTINGS, f.setting), today),
      all,
    ),
    'overdue-follow-ups': {
      key: 'overdue-follow-ups',
      caption: 'Four-week follow-ups overdue, the window closing soonest first',
      headers: [
        'Person',
        'Adviser',
        'Quit date',
        'Follow-up was due',
        'Days overdue',
        'Days left to record it',
      ],
      numeric: [false, false, false, false, true, true],
      rows: overdue.map((e) => [
        txt(names.get(e.id) ?? 'Name not available', `/episodes/${e.id}`),
        txt(e.adviser_name ?? NO_ADVISER),
        date(e.quit_date!, today),
        date(e.attention.due, today),
        int(e.attention.daysOverdue),
        { ...int(e.attention.daysLeft), tag: e.attention.closingSoon ? 'Closes within 7 days' : undefined },
      ]),
    },
    'safety-tasks': {
      key: 'safety-tasks',
      caption: 'Open safety tasks, oldest first',
      headers: ['Person', 'Adviser', 'Raised', 'Days open'],
      numeric: [false, false, false, true],
      rows: tasks.map((t) => {
        const raisedOn = londonDate(t.raised_at);
        return [
          txt(`${t.given_name} ${t.family_name}`, `/episodes/${t.episode_id}#safety`),
          txt(t.adviser_name ?? NO_ADVISER),
          {
            value: t.raised_at.toISOString(),
            text: t.raised_at.toLocaleString('en-GB', {
              dateStyle: 'medium',
              timeStyle: 'short',
              timeZone: 'Europe/London',
            }),
          },
          int(Math.max(0, daysBetween(raisedOn, today))),
        ];
      }),
    },
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
    waits: { contact, session },
    tables,
    shown: {
      episodes: overdue.map((e) => e.id),
      safetyTasks: tasks.map((t) => t.id),
      referrals: waiting.map((r) => r.id),
    },
  };
}

function labelOf(labels: Readonly<Record<string, string>>, code: string | null): string {
  if (code === null || code === '') return NOT_RECORDED;
  return labels[code] ?? `${NOT_RECORDED} (code ${code})`;
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
