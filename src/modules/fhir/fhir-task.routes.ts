// A referral's Task beyond reading it: its versions (what changed, as far as the referrer may see) and
// the referrer's one change, cancelling it, which withdraws the referral while the service has not yet
// accepted it (referral-changes.service.ts, as on the referral's page and in the JSON API).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { actorOf } from '../../platform/access.ts';
import { HttpError, notFound } from '../../platform/errors.ts';
import { apiRoute, sendResource, type FhirReferralDeps } from './fhir-http.plugin.ts';
import { taskHistory, taskOf } from './fhir-referral.ts';
import { cancelReferral, fhirValidationError, readReferral } from './fhir-referral.service.ts';
import { FHIR_JSON, historyBundle } from './fhir-resources.ts';
import { taskChangeOf } from './fhir-task-change.ts';

const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

export function registerFhirTaskRoutes(fhir: FastifyInstance, { db, base }: FhirReferralDeps) {
  fhir.get(
    '/Task/:id/_history',
    apiRoute({ type: 'Task', interaction: 'history-instance' }),
    async (request, reply) => {
      const viewed = await readReferral(db, actorOf(request), idOf(request), request.id);
      const bundle = historyBundle(taskHistory(viewed, base), base, `/Task/${viewed.referral.id}/_history`);
      return reply.type(`${FHIR_JSON}; charset=utf-8`).send(bundle);
    },
  );

  fhir.get(
    '/Task/:id/_history/:vid',
    apiRoute({ type: 'Task', interaction: 'vread' }),
    async (request, reply) => {
      const viewed = await readReferral(db, actorOf(request), idOf(request), request.id);
      const vid = (request.params as { vid: string }).vid;
      const version = /^\d{1,6}$/.test(vid) ? taskHistory(viewed, base)[Number(vid) - 1] : undefined;
      if (!version) throw notFound('No such version of this Task');
      return sendResource(reply, version);
    },
  );

  const change = (method: 'put' | 'patch') =>
    fhir[method](
      '/Task/:id',
      apiRoute({ type: 'Task', interaction: method === 'put' ? 'update' : 'patch' }),
      async (request, reply) => {
        const actor = actorOf(request);
        const current = taskOf(await readReferral(db, actor, idOf(request), request.id), base);
        const asked = taskChangeOf(method, request.body, current);
        if ('errors' in asked) throw fhirValidationError(asked.errors);
        if (asked.status === current.status) return sendResource(reply, current);
        if (asked.status !== 'cancelled')
          throw new HttpError(
            422,
            'This change cannot be made',
            'The service changes the task; the referrer may only cancel it.',
          );
        return sendResource(
          reply,
          taskOf(await cancelReferral(db, actor, idOf(request), asked.reason, request.id), base),
        );
      },
    );
  change('put');
  change('patch');
}
