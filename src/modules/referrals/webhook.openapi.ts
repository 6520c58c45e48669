// The webhooks' part of the API description (src/openapi.ts, OpenAPI 3.1 `webhooks`): the message Mortar
// sends to a referring system's endpoint, from the zod schema its bodies are checked against in the tests.
import { z } from 'zod';
import { jsonSchemaOf } from '../../platform/openapi.ts';
import { eventType, WEBHOOK_EVENTS } from './webhook-events.ts';

export const WebhookMessageSchema = z
  .strictObject({
    type: z.enum(WEBHOOK_EVENTS.map(eventType) as [string, ...string[]]),
    timestamp: z.iso.datetime().meta({ description: 'When the status changed in Mortar' }),
    data: z.strictObject({
      id: z.uuid().meta({ description: 'The referral, as the referral API names it' }),
      reference: z.string().regex(/^MOR-[0-9]{6,}$/),
      status: z.enum(WEBHOOK_EVENTS).meta({ description: 'Its new status, as `status` in the referral API' }),
      url: z.url().meta({ description: 'Where to read it, with your API key (`getReferral`)' }),
    }),
  })
  .meta({
    examples: [
      {
        type: 'referral.accepted',
        timestamp: '2026-06-10T10:00:00.000Z',
        data: {
          id: '0b7c8a52-6f1e-4c39-9d0e-2f4a1b3c5d6e',
          reference: 'MOR-000123',
          status: 'accepted',
          url: 'https://mortar.example.nhs.uk/api/v1/referrals/0b7c8a52-6f1e-4c39-9d0e-2f4a1b3c5d6e',
        },
      },
    ],
  });

const header = (name: string, description: string) => ({
  name,
  in: 'header',
  required: true,
  description,
  schema: { type: 'string' },
});

/** The one webhook: a referral's status changed. */
export function referralWebhooks() {
  return {
    referralStatusChanged: {
      post: {
        operationId: 'referralStatusChanged',
        tags: ['Referrals'],
        summary: 'A referral your organisation sent has changed status',
        description:
          "Sent to each of your organisation's webhook endpoints that asked for the event, signed by the Standard Webhooks scheme. Without the person's consent to share progress only `referral.withdrawn` is sent. Answer 2xx within 10 seconds; anything else is tried again, with the same `webhook-id`. How to check it: docs/webhooks.md.",
        security: [],
        parameters: [
          header('webhook-id', "The message's id: the same on every try, so a repeat can be ignored"),
          header(
            'webhook-timestamp',
            'When this try was sent, in seconds since 1970: refuse one more than 5 minutes off',
          ),
          header(
            'webhook-signature',
            '`v1,` and the base64 HMAC-SHA256, under your secret, of `{webhook-id}.{webhook-timestamp}.{body}`; two, separated by a space, while a secret is being rotated',
          ),
        ],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: jsonSchemaOf(WebhookMessageSchema, 'output') } },
        },
        responses: {
          '204': { description: 'Received (any 2xx will do)' },
          '400': { description: 'The signature or the timestamp did not check: Mortar tries again later' },
        },
      },
    },
  };
}
