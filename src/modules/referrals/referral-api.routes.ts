import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { actorOf } from '../../platform/access.ts';
import { HttpError, sendProblem } from '../../platform/errors.ts';
import type { PostcodeLookup } from '../../platform/postcode-lookup.ts';
import {
  createReferral,
  listReferralsAudited,
  recordAdviceOnly,
  recordAskedOnly,
  viewReferral,
} from './referral.service.ts';
import { parseApiBody } from './referral.schemas.ts';
import { STATUS_KINDS } from './referral-status.ts';
import { listItem, referralDocument, validationProblem } from './referral-api.documents.ts';
import { buildOpenApi } from './referral.openapi.ts';
import { requestFingerprint } from './idempotency.ts';

type Deps = { db: Database; postcodes: PostcodeLookup; config: Config };

const ListQuery = z.object({
  status: z.enum(STATUS_KINDS).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

/** The Idempotency-Key header, checked; undefined when none was sent. */
function idempotencyOf(request: FastifyRequest) {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(key)) {
    throw new HttpError(
      400,
      'Your request has errors',
      'Idempotency-Key must be 1 to 200 visible ASCII characters.',
    );
  }
  return { key, fingerprint: requestFingerprint(request.body) };
}

export function registerReferralApi(app: FastifyInstance, deps: Deps) {
  const { db } = deps;
  let openApi: unknown;

  app.get('/api/openapi.json', { config: { access: 'public' } }, async () => (openApi ??= buildOpenApi()));

  app.post('/api/v1/referrals', { config: { access: 'api' } }, async (request, reply) => {
    const actor = actorOf(request);
    const parsed = parseApiBody(request.body, app.clock.today());
    if (parsed.kind === 'invalid') throw validationProblem(parsed.error);
    if (parsed.kind === 'asked_only') {
      const { adviceId } = await recordAskedOnly(deps, actor, parsed.data);
      return reply.code(201).send({ outcome: 'asked_recorded', adviceId });
    }
    if (parsed.data.acceptsReferral === 'no') {
      const { adviceId } = await recordAdviceOnly(deps, actor, parsed.data);
      return reply.code(201).send({ outcome: 'advice_recorded', adviceId });
    }
    const created = await createReferral(deps, actor, parsed.data, request.id, idempotencyOf(request));
    reply.header('Location', `/api/v1/referrals/${created.id}`);
    if (created.replayed) reply.header('Idempotent-Replayed', 'true');
    return reply.code(created.replayed ? 200 : 201).send({
      outcome: 'referred',
      id: created.id,
      reference: created.reference,
      status: 'received',
      service: { name: created.serviceName },
    });
  });

  app.get('/api/v1/referrals', { config: { access: 'api' } }, async (request, reply) => {
    const actor = actorOf(request);
    const q = ListQuery.safeParse(request.query ?? {});
    if (!q.success) throw validationProblem(q.error);
    const filter = {
      statuses: q.data.status ? [q.data.status] : undefined,
      limit: q.data.limit,
      offset: q.data.offset,
    };
    const rows = await listReferralsAudited(db, actor, filter, request.id);
    return reply.send({
      items: rows.map(listItem),
      limit: q.data.limit,
      offset: q.data.offset,
    });
  });

  app.get('/api/v1/referrals/:id', { config: { access: 'api' } }, async (request, reply) => {
    const actor = actorOf(request);
    const viewed = await viewReferral(db, actor, (request.params as { id: string }).id, request.id);
    return reply.send(referralDocument(viewed));
  });

  // Problem documents for unsupported methods under the API, not an HTML page.
  app.all('/api/*', { config: { access: 'public' } }, async (_request, reply) =>
    sendProblem(reply, 404, 'Not found'),
  );
}
