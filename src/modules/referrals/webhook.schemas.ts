// The webhook endpoint form: where to send, a name to know it by, and which events.
import { z } from 'zod';
import { asArray } from '../../platform/forms.ts';
import { checkOutboundUrl } from '../../platform/outbound-address.ts';
import { requiredText } from '../../platform/validation.ts';
import { WEBHOOK_EVENTS } from './webhook-events.ts';

const NAME_TEXT = /^[\p{L}\p{M}\p{N} &'’,.()/:+-]+$/u;

/** The form's schema; `allowPrivate` is the configuration's (development and tests only). */
export function endpointSchema(allowPrivate: boolean) {
  return z.object({
    description: requiredText('a name for the endpoint', 100).regex(
      NAME_TEXT,
      "The name must only include letters, numbers, spaces and & ' , . ( ) / : + -",
    ),
    url: z
      .string({ error: 'Enter the address to send updates to' })
      .trim()
      .min(1, 'Enter the address to send updates to')
      .max(2000, 'The address must be 2,000 characters or fewer')
      .transform((raw, ctx) => {
        const checked = checkOutboundUrl(raw, { allowPrivate });
        if (!checked.ok) {
          ctx.addIssue({ code: 'custom', message: checked.reason });
          return z.NEVER;
        }
        return checked.url.href;
      }),
    events: z.preprocess(
      asArray,
      z.array(z.enum(WEBHOOK_EVENTS)).min(1, 'Select at least one update to send'),
    ),
  });
}

export type EndpointInput = z.infer<ReturnType<typeof endpointSchema>>;
