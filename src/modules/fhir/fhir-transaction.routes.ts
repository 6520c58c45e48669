// POST /fhir: a referral as a transaction Bundle (the Patient as its own entry). The same service makes
// it as POST /fhir/ServiceRequest does; the answer is a transaction-response with the Patient and the
// ServiceRequest made, in the order sent. The Task has the referral's id too.
import type { FastifyInstance } from 'fastify';
import { actorOf } from '../../platform/access.ts';
import { apiRoute, type FhirReferralDeps } from './fhir-http.plugin.ts';
import { patientOf, serviceRequestOf } from './fhir-referral.ts';
import { createFromServiceRequest, fhirValidationError } from './fhir-referral.service.ts';
import { FHIR_JSON } from './fhir-resources.ts';
import { readTransaction } from './fhir-transaction.ts';

export function registerFhirTransactionRoutes(fhir: FastifyInstance, deps: FhirReferralDeps) {
  const documentation = 'A referral: one Patient and one ServiceRequest, each POSTed';
  fhir.post(
    '/',
    apiRoute({ type: 'system', interaction: 'transaction', documentation }),
    async (request, reply) => {
      const sent = readTransaction(request.body);
      if ('errors' in sent) throw fhirValidationError(sent.errors);
      const header = request.headers['idempotency-key'];
      const { viewed, replayed } = await createFromServiceRequest(
        deps,
        actorOf(request),
        {
          resource: sent.serviceRequest,
          bundled: sent.bundled,
          idempotencyKey: typeof header === 'string' ? header : undefined,
        },
        fhir.clock.today(),
        request.id,
      );
      const made = { Patient: patientOf(viewed), ServiceRequest: serviceRequestOf(viewed, deps.base) };
      const entries = (
        request.body as { entry: { resource: { resourceType: 'Patient' | 'ServiceRequest' } }[] }
      ).entry.map(({ resource: { resourceType } }) => {
        const resource = made[resourceType];
        return {
          fullUrl: `${deps.base}/${resourceType}/${resource.id}`,
          resource,
          response: {
            status: replayed ? '200 OK' : '201 Created',
            location: `${resourceType}/${resource.id}/_history/${resource.meta?.versionId}`,
            lastModified: resource.meta?.lastUpdated,
          },
        };
      });
      const bundle = { resourceType: 'Bundle', type: 'transaction-response', entry: entries };
      return reply.type(`${FHIR_JSON}; charset=utf-8`).send(bundle);
    },
  );
}
