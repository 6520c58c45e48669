// Which events of a referral are emailed to whom, and in what words. Pure: the service reads the referral,
// the organisation's shared inbox and the referrer's account, and asks these functions.
//
// Every update needs the person's consent to the service "telling you how their referral is going"
// (the referral form's question, consent_share_progress): the email tells no more than the referral's
// page would show the referrer (referrerTimeline), and nothing at all without that consent. A referral
// the person made themself has no referrer to tell.
import { formatDate, type IsoDate } from '../../platform/dates.ts';
import type { EventKind } from './referral-status.ts';

export const REFERRER_UPDATE_EVENTS = [
  'accepted',
  'declined',
  'unable_to_contact',
  'quit_date_set',
  'outcome_recorded',
] as const;
export type ReferrerUpdateEvent = (typeof REFERRER_UPDATE_EVENTS)[number];

export const isReferrerUpdateEvent = (kind: unknown): kind is ReferrerUpdateEvent =>
  (REFERRER_UPDATE_EVENTS as readonly unknown[]).includes(kind);

/** Progress from treatment is news once: a changed quit date or a replaced outcome is not emailed again. */
const FIRST_ONLY: readonly ReferrerUpdateEvent[] = ['quit_date_set', 'outcome_recorded'];

/**
 * The events to email about, of those just appended after `earlier`. A decision is news each time it is
 * made (a referral can become "unable to contact" again after the person was reached once).
 */
export function eventsToEmail(
  earlier: readonly { kind: EventKind }[],
  appended: readonly { kind: EventKind }[],
): ReferrerUpdateEvent[] {
  const out: ReferrerUpdateEvent[] = [];
  for (const { kind } of appended) {
    if (!isReferrerUpdateEvent(kind) || out.includes(kind)) continue;
    if (FIRST_ONLY.includes(kind) && earlier.some((e) => e.kind === kind)) continue;
    out.push(kind);
  }
  return out;
}

/** The referrer's account, as the rules need it. */
export type ReferrerAccount = {
  userId: string;
  email: string;
  /** They asked, on their account page, to be emailed about the referrals they sent. */
  optedIn: boolean;
  active: boolean;
  /** Still in the organisation that sent the referral: someone who moved on is not told of its referrals. */
  inReferringOrganisation: boolean;
};

export type UpdateFacts = {
  source: 'staff' | 'api' | 'self';
  consentShareProgress: boolean;
  /** The referring organisation's shared inbox for referral updates, if its administrator set one. */
  inbox: string | null;
  /** The member of staff who sent it; null for a connected system's referral. */
  referrer: ReferrerAccount | null;
};

export type Recipient = { kind: 'organisation' } | { kind: 'user'; userId: string };

/** Two ways of writing one mailbox: addresses are compared without case or surrounding spaces. */
export const sameAddress = (a: string | null, b: string | null) =>
  !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();

const referrerWants = (r: ReferrerAccount | null): r is ReferrerAccount =>
  !!r && r.optedIn && r.active && r.inReferringOrganisation;

/** Who is emailed about an update: the shared inbox, the referrer, both, or nobody; one email an address. */
export function updateRecipients(f: UpdateFacts): Recipient[] {
  if (f.source === 'self' || !f.consentShareProgress) return [];
  const out: Recipient[] = [];
  if (f.inbox) out.push({ kind: 'organisation' });
  if (referrerWants(f.referrer) && !sameAddress(f.referrer.email, f.inbox))
    out.push({ kind: 'user', userId: f.referrer.userId });
  return out;
}

/**
 * Where a planned update goes when it is sent, read afresh: the inbox may have been cleared or changed, the
 * referrer may have switched updates off, left, or now share the inbox's address (which is then emailed
 * already). A skip's reason holds nothing personal.
 */
export function addressNow(recipient: Recipient, f: UpdateFacts): { to: string } | { skip: string } {
  if (f.source === 'self') return { skip: 'self-referral' };
  if (!f.consentShareProgress) return { skip: 'no consent to share progress' };
  if (recipient.kind === 'organisation') return f.inbox ? { to: f.inbox } : { skip: 'no shared inbox' };
  const r = f.referrer;
  if (!r || r.userId !== recipient.userId) return { skip: 'not the referrer' };
  if (!r.active) return { skip: 'account closed' };
  if (!r.inReferringOrganisation) return { skip: 'referrer moved organisation' };
  if (!r.optedIn) return { skip: 'referrer turned updates off' };
  if (sameAddress(r.email, f.inbox)) return { skip: 'same address as the shared inbox' };
  return { to: r.email };
}

/** What the email says happened: plain words after "Referral MOR-000123, sent to ... on ...:". */
export const EVENT_WORDS: Record<ReferrerUpdateEvent, string> = {
  accepted: 'the service has accepted it',
  declined: 'the service has declined it',
  unable_to_contact: 'the service has not been able to reach them',
  quit_date_set: 'they have set a quit date',
  outcome_recorded: 'the service has recorded how they were doing 4 weeks after their quit date',
};

/** What the referral's page says of an update email: how far it got, never where it went. */
export const UPDATE_STATUS_LABELS: Record<string, string> = {
  scheduled: 'Waiting to send',
  queued: 'Waiting to send',
  sending: 'Sending',
  sent: 'Sent',
  delivered: 'Delivered',
  failed: 'Could not be delivered',
  cancelled: 'Not sent',
  skipped: 'Not sent',
};

/**
 * What the referrer can do next. Never what the outcome was, why it was declined or when the quit date is:
 * an email can be forwarded or read over a shoulder; those are on the referral's page, after signing in.
 */
export function nextStep(event: ReferrerUpdateEvent, service: { name: string; phone: string | null }) {
  switch (event) {
    case 'accepted':
      return 'The service will arrange support with them. You do not need to do anything.';
    case 'declined':
      return 'The referral page says why. If they still want support, they can call the National Smokefree Helpline on 0300 123 1044.';
    case 'unable_to_contact':
      return `If you can, let them know the service has tried to call, and ask them to answer a call from ${
        service.phone ? `${service.name} (${service.phone})` : service.name
      }.`;
    case 'quit_date_set':
      return 'You do not need to do anything. If you see them, a word of encouragement can help.';
    case 'outcome_recorded':
      return 'You can see the outcome on the referral page.';
  }
}

/** The referrer_update template's placeholders (platform/notify.ts TEMPLATES): no name, no health details. */
export function updatePersonalisation(u: {
  event: ReferrerUpdateEvent;
  reference: string;
  service: { name: string; phone: string | null };
  sentOn: IsoDate;
  link: string;
}): Record<string, string> {
  return {
    reference: u.reference,
    service_name: u.service.name,
    sent_on: formatDate(u.sentOn),
    event: EVENT_WORDS[u.event],
    next_step: nextStep(u.event, u.service),
    link: u.link,
  };
}
