// The referral API's part of the API description (src/openapi.ts), generated from the zod schemas that
// check its requests and describe its answers.
import { jsonSchemaOf, jsonResponse, problemResponse, type ApiPart } from '../../platform/openapi.ts';
import type { IsoDate } from '../../platform/dates.ts';
import { AskedOnlySchema, referralSchemas } from './referral.schemas.ts';
import { correctionSchema, withdrawSchema } from './referral-changes.schemas.ts';
import {
  ReferralCreatedSchema,
  ReferralDocumentSchema,
  ReferralListSchema,
  StatusSchema,
} from './referral-api.responses.ts';

const TAG = 'Referrals';
const apiKey = [{ apiKey: [] }];
const unauthorised = problemResponse('No valid API key: send `Authorization: Bearer <key>`');
const notYours = problemResponse('No referral has this id, or your organisation did not send it');

const idParameter = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'The referral id you were given when you made it',
  schema: { type: 'string', format: 'uuid' },
};

const created = (description: string) =>
  jsonResponse(description, 'ReferralCreated', {
    Location: { description: 'The referral, when one was made', schema: { type: 'string' } },
  });

const referralExample = {
  smokingStatus: '1',
  vapingStatus: 'never',
  adviceGiven: 'yes',
  acceptsReferral: 'yes',
  givenName: 'Sam',
  familyName: 'Jones',
  dateOfBirth: '1988-04-09',
  postcode: 'LS6 1AN',
  phone: '07700 900982',
  contactMethods: ['phone', 'text'],
  contactTimes: 'morning',
  nhsNumber: '943 476 5919',
  mentalHealth: 'anxiety',
  inTalkingTherapies: 'yes',
  consentShareProgress: 'yes',
};

/** POST /api/v1/referrals: record the asking, the Very Brief Advice, and refer when the person accepts. */
const createOperation = {
  operationId: 'createReferral',
  tags: [TAG],
  summary: 'Record that you asked about smoking, the advice you gave and, if they accept, refer them',
  description:
    "For someone who smokes, send the Very Brief Advice and whether they accept a referral. For someone who does not smoke, used to or did not want to say, send only `smokingStatus` and `vapingStatus`: nothing about them is kept, and the asking is counted. A referral is sent to the stop smoking service the person's local authority pays for, found from their postcode.",
  parameters: [
    {
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description:
        'Send the same value when retrying: the first referral is returned (200, Idempotent-Replayed: true) instead of a second being made. The retry must send the same body: the same key with a different body is refused (422) and nothing is made.',
      schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,200}$' },
      example: 'batch-7-row-12',
    },
  ],
  requestBody: {
    required: true,
    content: {
      'application/json': {
        schema: {
          oneOf: [{ $ref: '#/components/schemas/AskedOnly' }, { $ref: '#/components/schemas/AskAdviseAct' }],
        },
        examples: {
          referral: { summary: 'They accept a referral', value: referralExample },
          adviceOnly: {
            summary: 'They do not want a referral',
            value: { smokingStatus: '1', vapingStatus: 'current', adviceGiven: 'yes', acceptsReferral: 'no' },
          },
          askedOnly: { summary: 'They do not smoke', value: { smokingStatus: '4', vapingStatus: 'never' } },
        },
      },
    },
  },
  responses: {
    '201': created(
      'Referral made (committed before this answer, `outcome: "referred"`); advice recorded without a referral (`outcome: "advice_recorded"`); or, for someone who does not smoke, the asking recorded (`outcome: "asked_recorded"`)',
    ),
    '200': created('A retry with an Idempotency-Key already used: the referral made the first time'),
    '400': problemResponse('The request has errors; `errors` lists each field'),
    '401': unauthorised,
    '422': problemResponse(
      'The referral cannot be held in Mortar (`field: "postcode"`, `reason` one of `unknown_postcode`, `outside_britain`, `no_service`, `national_service` (Wales, Scotland) or `contact_directly` (the service does not use Mortar); for the last two, `contact` gives the name, phone, email and website to give the person); or no campaign has the `campaignCode` given (`field: "campaignCode"`); or the Idempotency-Key was used before with a different body',
    ),
  },
};

