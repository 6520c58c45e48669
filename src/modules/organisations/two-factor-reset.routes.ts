import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { setFlash } from '../../platform/flash.ts';
import { twoFactorRequired } from '../../platform/two-factor.ts';
import { ADMIN, idParam } from './admin.routes.ts';
import { resetTwoFactor } from './two-factor-reset.service.ts';

// An administrator resets the two-factor sign-in of someone in their organisation who lost their phone
// and their recovery codes (a national administrator, anyone's). Audited. Their next sign-in is with the
// password alone, or, for roles that must use two factors, goes through setting it up again.

export function registerTwoFactorResetRoutes(app: FastifyInstance, { db }: { db: Database }) {
  app.post('/admin/users/:userId/two-factor/reset', { config: { access: ADMIN } }, async (request, reply) => {
    const user = await resetTwoFactor(db, staffOf(request), idParam(request, 'userId'), request.id);
    const reset = user.reset;
    setFlash(
      reply,
      !reset
        ? `${user.name} does not use two-factor sign-in.`
        : twoFactorRequired(user.role)
          ? `${user.name}'s two-factor sign-in has been reset. They will set it up again when they next sign in.`
          : `${user.name}'s two-factor sign-in has been reset. They can set it up again from their account.`,
    );
    return reply.redirect(`/admin/users?organisationId=${user.organisation_id}`, 303);
  });
}
