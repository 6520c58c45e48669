// The referrer's two changes to a referral they sent, before the service accepts it: the person's
// corrected phone and email (still enough to reach them the ways they chose), or withdrawing it. Both
// need a reason, which the service reads in the referral's history.
import { z } from 'zod';
import { emailField, phoneField } from '../../platform/form-fields.ts';
import { canTakeTexts } from '../../platform/phone.ts';

const reason = (message: string) =>
  z.string({ error: message }).trim().min(1, message).max(500, 'The reason must be 500 characters or fewer');

export const withdrawSchema = z.object({
  reason: reason('Enter why you are withdrawing the referral'),
});

/** The corrected details, checked against the ways the person chose to be contacted. */
export function correctionSchema(contactMethods: readonly string[]) {
  return z
    .object({
      phone: phoneField('their'),
      email: emailField('their'),
      reason: reason('Enter why the contact details changed'),
    })
    .superRefine((r, ctx) => {
      const issue = (path: 'phone' | 'email', message: string) =>
        ctx.addIssue({ code: 'custom', path: [path], message });
      if (!r.phone && !r.email)
        issue('phone', 'Enter a phone number or an email address so the service can contact them');
      else if ((contactMethods.includes('phone') || contactMethods.includes('text')) && !r.phone)
        issue('phone', 'Enter their phone number: they chose to be phoned or texted');
      else if (contactMethods.includes('text') && r.phone && !canTakeTexts(r.phone))
        issue('phone', 'Enter a mobile number for text messages, like 07700 900 982');
      if (contactMethods.includes('email') && !r.email)
        issue('email', 'Enter their email address: they chose to be emailed');
    });
}

export type CorrectionInput = z.infer<ReturnType<typeof correctionSchema>>;