const listOperation = {
  operationId: 'listReferrals',
  tags: [TAG],
  summary: "List your organisation's referrals, newest first",
  parameters: [
    {
      name: 'status',
      in: 'query',
      description: 'Only referrals with this status',
      schema: { $ref: '#/components/schemas/Status' },
    },
    {
      name: 'limit',
      in: 'query',
      description: 'How many to return',
      schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
    },
    {
      name: 'offset',
      in: 'query',
      description: 'How many to skip',
      schema: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 },
    },
  ],
  responses: {
    '200': jsonResponse('Referrals, newest first', 'ReferralList'),
    '400': problemResponse('A query parameter is wrong; `errors` lists each'),
    '401': unauthorised,
  },
};

const showOperation = {
  operationId: 'getReferral',
  tags: [TAG],
  summary: 'One referral and its status history',
  parameters: [idParameter],
  responses: {
    '200': jsonResponse('The referral, as far as the person agreed to share their progress', 'Referral'),
    '401': unauthorised,
    '404': notYours,
  },
};

const changeResponses = {
  '200': jsonResponse('The referral, with the change in its history', 'Referral'),
  '400': problemResponse('The request has errors; `errors` lists each field'),
  '401': unauthorised,
  '404': notYours,
  '409': problemResponse('The service has accepted it, or it was withdrawn: it can no longer be changed'),
};

const withdrawOperation = {
  operationId: 'withdrawReferral',
  tags: [TAG],
  summary: 'Withdraw a referral the service has not yet accepted, with a reason',
  parameters: [idParameter],
  requestBody: {
    required: true,
    content: {
      'application/json': {
        schema: { $ref: '#/components/schemas/Withdrawal' },
        example: { reason: 'The person changed their mind' },
      },
    },
  },
  responses: changeResponses,
};

const correctOperation = {
  operationId: 'correctReferralContactDetails',
  tags: [TAG],
  summary:
    "Correct the person's phone number or email address on a referral the service has not yet accepted, with a reason",
  description:
    'Send the phone and email the service should use from now on. They must still allow every way of contact the person chose: a phone number if they chose phone or text (a mobile for text), an email address if they chose email.',
  parameters: [idParameter],
  requestBody: {
    required: true,
    content: {
      'application/json': {
        schema: { $ref: '#/components/schemas/ContactCorrection' },
        example: { phone: '07700 900461', reason: 'They gave a new number' },
      },
    },
  },
  responses: changeResponses,
};

/** The referral API's paths and schemas. `today` only fills in the schema's shape: no age is checked. */
export function referralApiPart(today: IsoDate): ApiPart {
  return {
    tags: [
      {
        name: TAG,
        description:
          "Refer people who smoke to their local stop smoking service, and follow what happened. Needs your organisation's API key.",
      },
    ],
    schemas: {
      AskAdviseAct: jsonSchemaOf(referralSchemas(today).askAdviseAct),
      AskedOnly: jsonSchemaOf(AskedOnlySchema),
      Withdrawal: jsonSchemaOf(withdrawSchema),
      ContactCorrection: jsonSchemaOf(correctionSchema([])),
      Status: jsonSchemaOf(StatusSchema, 'output'),
      ReferralCreated: jsonSchemaOf(ReferralCreatedSchema, 'output'),
      ReferralList: jsonSchemaOf(ReferralListSchema, 'output'),
      Referral: jsonSchemaOf(ReferralDocumentSchema, 'output'),
    },
    paths: {
      '/api/v1/referrals': {
        post: { ...createOperation, security: apiKey },
        get: { ...listOperation, security: apiKey },
      },
      '/api/v1/referrals/{id}': { get: { ...showOperation, security: apiKey } },
      '/api/v1/referrals/{id}/withdraw': { post: { ...withdrawOperation, security: apiKey } },
      '/api/v1/referrals/{id}/contact-details': { post: { ...correctOperation, security: apiKey } },
    },
  };
}
