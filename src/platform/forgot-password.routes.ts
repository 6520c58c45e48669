import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { formErrors } from './forms.ts';
import type { Notifier } from './notify.ts';
import { RESET_LINK_MINUTES, requestPasswordReset } from './password.service.ts';

// Forgotten passwords, first step: ask for a link by email (password-reset.routes.ts is the second step,
// choosing a new password through it). Public pages.
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

const PUBLIC = { access: 'public' as const };
const FORGOT_TITLE = 'Reset your password';

export function registerForgotPasswordRoutes(
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
}
