// The API's description, OpenAPI 3.1, put together from each module's part (referral.openapi.ts,
// directory.openapi.ts): served at /api/openapi.json and linted by `npm run lint`
// (scripts/openapi-lint.ts, Redocly's recommended-strict rules).
import { directoryApiPart } from './modules/directory/directory.openapi.ts';
import { referralApiPart } from './modules/referrals/referral.openapi.ts';
import { referralWebhooks } from './modules/referrals/webhook.openapi.ts';
import type { IsoDate } from './platform/dates.ts';
import { jsonSchemaOf, ProblemSchema, withAvailabilityResponses, type ApiPart } from './platform/openapi.ts';

export const OPENAPI_PATH = '/api/openapi.json';

/** The description for a server at `publicUrl`; `today` only fills in the schemas' shapes. */
export function buildOpenApi(publicUrl: string, today: IsoDate) {
  const parts: ApiPart[] = [referralApiPart(today), directoryApiPart()];
  return {
    openapi: '3.1.0',
    info: {
      title: 'Mortar API',
      version: '1.0.0',
      summary: 'Refer people who smoke to stop smoking support, and read the directory of services.',
      description:
        'Two APIs. The referral API records Very Brief Advice and refers people to the stop smoking service their local authority pays for; each organisation authenticates with its own API key. ' +
        'The directory API publishes stop smoking services as Open Referral UK open data, with no key. ' +
        'Every error is a problem document (RFC 9457, `application/problem+json`). How to connect: docs/api.md.',
      license: {
        name: 'Open Government Licence v3.0',
        url: 'https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/',
      },
      contact: { name: 'Mortar', url: `${publicUrl.replace(/\/$/, '')}/` },
    },
    servers: [{ url: publicUrl.replace(/\/$/, ''), description: 'This Mortar' }],
    tags: parts.flatMap((p) => p.tags),
    security: [{ apiKey: [] }],
    paths: withAvailabilityResponses(Object.assign({}, ...parts.map((p) => p.paths))),
    // What Mortar sends to a referring system's endpoints (docs/webhooks.md).
    webhooks: referralWebhooks(),
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description:
            "Your organisation's API key, from its administrator in Mortar (Administration, API keys): `Authorization: Bearer <key>`",
        },
      },
      schemas: Object.assign(
        { Problem: jsonSchemaOf(ProblemSchema, 'output') },
        ...parts.map((p) => p.schemas),
      ),
    },
  };
}
