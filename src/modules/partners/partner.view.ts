import { formatDate } from '../../platform/dates.ts';
import type { PartnerRow } from './partner.repository.ts';
import { kindLabel } from './partner.schemas.ts';
import {
  hasAdoptedPolicyOn,
  isReviewOverdue,
  PARTNER_STATUS_COLOURS,
  PARTNER_STATUSES,
  POLICY_STATUS_COLOURS,
  POLICY_STATUSES,
  SECTORS,
  type PartnerStatus,
  type PolicyDates,
  type PolicyStatus,
} from './policy.ts';
import type { TrainingRow } from './training.repository.ts';
import {
  COURSE_CODES,
  COURSES,
  countTrainedStaff,
  DEFAULT_RENEWAL_YEARS,
  renewalDateOf,
  TRAINING_STATE_LABELS,
  trainedStaffByPartner,
  trainingStateOn,
  type Course,
} from './training.ts';

// What the pages show, worked out from rows by the rules in training.ts and policy.ts. Pure.

/** "every 2 years" for each course: the hint beside a renewal date. */
export const renewalHint = COURSE_CODES.map((c) => `${COURSES[c]}: ${DEFAULT_RENEWAL_YEARS[c]} years`).join(
  '; ',
);

export const dateText = (d: string | null | undefined) => (d ? formatDate(d) : '');

const label = (labels: Record<string, string>, v: string | null) => (v ? (labels[v] ?? v) : '');

export function policyOf(
  p: Pick<PartnerRow, 'policy_status' | 'adopted_on' | 'review_on'>,
): PolicyDates | null {
  return p.policy_status
    ? { status: p.policy_status as PolicyStatus, adoptedOn: p.adopted_on, reviewOn: p.review_on }
    : null;
}

export const asCountable = (t: TrainingRow) => ({
  partnerId: t.partner_id,
  staffName: t.staff_name,
  course: t.course as Course,
  completedOn: t.completed_on,
  renewalDueOn: t.renewal_due_on,
});

/** One partner as a row of the list and the head of its page. */
export function partnerView(p: PartnerRow, today: string, training: readonly TrainingRow[] = []) {
  const policy = policyOf(p);
  const mine = training.filter((t) => t.partner_id === p.id).map(asCountable);
  const byCourse = Object.fromEntries(
    COURSE_CODES.map((c) => [c, countTrainedStaff(mine, c, today)]),
  ) as Record<Course, number>;
  return {
    ...p,
    sectorText: label(SECTORS, p.sector),
    kindText: kindLabel(p.kind),
    statusText: label(PARTNER_STATUSES, p.status),
    statusColour: PARTNER_STATUS_COLOURS[p.status as PartnerStatus] ?? 'grey',
    joinedText: dateText(p.joined_on),
    policyText: policy ? POLICY_STATUSES[policy.status] : 'Not recorded',
    policyColour: policy ? POLICY_STATUS_COLOURS[policy.status] : 'grey',
    adoptedText: dateText(p.adopted_on),
    reviewText: dateText(p.review_on),
    reviewOverdue: isReviewOverdue(policy, today),
    adoptedPolicy: hasAdoptedPolicyOn(policy, today),
    trainedStaff: trainedStaffByPartner(mine, today).get(p.id) ?? 0,
    byCourse,
  };
}

/** One training record as a row: when renewal is due, and whether it is current today. */
export function trainingView<T extends TrainingRow>(t: T, today: string) {
  const c = asCountable(t);
  const state = trainingStateOn(c, today);
  return {
    ...t,
    courseText: COURSES[c.course] ?? t.course,
    completedText: dateText(t.completed_on),
    renewalOn: renewalDateOf(c),
    renewalText: dateText(renewalDateOf(c)),
    state,
    stateText: TRAINING_STATE_LABELS[state].text,
    stateColour: TRAINING_STATE_LABELS[state].colour,
  };
}

/** Soonest renewal first (lapsed ones first of all), then by name. */
export function byRenewal<T extends { renewalOn: string; staff_name: string }>(rows: readonly T[]): T[] {
  return [...rows].sort(
    (a, b) => a.renewalOn.localeCompare(b.renewalOn) || a.staff_name.localeCompare(b.staff_name, 'en-GB'),
  );
}

export const statusItems = (selected: string | undefined, prompt?: string) => [
  ...(prompt ? [{ value: '', text: prompt, selected: !selected }] : []),
  ...Object.entries(PARTNER_STATUSES).map(([value, text]) => ({
    value,
    text,
    selected: value === selected,
    checked: value === selected,
  })),
];
export const sectorItems = (selected: string | undefined, prompt?: string) => [
  ...(prompt ? [{ value: '', text: prompt, selected: !selected }] : []),
  ...Object.entries(SECTORS).map(([value, text]) => ({
    value,
    text,
    selected: value === selected,
    checked: value === selected,
  })),
];

/** The national analyst's choice of authority, every one first. */
export const authorityItems = (authorities: readonly { code: string; name: string }[], selected?: string) => [
  { value: '', text: 'Every local authority', selected: !selected },
  ...authorities.map((a) => ({ value: a.code, text: a.name, selected: a.code === selected })),
];
