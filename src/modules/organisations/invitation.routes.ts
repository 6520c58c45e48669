import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Database } from '../../db/database.ts';
import { noStore } from '../../platform/caching.ts';
import { formErrors } from '../../platform/forms.ts';
import { roleLabelOf } from '../../platform/roles.ts';
import { setFlash } from '../../platform/flash.ts';
import { AcceptInvitationSchema, bodyOf } from './organisation.schemas.ts';
import { acceptInvitation, findInvitationByToken, InvitationUnavailable } from './user.service.ts';
import { idParam, V } from './admin.routes.ts';

// Accepting an invitation: public, as the person has no account yet. The token in the link is a secret,
// so these pages must not be kept by the browser or anything in between.

const unavailable = (reply: FastifyReply, state: InvitationUnavailable['state']) =>
  reply.code(410).page(V('invitation-unavailable'), { title: 'This invitation cannot be used', state });

export function registerInvitationRoutes(app: FastifyInstance, { db }: { db: Database }) {
  app.get('/invitations/:token', { config: { access: 'public' } }, async (request, reply) => {
    const inv = await findInvitationByToken(db, idParam(request, 'token'));
    noStore(reply);
    if (inv.state !== 'valid') return unavailable(reply, inv.state);
    return reply.page(V('invitation'), {
      title: 'Set your password',
      token: idParam(request, 'token'),
      invitation: inv,
      roleLabel: roleLabelOf(inv.role, inv.organisation_type),
    });
  });

  app.post(
    '/invitations/:token',
    { config: { access: 'public', rateLimit: { max: 10, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const token = idParam(request, 'token');
      const inv = await findInvitationByToken(db, token);
      noStore(reply);
      if (inv.state !== 'valid') return unavailable(reply, inv.state);
      const parsed = AcceptInvitationSchema.safeParse(bodyOf(request.body));
      if (!parsed.success) {
        // Passwords are never sent back to the browser, so there is nothing typed to keep.
        return reply.code(400).page(V('invitation'), {
          title: 'Set your password',
          token,
          invitation: inv,
          roleLabel: roleLabelOf(inv.role, inv.organisation_type),
          errors: formErrors(parsed.error),
        });
      }
      try {
        await acceptInvitation(db, token, parsed.data.password, request.id);
      } catch (err) {
        if (err instanceof InvitationUnavailable) return unavailable(reply, err.state);
        throw err;
      }
      setFlash(
        reply,
        'Your account is ready. Sign in with your email address and the password you just set.',
      );
      return reply.redirect('/sign-in', 303);
    },
  );
}
