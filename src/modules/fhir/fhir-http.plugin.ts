// The FHIR API's HTTP conventions, in the one Fastify scope every FHIR route is registered in:
// application/fhir+json in and out (application/json too), every error an OperationOutcome (the app's
// problem documents are turned into one on the way out, so the access check's 401 and the error
// handler's 4xx need no second path), and each route's part in the CapabilityStatement.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { sendProblem } from '../../platform/errors.ts';
import { FHIR_JSON, outcomeOfProblem, type Resource } from './fhir-resources.ts';
import type { RouteInteraction } from './capability-statement.ts';
import type { Database } from '../../db/database.ts';
import type { PostcodeLookup } from '../../platform/postcode-lookup.ts';

export type FhirReferralDeps = { db: Database; postcodes: PostcodeLookup; base: string };

/** An organisation's API client's route (an API key or an OAuth token), and its part in the CapabilityStatement. */
export const apiRoute = (fhir: RouteInteraction) => ({ config: { access: 'api' as const, fhir } });

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What a FHIR route does, for the CapabilityStatement (capability-statement.ts). */
    fhir?: RouteInteraction;
  }
}

export function sendResource(reply: FastifyReply, resource: Resource, status = 200) {
  if (resource.meta?.versionId) reply.header('etag', `W/"${resource.meta.versionId}"`);
  if (resource.meta?.lastUpdated)
    reply.header('last-modified', new Date(resource.meta.lastUpdated).toUTCString());
  return reply.code(status).type(`${FHIR_JSON}; charset=utf-8`).send(resource);
}

/** Sets up the scope; returns the interactions its routes declare, filled in as they register. */
export function registerFhirScope(fhir: FastifyInstance, base: string): RouteInteraction[] {
  const declared: RouteInteraction[] = [];
  fhir.addHook('onRoute', (route) => {
    // Every FHIR route is in the CapabilityStatement but the statement itself, or the app does not start.
    if (!route.config?.fhir) {
      if (route.url.endsWith('/metadata')) return;
      throw new Error(
        `FHIR route ${String(route.method)} ${route.url} declares no interaction (config.fhir)`,
      );
    }
    // Fastify adds a HEAD route for each GET: one interaction, not two.
    if (route.method !== 'HEAD') declared.push(route.config.fhir);
  });
  const json = fhir.getDefaultJsonParser('error', 'error');
  fhir.addContentTypeParser([FHIR_JSON, 'application/json-patch+json'], { parseAs: 'string' }, json);

  fhir.addHook('onSend', async (_request, reply, payload) => {
    const type = String(reply.getHeader('content-type') ?? '');
    if (!type.startsWith('application/problem+json') || typeof payload !== 'string') return payload;
    const problem = JSON.parse(payload) as Parameters<typeof outcomeOfProblem>[0];
    reply.header('content-type', `${FHIR_JSON}; charset=utf-8`);
    return JSON.stringify(outcomeOfProblem(problem, reply.statusCode, base));
  });
  fhir.setNotFoundHandler(async (_request, reply) =>
    sendProblem(reply, 404, 'Not found', 'Mortar has no such FHIR resource type or interaction.'),
  );
  return declared;
}
