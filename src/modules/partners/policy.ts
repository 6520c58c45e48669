// Smokefree policies of partner organisations and which partners count. Pure: no I/O. The SQL counts in
// workforce.repository.ts follow these rules and are tested against them.

import type { IsoDate } from '../../platform/dates.ts';

export const POLICY_STATUSES = {
  none: 'No policy',
  drafted: 'Drafted',
  adopted: 'Adopted',
} as const;
export type PolicyStatus = keyof typeof POLICY_STATUSES;

export const POLICY_STATUS_COLOURS: Record<PolicyStatus, string> = {
  none: 'grey',
  drafted: 'yellow',
  adopted: 'green',
};

export const PARTNER_STATUSES = {
  prospective: 'Prospective',
  active: 'Active',
  paused: 'Paused',
  ended: 'Ended',
} as const;
export type PartnerStatus = keyof typeof PARTNER_STATUSES;

export const PARTNER_STATUS_COLOURS: Record<PartnerStatus, string> = {
  prospective: 'blue',
  active: 'green',
  paused: 'yellow',
  ended: 'grey',
};

export const SECTORS = {
  nhs: 'NHS',
  local_authority: 'Local authority',
  community: 'Community',
  voluntary: 'Voluntary',
  private: 'Private',
} as const;
export type Sector = keyof typeof SECTORS;

export type PolicyDates = { status: PolicyStatus; adoptedOn: IsoDate | null; reviewOn: IsoDate | null };

/**
 * Overdue for review once its review date has passed: on the review date itself it is due, not yet
 * overdue. A partner with no policy has nothing to review.
 */
export function isReviewOverdue(p: PolicyDates | null, day: IsoDate): boolean {
  if (!p || p.status === 'none' || p.reviewOn === null) return false;
  return p.reviewOn < day;
}

/**
 * An adopted policy counts from the day it was adopted (from any day when the date is not known). It
 * still counts when its review is overdue: the policy stands until it is replaced, and the overdue
 * review is shown beside it so nobody mistakes it for up to date.
 */
export function hasAdoptedPolicyOn(p: PolicyDates | null, day: IsoDate): boolean {
  return p !== null && p.status === 'adopted' && (p.adoptedOn === null || p.adoptedOn <= day);
}

export type PartnerDates = { status: PartnerStatus; joinedOn: IsoDate | null };

/**
 * Active on a day: its status is active now and it had joined by then (or its joining date is not
 * known). Status has no history here, so a count for a past day uses today's status.
 */
export function isActiveOn(p: PartnerDates, day: IsoDate): boolean {
  return p.status === 'active' && (p.joinedOn === null || p.joinedOn <= day);
}
