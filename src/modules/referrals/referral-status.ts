// The rules of a referral's life. Pure: the service loads the events, asks these functions what to
// append, and writes what they return.

export const STATUS_KINDS = [
  'received',
  'contacted',
  'accepted',
  'declined',
  'unable_to_contact',
  'quit_date_set',
  'outcome_recorded',
  'closed',
  'withdrawn',
] as const;
export type ReferralStatus = (typeof STATUS_KINDS)[number];

export const CONTACT_OUTCOMES = ['reached', 'no_answer', 'voicemail', 'wrong_number'] as const;
export type ContactOutcome = (typeof CONTACT_OUTCOMES)[number];

/** Events that are not a status: the service's contact attempts, and the referrer's corrections. */
export const NOTE_KINDS = ['contact_attempt', 'details_corrected'] as const;
export type EventKind = ReferralStatus | (typeof NOTE_KINDS)[number];

export type ReferralEvent = {
  kind: EventKind;
  contactOutcome?: ContactOutcome | null;
  reason?: string | null;
  occurredAt: Date;
};

export type NewEvent = { kind: EventKind; contactOutcome?: ContactOutcome; reason?: string };

export const STATUS_LABELS: Record<ReferralStatus, string> = {
  received: 'Received',
  contacted: 'Contacted',
  accepted: 'Accepted',
  declined: 'Declined by service',
  unable_to_contact: 'Unable to contact',
  quit_date_set: 'Quit date set',
  outcome_recorded: 'Outcome recorded',
  closed: 'Closed',
  withdrawn: 'Withdrawn by the referrer',
};

/** NHS tag colours: grey for waiting, blue for in progress, green for good news, red for stopped. */
export const STATUS_COLOURS: Record<ReferralStatus, string> = {
  received: 'grey',
  contacted: 'blue',
  accepted: 'green',
  declined: 'red',
  unable_to_contact: 'orange',
  quit_date_set: 'purple',
  outcome_recorded: 'green',
  closed: 'grey',
  withdrawn: 'grey',
};

export const CONTACT_OUTCOME_LABELS: Record<ContactOutcome, string> = {
  reached: 'Spoke to the person',
  no_answer: 'No answer',
  voicemail: 'Left a voicemail',
  wrong_number: 'Wrong number',
};

export const DECLINE_REASONS = {
  out_of_area: 'Lives outside the area the service covers',
  not_wanted: 'The person no longer wants support',
  already_supported: 'Already getting support elsewhere',
  not_eligible: 'Not eligible for this service',
  duplicate: 'Duplicate referral',
  other: 'Other reason',
} as const;
export type DeclineReason = keyof typeof DECLINE_REASONS;

const isStatus = (k: EventKind): k is ReferralStatus => !(NOTE_KINDS as readonly string[]).includes(k);

/** The current status is the latest status event; contact attempts alone do not change it. */
export function deriveStatus(events: readonly ReferralEvent[]): ReferralStatus {
  let status: ReferralStatus = 'received';
  for (const e of events) if (isStatus(e.kind)) status = e.kind;
  return status;
}

/** Failed attempts since the person was last reached (or the referral was last marked unable to contact). */
export function failedAttemptsInARow(events: readonly ReferralEvent[]): number {
  let n = 0;
  for (const e of events) {
    if (e.kind === 'contact_attempt') n = e.contactOutcome === 'reached' ? 0 : n + 1;
    else if (e.kind === 'contacted' || e.kind === 'unable_to_contact') n = 0;
  }
  return n;
}

export type TransitionError = { error: string };

const OPEN: readonly ReferralStatus[] = ['received', 'contacted', 'unable_to_contact'];

export function canRecordContact(status: ReferralStatus): boolean {
  return status !== 'declined' && status !== 'closed' && status !== 'withdrawn';
}
export function canDecide(status: ReferralStatus): boolean {
  return OPEN.includes(status);
}

