import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { setFlash } from './flash.ts';
import { formErrors } from './forms.ts';
import type { Notifier } from './notify.ts';
import {
  RESET_LINK_MINUTES,
  requestPasswordReset,
  resetLinkUsable,
  resetPassword,
} from './password.service.ts';
import { newPasswordFields, passwordsMatch } from './passwords.ts';

// Forgotten passwords: ask for a link by email, then choose a new password through it. Public pages.
// The answer to "send me a link" is the same whether or not the account exists, and comes before any
// of the work is done (which runs afterwards), so neither its words nor its timing tell.

const EmailSchema = z.object({
  email: z
    .string({ error: 'Enter your email address' })
    .trim()
    .min(1, 'Enter your email address')
    .max(254, 'Email address must be 254 characters or fewer')
    .email('Enter an email address in the correct format, like name@example.com'),
});

const ResetSchema = z.object(newPasswordFields).superRefine(passwordsMatch);

const PUBLIC = { access: 'public' as const };
const FORGOT_TITLE = 'Reset your password';
const RESET_TITLE = 'Choose a new password';

/** Pages that carry a reset token are not kept by browsers or proxies. */
const noStore = (reply: FastifyReply) => reply.header('Cache-Control', 'no-store');

export function registerPasswordResetRoutes(
  app: FastifyInstance,
  deps: { db: Database; config: Config; notifier: Notifier },
) {
  const { db, config, notifier } = deps;
  // Sends still going when the app closes are waited for, so a link asked for is not lost on shutdown.
  const sending = new Set<Promise<unknown>>();
  app.addHook('onClose', async () => {
    await Promise.allSettled([...sending]);
  });

  app.get('/forgot-password', { config: PUBLIC }, async (_request, reply) =>
    reply.page('forgot-password.njk', { title: FORGOT_TITLE, backHref: '/sign-in', values: {} }),
  );

  app.post(
    '/forgot-password',
    // Per address, across every instance; the hourly count per account is in the service.
    { config: { ...PUBLIC, rateLimit: { max: 5, timeWindow: '15 minutes' } } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const parsed = EmailSchema.safeParse(body);
      if (!parsed.success) {
        const email = typeof body.email === 'string' ? body.email.slice(0, 254) : '';
        return reply.code(400).page('forgot-password.njk', {
          title: FORGOT_TITLE,
          backHref: '/sign-in',
          values: { email },
          errors: formErrors(parsed.error),
        });
      }
      const work = requestPasswordReset(db, notifier, request.log, {
        email: parsed.data.email,
        publicUrl: config.publicUrl,
        now: new Date(),
        requestId: request.id,
      })
        .catch((err: unknown) =>
          request.log.error({ err: { type: err instanceof Error ? err.name : 'unknown' } }, 'reset not sent'),
        )
        .finally(() => sending.delete(work));
      sending.add(work);
      return reply.redirect('/forgot-password/sent', 303);
    },
  );

  app.get('/forgot-password/sent', { config: PUBLIC }, async (_request, reply) =>
    reply.page('forgot-password-sent.njk', {
      title: 'Check your email',
      minutes: RESET_LINK_MINUTES,
      csrf: false,
    }),
  );

  const unavailable = (reply: FastifyReply) =>
    reply.code(410).page('reset-password-unavailable.njk', {
      title: 'This link cannot be used',
      minutes: RESET_LINK_MINUTES,
      csrf: false,
    });

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
