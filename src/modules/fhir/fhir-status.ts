// A referral's status as FHIR says it: the Task that tracks its fulfilment (the closed loop of the NHS
// Booking and Referral Standard and HL7 Gravity) and the ServiceRequest itself. Pure. What the referrer
// may see is decided before this (referral-status.ts referrerTimeline); these only translate it.
import { STATUS_KINDS, type ReferralStatus } from '../referrals/referral-status.ts';

export const TASK_STATUSES = [
  'received',
  'accepted',
  'in-progress',
  'on-hold',
  'completed',
  'rejected',
  'cancelled',
  'failed',
] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/**
 * Contacted is still waiting for the service's decision, so still received. Unable to contact is on
 * hold, not failed: the service may yet reach the person and accept (FHIR's failed is final). A four-week
 * outcome, or a closed episode, completes the referral; a decline rejects it; a withdrawal cancels it.
 */
export const TASK_STATUS_OF: Record<ReferralStatus, TaskStatus> = {
  received: 'received',
  contacted: 'received',
  unable_to_contact: 'on-hold',
  accepted: 'accepted',
  quit_date_set: 'in-progress',
  outcome_recorded: 'completed',
  closed: 'completed',
  declined: 'rejected',
  withdrawn: 'cancelled',
};

export const SERVICE_REQUEST_STATUSES = ['active', 'revoked', 'completed'] as const;
export type ServiceRequestStatus = (typeof SERVICE_REQUEST_STATUSES)[number];

export function serviceRequestStatusOf(status: ReferralStatus): ServiceRequestStatus {
  const task = TASK_STATUS_OF[status];
  if (task === 'rejected' || task === 'cancelled') return 'revoked';
  return task === 'completed' ? 'completed' : 'active';
}

/** Task statuses that carry a reason (statusReason), as the closed-loop pattern asks. */
export const REASONED: readonly TaskStatus[] = ['rejected', 'cancelled', 'on-hold', 'failed'];

/** Mortar's statuses that a search for these FHIR statuses matches: the inverse of the maps above. */
export const referralStatusesForTask = (wanted: readonly TaskStatus[]): ReferralStatus[] =>
  STATUS_KINDS.filter((s) => wanted.includes(TASK_STATUS_OF[s]));

export const referralStatusesForServiceRequest = (
  wanted: readonly ServiceRequestStatus[],
): ReferralStatus[] => STATUS_KINDS.filter((s) => wanted.includes(serviceRequestStatusOf(s)));
