// A referrer asks, on their account page, to be emailed when a referral they sent is accepted, declined
// or the service cannot reach the person (and, when the person agreed, of their progress).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { staffOf } from './access.ts';
import { accountPage } from './account.routes.ts';
import { setFlash } from './flash.ts';
import { formErrors } from './forms.ts';
import { setReferralUpdates } from './referral-updates-choice.service.ts';

const ChoiceSchema = z.object({
  referralUpdates: z.enum(['yes', 'no'], {
    error: 'Select yes if you want an email when something happens to a referral you sent',
  }),
});

export function registerReferralUpdatesChoiceRoutes(
  app: FastifyInstance,
  { db, config }: { db: Database; config: Config },
) {
  app.post('/account/referral-updates', { config: { access: ['referrer'] } }, async (request, reply) => {
    const parsed = ChoiceSchema.safeParse(request.body ?? {});
    if (!parsed.success) return accountPage(db, request, reply.code(400), formErrors(parsed.error), config);
    const on = parsed.data.referralUpdates === 'yes';
    await setReferralUpdates(db, staffOf(request), on, request.id);
    setFlash(
      reply,
      on
        ? 'We will email you when something happens to a referral you sent.'
        : 'We will not email you about your referrals.',
    );
    return reply.redirect('/account', 303);
  });
}
