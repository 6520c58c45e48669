// The referrer's changes through the API, as on the referral's page (referral-changes.service.ts): while
// the service has not yet accepted a referral, the organisation that sent it may withdraw it or correct
// the person's phone and email, with a reason the service reads in its history.
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.ts';
import { actorOf } from '../../platform/access.ts';
import { changeReferral, type ReferrerChange } from './referral-changes.service.ts';
import { correctionSchema, withdrawSchema } from './referral-changes.schemas.ts';
import { referralDocument, validationProblem } from './referral-api.documents.ts';
import { viewReferral } from './referral.service.ts';

export function registerReferralApiChanges(app: FastifyInstance, { db }: { db: Database }) {
  const config = { access: 'api' as const };

  app.post('/api/v1/referrals/:id/withdraw', { config }, async (request, reply) => {
    const actor = actorOf(request);
    const id = (request.params as { id: string }).id;
    const { referral } = await viewReferral(db, actor, id, request.id);
    const parsed = withdrawSchema.safeParse(request.body ?? {});
    if (!parsed.success) throw validationProblem(parsed.error);
    await changeReferral(db, actor, referral.id, { kind: 'withdraw', ...parsed.data }, request.id);
    return reply.send(referralDocument(await viewReferral(db, actor, referral.id, request.id)));
  });

  app.post('/api/v1/referrals/:id/contact-details', { config }, async (request, reply) => {
    const actor = actorOf(request);
    const id = (request.params as { id: string }).id;
    const { referral } = await viewReferral(db, actor, id, request.id);
    const parsed = correctionSchema(referral.contact_methods).safeParse(request.body ?? {});
    if (!parsed.success) throw validationProblem(parsed.error);
    const change: ReferrerChange = { kind: 'correct', ...parsed.data };
    await changeReferral(db, actor, referral.id, change, request.id);
    return reply.send(referralDocument(await viewReferral(db, actor, referral.id, request.id)));
  });
}
