import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { staffOf } from './access.ts';
import { formErrors, mergeErrors, type FormErrors } from './forms.ts';
import { ROLES } from './roles.ts';
import { askToWait, waitErrors } from './sign-in.routes.ts';
import { checkThrottled } from './sign-in.service.ts';
import { throttleRules } from './sign-in-throttle.ts';
import { secondStepSubject } from './two-factor-sign-in.routes.ts';
import { SecondStepSchema, WRONG_CODE } from './two-factor-pages.ts';
import { checkSecondFactor, replaceRecoveryCodes, twoFactorEnabled } from './two-factor.service.ts';

// New recovery codes, for someone who used or lost theirs. A code from the app (or a recovery code) is
// asked for, counted like a sign-in, so a session left open is not enough to make codes for someone else.

const EVERYONE = { access: ROLES };
const PATH = '/account/two-factor/recovery-codes';

export function registerTwoFactorRecoveryRoutes(
  app: FastifyInstance,
  { db, config }: { db: Database; config: Config },
) {
  const rules = throttleRules(config.signInThrottle);
  const page = (reply: FastifyReply, errors?: FormErrors) =>
    reply.page('two-factor-new-codes.njk', { title: 'Get new recovery codes', backHref: '/account', errors });

  app.get(PATH, { config: EVERYONE }, async (request, reply) => {
    if (!(await twoFactorEnabled(db, staffOf(request).id))) return reply.redirect('/account', 303);
    return page(reply);
  });

  app.post(PATH, { config: EVERYONE }, async (request, reply) => {
    const user = staffOf(request);
    if (!(await twoFactorEnabled(db, user.id))) return reply.redirect('/account', 303);
    const parsed = SecondStepSchema.safeParse(request.body ?? {});
    if (!parsed.success) return page(reply.code(400), formErrors(parsed.error));
    const now = app.clock.now();
    const checked = await checkThrottled(
      db,
      secondStepSubject(user.id),
      request.ip,
      rules,
      now,
      async () =>
        (await checkSecondFactor(db, user, parsed.data.code, config.twoFactorKey, now, request.id)) !== null,
    );
    if (!checked.ok && checked.retryAt) {
      askToWait(reply, checked.retryAt, now);
      return page(reply, waitErrors(checked.retryAt, now, 'code', 'code'));
    }
    if (!checked.ok) return page(reply.code(400), mergeErrors(undefined, 'code', WRONG_CODE));
    const codes = await replaceRecoveryCodes(db, user, request.id);
    return reply.header('cache-control', 'no-store').page('two-factor-recovery-codes.njk', {
      title: 'Your recovery codes',
      codes,
      continueHref: '/account',
    });
  });
}
