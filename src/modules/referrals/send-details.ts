// "Send them the details": a person who did not want a referral today can be texted or emailed, at their
// request, how to get support when they are ready. Pure: which service to name and how to reach it (from
// the same routing decision as a referral), what the message says, and when a send is allowed. The
// address is used once and never kept; only the advice record and the message's receipt are.
import { z } from 'zod';
import { canTakeTexts } from '../../platform/phone.ts';
import { normalisePostcode } from '../../platform/postcode.ts';
import { SMOKEFREE_NATIONAL_HELPLINE } from './national-services.ts';
import type { SendDecision } from './where-to-send.ts';

/** How long after the advice the referrer may still send the details: the same conversation, give or take. */
export const SEND_WINDOW_HOURS = 24;
/** Sends per advice record: one, and one more if the first went to a wrong number or address. */
export const SENDS_PER_ADVICE = 2;

export type SendRefusal = 'not_declined' | 'too_late' | 'sent_enough';

export const REFUSALS: Record<SendRefusal, string> = {
  not_declined: 'You can send the details only after recording that the person did not want a referral.',
  too_late: `You can send the details only within ${SEND_WINDOW_HOURS} hours of giving the advice.`,
  sent_enough: `The details have been sent ${SENDS_PER_ADVICE} times already for this conversation.`,
};

/** Whether the details may be sent for this advice record now; null when they may. */
export function mayNotSend(a: {
  outcome: string;
  recordedAt: Date;
  now: Date;
  sentBefore: number;
}): SendRefusal | null {
  if (a.outcome !== 'declined') return 'not_declined';
  // The record's time is the database's, the clock's may be a moment behind it: only lateness counts.
  const hours = (a.now.getTime() - a.recordedAt.getTime()) / 3_600_000;
  if (hours > SEND_WINDOW_HOURS) return 'too_late';
  if (a.sentBefore >= SENDS_PER_ADVICE) return 'sent_enough';
  return null;
}

const trimmed = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

const text = z.preprocess(trimmed, z.string().max(1000));

/**
 * The form. Every field is checked together, so one mistake never hides another in the error summary;
 * the summary lists them in the form's order.
 */
export const SendDetailsSchema = z
  .object({ how: text, phone: text, email: text, postcode: text, agreed: text })
  .superRefine((d, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (d.how !== 'sms' && d.how !== 'email') issue('how', 'Select how to send them the details');
    if (d.how === 'sms' && !canTakeTexts(d.phone))
      issue(
        'phone',
        d.phone
          ? 'Enter a UK mobile number that can get texts, like 07700 900 982'
          : 'Enter their mobile number',
      );
    if (d.how === 'email' && (d.email.length > 254 || !z.email().safeParse(d.email).success))
      issue(
        'email',
        d.email
          ? 'Enter an email address in the correct format, like name@example.com'
          : 'Enter their email address',
      );
    // Optional: without it they are given England's helpline and the finder.
    if (d.postcode && !normalisePostcode(d.postcode))
      issue('postcode', 'Enter a real postcode, like LS1 4AP');
    if (d.agreed !== 'yes') issue('agreed', 'Confirm that they asked for the details');
  })
  .transform((d) => ({
    how: d.how as 'sms' | 'email',
    phone: d.phone,
    email: d.email,
    postcode: (d.postcode && normalisePostcode(d.postcode)) || undefined,
  }));

export type SendDetailsInput = z.infer<typeof SendDetailsSchema>;

/**
 * The self_referral_link template's placeholders (platform/notify.ts TEMPLATES): the service their
 * postcode routes to and how to reach it, and where to ask online. `contact` ends without a full stop:
 * the text message adds its own. Without a postcode, or where none is known, England's helpline and the
 * finder.
 */
export function detailsMessage(decision: SendDecision | null, publicUrl: string): Record<string, string> {
  const finder = `${publicUrl}/find-support`;
  const helpline = {
    service_name: SMOKEFREE_NATIONAL_HELPLINE.name,
    contact: `Call free on ${SMOKEFREE_NATIONAL_HELPLINE.phone}`,
    link: finder,
  };
  if (!decision) return helpline;
  switch (decision.kind) {
    case 'refer_in_mortar':
    case 'contact_directly': {
      const { phone, website } = decision.service.contact;
      const contact = phone
        ? `Call them on ${phone}`
        : website
          ? `Visit ${website}`
          : `Or call the ${SMOKEFREE_NATIONAL_HELPLINE.name} free on ${SMOKEFREE_NATIONAL_HELPLINE.phone}`;
      // A service in Mortar takes their own request online; any other is found in the finder.
      const link = decision.kind === 'refer_in_mortar' ? `${publicUrl}/self-referral` : finder;
      return { service_name: decision.service.name, contact, link };
    }
    case 'national_service':
      return {
        service_name: decision.service.name,
        contact: `Call free on ${decision.service.phone}`,
        link: decision.service.website ?? finder,
      };
    default:
      return helpline;
  }
}
