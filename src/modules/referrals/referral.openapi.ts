import { z } from 'zod';
import { systemClock } from '../../platform/clock.ts';
import { AskedOnlySchema, referralSchemas } from './referral.schemas.ts';
import { STATUS_KINDS } from './referral-status.ts';
import { correctionSchema, withdrawSchema } from './referral-changes.schemas.ts';

const json = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' });

const Problem = {
  type: 'object',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    reason: { type: 'string' },
    contact: {
      type: 'object',
      properties: {
        name: { type: 'string' },
        phone: { type: 'string', nullable: true },
        email: { type: 'string', nullable: true },
        website: { type: 'string', nullable: true },
      },
    },
    errors: {
      type: 'array',
      items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
    },
  },
};

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

/** POST /api/v1/referrals: record Very Brief Advice, and refer when the person accepts. */
const createOperation = {
  summary:
    'Record that you asked about smoking; for someone who smokes, the Very Brief Advice and, if they accept, the referral',
  parameters: [
    {
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description:
        'Send the same value when retrying: the first referral is returned (200, Idempotent-Replayed: true) instead of a second being made. The retry must send the same body: the same key with a different body is refused (422) and nothing is made.',
      schema: { type: 'string', maxLength: 200 },
    },
  ],
  requestBody: {
    required: true,
    content: {
      'application/json': {
        schema: {
          oneOf: [{ $ref: '#/components/schemas/AskedOnly' }, { $ref: '#/components/schemas/AskAdviseAct' }],
        },
      },
    },
  },
  responses: {
    '201': {
      description:
        'Referral created (committed before this answer, `outcome: "referred"`); advice recorded without a referral (`outcome: "advice_recorded"`); or, for someone who does not smoke, the asking recorded (`outcome: "asked_recorded"`)',
    },
    '200': {
      description: 'A retry with an Idempotency-Key already used: the referral made the first time',
    },
    '400': problem('The request has errors; `errors` lists each field'),
    '401': problem('No valid API key'),
    '422': problem(
      'The referral cannot be held in Mortar (`field: "postcode"`, `reason` one of `unknown_postcode`, `outside_britain`, `no_service`, `national_service` (Wales, Scotland) or `contact_directly` (the service does not use Mortar); for the last two, `contact` gives the name, phone, email and website to give the person); or no campaign has the `campaignCode` given (`field: "campaignCode"`); or the Idempotency-Key was used before with a different body',
    ),
  },
};

/** GET /api/v1/referrals: the organisation's referrals. */
const listOperation = {
  summary: "List your organisation's referrals",
  parameters: [
    { name: 'status', in: 'query', schema: { $ref: '#/components/schemas/Status' } },
    {
      name: 'limit',
      in: 'query',
      schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
    },
    { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
  ],
  responses: {
    '200': { description: 'Referrals, newest first' },
    '400': problem('Bad query'),
    '401': problem('No valid API key'),
  },
};

/** GET /api/v1/referrals/{id}: one referral and its history. */
const showOperation = {
  summary: 'One referral and its status history',
  parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
  responses: {
    '200': { description: 'The referral' },
    '401': problem('No valid API key'),
    '404': problem('Not found, or not yours'),
  },
};

const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const changeResponses = {
  '200': { description: 'The referral, with the change in its history' },
  '400': problem('The request has errors'),
  '401': problem('No valid API key'),
  '404': problem('Not found, or not yours'),
  '409': problem('The service has accepted it, or it was withdrawn: it can no longer be changed'),
};

/** POST /api/v1/referrals/{id}/withdraw */
const withdrawOperation = {
  operationId: 'withdrawReferral',
  summary: 'Withdraw a referral the service has not yet accepted, with a reason',
  parameters: [idParameter],
  requestBody: { required: true, content: { 'application/json': { schema: json(withdrawSchema) } } },
  responses: changeResponses,
};

/** POST /api/v1/referrals/{id}/contact-details */
const correctOperation = {
  operationId: 'correctReferralContactDetails',
  summary:
    "Correct the person's phone number or email address on a referral the service has not yet accepted, with a reason",
  description:
    'Send the phone and email the service should use from now on. They must still allow every way of contact the person chose.',
  parameters: [idParameter],
  requestBody: { required: true, content: { 'application/json': { schema: json(correctionSchema([])) } } },
  responses: changeResponses,
};

/** The API description, generated from the same zod schema that checks the staff form. */
export function buildOpenApi() {
  return {
    openapi: '3.0.3',
    info: {
      title: 'Mortar referrals API',
      version: '1.0.0',
      description:
        'Refer people who smoke to their local stop smoking service, and follow what happened. ' +
        'Each organisation authenticates with its own API key (ask your Mortar administrator) sent as `Authorization: Bearer <key>`. ' +
        "A referral is routed by the person's postcode to the service their local authority commissions. " +
        'Status is shared back only when the person agreed (`consentShareProgress: "yes"`).',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } },
      schemas: {
        // Only the shape is documented, and a JSON schema cannot say "12 to 120 years before today", so
        // the day the schema is built for makes no difference here: the machine's day will do.
        AskAdviseAct: json(referralSchemas(systemClock.today()).askAdviseAct),
        // Asked only: someone who does not smoke, used to, or did not want to say. Send no `adviceGiven`
        // and no `acceptsReferral`; nothing about the person is kept, and the asking is counted.
        AskedOnly: json(AskedOnlySchema),
        Problem,
        Status: { type: 'string', enum: [...STATUS_KINDS] },
      },
    },
    security: [{ apiKey: [] }],
    paths: {
      '/api/v1/referrals': { post: createOperation, get: listOperation },
      '/api/v1/referrals/{id}': { get: showOperation },
      '/api/v1/referrals/{id}/withdraw': { post: withdrawOperation },
      '/api/v1/referrals/{id}/contact-details': { post: correctOperation },
    },
  };
}
