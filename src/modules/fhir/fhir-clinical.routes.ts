// The person's smoking status, PHQ-9 and GAD-7 and four-week outcome, for the organisation that referred
// them, as far as their consents allow (fhir-clinical.ts): searched by patient, or read by id. Every id
// starts with the referral's, so a read goes through the same scope and consents as a search.
import type { FastifyInstance } from 'fastify';
import { actorOf } from '../../platform/access.ts';
import { notFound } from '../../platform/errors.ts';
import { apiRoute, sendResource, type FhirReferralDeps } from './fhir-http.plugin.ts';
import { clinicalResourcesOf } from './fhir-clinical.service.ts';
import { fhirValidationError } from './fhir-referral.service.ts';
import { FHIR_JSON, searchset } from './fhir-resources.ts';
import { parseSearch } from './fhir-search.ts';

const patientId = (v: string) => v.replace(/^Patient\//, '');

export function registerFhirClinicalRoutes(fhir: FastifyInstance, { db, base }: FhirReferralDeps) {
  for (const type of ['Observation', 'QuestionnaireResponse']) {
    const searchParams = { patient: 'reference' as const, subject: 'reference' as const };
    fhir.get(
      `/${type}`,
      apiRoute({ type, interaction: 'search-type', searchParams }),
      async (request, reply) => {
        const search = parseSearch(request.query as Record<string, string>, {
          tokens: {},
          dates: [],
          strings: ['patient', 'subject'],
        });
        if ('errors' in search) throw fhirValidationError(search.errors);
        const patient = search.strings.patient ?? search.strings.subject;
        if (!patient)
          throw fhirValidationError([
            { path: 'patient', message: "Search by patient: the referral's Patient" },
          ]);
        const all = (
          await clinicalResourcesOf(db, actorOf(request), patientId(patient), base, request.id)
        ).filter((r) => r.resourceType === type);
        const { count, offset } = search.page;
        const links = { base, path: `/${type}`, params: search.params };
        const bundle = searchset(
          all.slice(offset, offset + count),
          all.length,
          search.page,
          links,
          fhir.clock.now(),
        );
        return reply.type(`${FHIR_JSON}; charset=utf-8`).send(bundle);
      },
    );
    fhir.get(`/${type}/:id`, apiRoute({ type, interaction: 'read' }), async (request, reply) => {
      const id = (request.params as { id: string }).id;
      const referralId = id.split('.')[0]!;
      const found = (await clinicalResourcesOf(db, actorOf(request), referralId, base, request.id)).find(
        (r) => r.resourceType === type && r.id === id,
      );
      if (!found) throw notFound(`No ${type} with this id that you may see`);
      return sendResource(reply, found);
    });
  }
}
