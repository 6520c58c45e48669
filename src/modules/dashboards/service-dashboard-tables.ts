// The service manager's dashboard as tables: each section is one table, which the page shows and the CSV
// export writes, so the two always agree; charts are drawn from the same tables. Built here from what
// service-dashboard.service.ts read and worked out (with the rules of service-dashboard.rules.ts). No I/O.
import { daysBetween, formatDate, type IsoDate } from '../../platform/dates.ts';
import { londonDate } from '../../platform/clock.ts';
import { quarterLabel, type Period } from '../../platform/quarters.ts';
import { DEFAULT_SETTINGS, INTERVENTION_SESSION_TYPES } from '../episodes/programme.ts';
import type { FourWeekOutcome } from '../episodes/four-week-outcome.ts';
import {
  STAGE_LABELS,
  STAGES,
  tallyBy,
  type FollowUpAttention,
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

export const NO_ADVISER = 'No adviser assigned';
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

// --- Caseload now ---------------------------------------------------------------------------------------

export type OpenEpisode = { id: string; adviser_name: string | null };

/** Every open episode in one stage, in all and by adviser. */
export function caseloadTables(
  open: readonly OpenEpisode[],
  stageOf: ReadonlyMap<string, Stage>,
): Pick<Record<TableKey, Table>, 'caseload-stage' | 'caseload-adviser'> {
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
  return {
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
  };
}

// --- Waiting times --------------------------------------------------------------------------------------

export type WaitingReferral = {
  id: string;
  reference: string;
  source: string;
  referrer_name: string | null;
  received_on: IsoDate;
  attempts: number | string | null;
};

/** Waiting times for referrals received in the quarter, and the referrals waiting now, oldest first. */
export function waitingTables(
  period: Period,
  waits: { contact: Wait; session: Wait },
  waiting: readonly WaitingReferral[],
  today: IsoDate,
): Pick<Record<TableKey, Table>, 'waiting-times' | 'waiting-now'> {
  const waitRow = (label: string, w: Wait) => [
    txt(label),
    int(w.received),
    int(w.reached),
    int(w.waiting),
    days(w.median),
    days(w.p90),
  ];
  return {
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
        waitRow('First contact attempt', waits.contact),
        waitRow('First session attended', waits.session),
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
  };
}

// --- Outcomes -------------------------------------------------------------------------------------------

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

function labelOf(labels: Readonly<Record<string, string>>, code: string | null): string {
  if (code === null || code === '') return NOT_RECORDED;
  return labels[code] ?? `${NOT_RECORDED} (code ${code})`;
}

export type OutcomeFact = {
  quitDate: IsoDate;
  outcome: FourWeekOutcome | null;
  adviserName: string | null;
  interventionType: string | null;
  setting: string | null;
};

/** Four-week outcomes for quit dates in the quarter, by adviser, type of support and setting. */
export function outcomeTables(
  counted: readonly OutcomeFact[],
  all: OutcomeTally,
  today: IsoDate,
): Pick<Record<TableKey, Table>, 'outcomes-adviser' | 'outcomes-intervention' | 'outcomes-setting'> {
  return {
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
  };
}

// --- Lists that name people -----------------------------------------------------------------------------

export type OverdueFollowUp = {
  id: string;
  adviser_name: string | null;
  quit_date: IsoDate | null;
  attention: FollowUpAttention;
};

export function overdueTable(
  overdue: readonly OverdueFollowUp[],
  names: ReadonlyMap<string, string>,
  today: IsoDate,
): Table {
  return {
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
  };
}

export type OpenSafetyTask = {
  episode_id: string;
  given_name: string;
  family_name: string;
  adviser_name: string | null;
  raised_at: Date;
};

export function safetyTable(tasks: readonly OpenSafetyTask[], today: IsoDate): Table {
  return {
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
  };
}