/** What to append when an adviser records a contact attempt. */
export function eventsForContactAttempt(
  events: readonly ReferralEvent[],
  outcome: ContactOutcome,
  maxFailedAttempts: number,
): NewEvent[] | TransitionError {
  const status = deriveStatus(events);
  if (!canRecordContact(status))
    return {
      error: `A contact attempt cannot be recorded on a referral that is ${STATUS_LABELS[status].toLowerCase()}`,
    };
  const attempt: NewEvent = { kind: 'contact_attempt', contactOutcome: outcome };
  if (outcome === 'reached') {
    return status === 'received' || status === 'unable_to_contact'
      ? [attempt, { kind: 'contacted' }]
      : [attempt];
  }
  const failures = failedAttemptsInARow(events) + 1;
  if ((status === 'received' || status === 'contacted') && failures >= maxFailedAttempts) {
    return [attempt, { kind: 'unable_to_contact', reason: `${failures} failed contact attempts` }];
  }
  return [attempt];
}

export function eventsForAccept(events: readonly ReferralEvent[]): NewEvent[] | TransitionError {
  const status = deriveStatus(events);
  if (!canDecide(status)) return { error: `This referral is already ${STATUS_LABELS[status].toLowerCase()}` };
  return [{ kind: 'accepted' }];
}

export function eventsForDecline(
  events: readonly ReferralEvent[],
  reason: DeclineReason,
): NewEvent[] | TransitionError {
  const status = deriveStatus(events);
  if (!canDecide(status)) return { error: `This referral is already ${STATUS_LABELS[status].toLowerCase()}` };
  return [{ kind: 'declined', reason }];
}

/** The referrer may correct or withdraw a referral until the service has accepted (or closed) it. */
export function referrerMayChange(status: ReferralStatus): boolean {
  return OPEN.includes(status);
}

export const REFERRER_CHANGE_REFUSED =
  'The service has already started work on this referral, so it cannot be changed here. Contact the service instead.';

/** What to append when the referrer withdraws the referral, with their reason. */
export function eventsForWithdraw(
  events: readonly ReferralEvent[],
  reason: string,
): NewEvent[] | TransitionError {
  if (!referrerMayChange(deriveStatus(events))) return { error: REFERRER_CHANGE_REFUSED };
  return [{ kind: 'withdrawn', reason }];
}

/** What to append when the referrer corrects the person's contact details: a note, not a status. */
export function eventsForCorrection(
  events: readonly ReferralEvent[],
  reason: string,
): NewEvent[] | TransitionError {
  if (!referrerMayChange(deriveStatus(events))) return { error: REFERRER_CHANGE_REFUSED };
  return [{ kind: 'details_corrected', reason }];
}

/**
 * What the referrer may see: every status change and its date when the person agreed to share progress,
 * otherwise only that the referral was received. Contact attempts and notes stay with the service.
 */
export function referrerTimeline(
  events: readonly ReferralEvent[],
  consentShareProgress: boolean,
): { status: ReferralStatus; at: Date; reason: string | null }[] {
  const statusEvents = events.filter((e): e is ReferralEvent & { kind: ReferralStatus } => isStatus(e.kind));
  // Their own withdrawal is no news of the person's progress, so they see it whatever was agreed.
  const visible = consentShareProgress
    ? statusEvents
    : statusEvents.filter((e) => e.kind === 'received' || e.kind === 'withdrawn');
  return visible.map((e) => ({
    status: e.kind,
    at: e.occurredAt,
    reason: referrerReason(e),
  }));
}

/**
 * The status a referrer is shown of a referral: the real one when the person agreed to share their
 * progress, otherwise only that it was received. Lists filter on the same rule (referral.repository.ts
 * filterableStatus), so a filter cannot reveal what a row would not show.
 */
export function referrerVisibleStatus(status: ReferralStatus, consentShareProgress: boolean): ReferralStatus {
  return consentShareProgress ? status : 'received';
}

export function isTransitionError(x: NewEvent[] | TransitionError): x is TransitionError {
  return !Array.isArray(x);
}

/** Declines carry a code; progress from treatment carries its words (quit date, outcome) as written. */
function referrerReason(e: ReferralEvent): string | null {
  if (e.kind === 'withdrawn') return e.reason ?? null;
  if (e.kind === 'declined')
    return e.reason && e.reason in DECLINE_REASONS ? DECLINE_REASONS[e.reason as DeclineReason] : null;
  if (e.kind === 'quit_date_set' || e.kind === 'outcome_recorded') return e.reason ?? null;
  return null;
}
