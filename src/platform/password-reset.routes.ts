import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Database } from '../db/database.ts';
import { setFlash } from './flash.ts';
import { formErrors } from './forms.ts';
import { RESET_LINK_MINUTES, resetLinkUsable, resetPassword } from './password.service.ts';
import { newPasswordFields, passwordsMatch } from './passwords.ts';

// Forgotten passwords, second step: choose a new password through the link sent by email
// (forgot-password.routes.ts asks for it). Public pages.

const ResetSchema = z.object(newPasswordFields).superRefine(passwordsMatch);

const PUBLIC = { access: 'public' as const };
const RESET_TITLE = 'Choose a new password';

/** Pages that carry a reset token are not kept by browsers or proxies. */
const noStore = (reply: FastifyReply) => reply.header('Cache-Control', 'no-store');

const unavailable = (reply: FastifyReply) =>
  reply.code(410).page('reset-password-unavailable.njk', {
    title: 'This link cannot be used',
    minutes: RESET_LINK_MINUTES,
    csrf: false,
  });

export function registerPasswordResetRoutes(app: FastifyInstance, { db }: { db: Database }) {
  // The token travels in the query string, which logs leave out, and then in the form's body.
  app.get('/reset-password', { config: PUBLIC }, async (request, reply) => {
    noStore(reply);
    const { token } = request.query as Record<string, unknown>;
    if (!(await resetLinkUsable(db, token, new Date()))) return unavailable(reply);
    return reply.page('reset-password.njk', { title: RESET_TITLE, token });
  });

  app.post(
    '/reset-password',
    { config: { ...PUBLIC, rateLimit: { max: 10, timeWindow: '15 minutes' } } },
    async (request, reply) => {
      noStore(reply);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const token = typeof body.token === 'string' ? body.token : '';
      const now = new Date();
      if (!(await resetLinkUsable(db, token, now))) return unavailable(reply);
      const parsed = ResetSchema.safeParse(body);
      if (!parsed.success) {
        // Passwords are never sent back to the browser, so there is nothing typed to keep.
        return reply
          .code(400)
          .page('reset-password.njk', { title: RESET_TITLE, token, errors: formErrors(parsed.error) });
      }
      if (!(await resetPassword(db, token, parsed.data.password, now, request.id))) return unavailable(reply);
      setFlash(reply, 'Your password has been changed. Sign in with your new password.');
      return reply.redirect('/sign-in', 303);
    },
  );
}
