// What the referral API answers, as zod schemas the API's description publishes. The description's
// test (src/openapi.db.test.ts) checks the real handlers' answers against them.
import { z } from 'zod';
import { STATUS_KINDS } from './referral-status.ts';

const id = z.uuid().meta({ examples: ['0b7c8a52-6f1e-4c39-9d0e-2f4a1b3c5d6e'] });
const reference = z
  .string()
  .regex(/^MOR-[0-9]{6,}$/)
  .meta({ description: 'The reference people quote', examples: ['MOR-000123'] });
const instant = z.iso.datetime({ offset: true }).meta({ examples: ['2026-03-02T10:15:00.000Z'] });
const service = z.object({ name: z.string().meta({ examples: ['Leeds Stop Smoking Service'] }) });

export const StatusSchema = z.enum(STATUS_KINDS).meta({
  description:
    "Where the referral has got to. Without the person's consent to share their progress, it stays `received` (or `withdrawn`, if you withdrew it).",
});

export const ReferralCreatedSchema = z
  .discriminatedUnion('outcome', [
    z.object({ outcome: z.literal('referred'), id, reference, status: z.literal('received'), service }),
    z.object({ outcome: z.literal('advice_recorded'), adviceId: id }),
    z.object({ outcome: z.literal('asked_recorded'), adviceId: id }),
  ])
  .meta({
    description:
      '`referred`: the referral was made and sent to `service`. `advice_recorded`: the advice was recorded, with no referral. `asked_recorded`: the asking was recorded for someone who does not smoke.',
  });

export const ReferralListItemSchema = z.object({
  id,
  reference,
  createdAt: instant,
  service,
  consentShareProgress: z.boolean(),
  status: StatusSchema,
  statusAt: instant,
});

export const ReferralListSchema = z.object({
  items: z.array(ReferralListItemSchema),
  limit: z.int().min(1).max(500),
  offset: z.int().min(0),
});

export const ReferralDocumentSchema = z.object({
  id,
  reference,
  createdAt: instant,
  service,
  localAuthority: z.object({
    code: z.string().meta({ description: 'ONS GSS code', examples: ['E08000035'] }),
    name: z.string().meta({ examples: ['Leeds'] }),
  }),
  consentShareProgress: z.boolean(),
  status: StatusSchema,
  history: z.array(z.object({ status: StatusSchema, at: instant, reason: z.string().nullable() })),
});
