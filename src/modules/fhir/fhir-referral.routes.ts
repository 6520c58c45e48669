// Referrals as FHIR (the closed loop of the NHS Booking and Referral Standard and HL7 Gravity): the
// referrer's system POSTs a ServiceRequest with the person, reads the ServiceRequest, its Task and the
// Patient, searches them, follows the Task's versions to see what changed, and cancels the Task to
// withdraw the referral. Every route is an organisation's API client's (an API key or an OAuth token).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { actorOf } from '../../platform/access.ts';
import { apiRoute, sendResource, type FhirReferralDeps } from './fhir-http.plugin.ts';
import { patientOf, serviceRequestOf, taskOf } from './fhir-referral.ts';
import { createFromServiceRequest, fhirValidationError, readReferral } from './fhir-referral.service.ts';
import type { Resource } from './fhir-resources.ts';
import { registerFhirReferralSearch } from './fhir-referral-search.routes.ts';
import { registerFhirTaskRoutes } from './fhir-task.routes.ts';

const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

function resourceOf(body: unknown, type: string): Resource {
  if (body && typeof body === 'object' && (body as Resource).resourceType === type) return body as Resource;
  throw fhirValidationError([{ path: type, message: `Send a ${type} resource as JSON` }]);
}

export function registerFhirReferralRoutes(fhir: FastifyInstance, deps: FhirReferralDeps) {
  const { db, base } = deps;
  fhir.post(
    '/ServiceRequest',
    apiRoute({ type: 'ServiceRequest', interaction: 'create' }),
    async (request, reply) => {
      const header = request.headers['idempotency-key'];
      const { viewed, replayed } = await createFromServiceRequest(
        deps,
        actorOf(request),
        {
          resource: resourceOf(request.body, 'ServiceRequest'),
          idempotencyKey: typeof header === 'string' ? header : undefined,
        },
        fhir.clock.today(),
        request.id,
      );
      const created = serviceRequestOf(viewed, base);
      reply.header('location', `${base}/ServiceRequest/${created.id}/_history/${created.meta?.versionId}`);
      reply.header('content-location', `${base}/Task/${created.id}`);
      return sendResource(reply, created, replayed ? 200 : 201);
    },
  );

  const read = (type: string, make: (v: Awaited<ReturnType<typeof readReferral>>) => Resource) =>
    fhir.get(`/${type}/:id`, apiRoute({ type, interaction: 'read' }), async (request, reply) =>
      sendResource(reply, make(await readReferral(db, actorOf(request), idOf(request), request.id))),
    );
  read('ServiceRequest', (v) => serviceRequestOf(v, base));
  read('Task', (v) => taskOf(v, base));
  read('Patient', (v) => patientOf(v));

  registerFhirTaskRoutes(fhir, deps);
  registerFhirReferralSearch(fhir, deps);
}
