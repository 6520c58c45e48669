import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { formErrors } from './forms.ts';
import { createSession, destroySession, SESSION_COOKIE } from './sessions.ts';
import { checkSignIn, safeReturnTo } from './sign-in.service.ts';

const SignInSchema = z.object({
  email: z
    .string()
    .trim()
    .min(1, 'Enter your email address')
    .max(254, 'Email address must be 254 characters or fewer')
    .email('Enter an email address in the correct format, like name@example.com'),
  password: z.string().min(1, 'Enter your password').max(200, 'Password must be 200 characters or fewer'),
  returnTo: z.string().optional(),
});

const FAILED =
  'Enter a correct email address and password. If you have tried several times, wait 15 minutes and try again.';

export function registerSignIn(app: FastifyInstance, db: Database, config: Config) {
  const cookieOptions = {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: config.cookieSecure,
    path: '/',
    maxAge: Math.floor(config.sessionTtlMs / 1000),
  };

  app.get('/sign-in', { config: { access: 'public' } }, async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    if (request.user) return reply.redirect(safeReturnTo(q.returnTo), 303);
    return reply.page('sign-in.njk', { title: 'Sign in', values: { returnTo: safeReturnTo(q.returnTo) } });
  });

  app.post(
    '/sign-in',
    {
      config: {
        access: 'public',
        rateLimit: { max: config.signInRateLimitPerMinute, timeWindow: '1 minute' },
      },
    },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const parsed = SignInSchema.safeParse(body);
      const values = {
        email: typeof body.email === 'string' ? body.email.slice(0, 254) : '',
        returnTo: safeReturnTo(body.returnTo),
      };
      if (!parsed.success) {
        return reply
          .code(400)
          .page('sign-in.njk', { title: 'Sign in', values, errors: formErrors(parsed.error) });
      }
      const result = await checkSignIn(db, parsed.data.email, parsed.data.password, {
        maxFailures: config.signInMaxFailures,
        lockoutMs: config.signInLockoutMs,
      });
      if (!result.ok) {
        return reply.code(401).page('sign-in.njk', {
          title: 'Sign in',
          values,
          errors: { list: [{ text: FAILED, href: '#email' }], fields: { email: { text: FAILED } } },
        });
      }
      const token = await createSession(db, result.userId, config.sessionTtlMs);
      reply.setCookie(SESSION_COOKIE, token, cookieOptions);
      return reply.redirect(values.returnTo, 303);
    },
  );

  app.post('/sign-out', { config: { access: 'public' } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await destroySession(db, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/signed-out', 303);
  });

  app.get('/signed-out', { config: { access: 'public' } }, async (_request, reply) =>
    reply.page('signed-out.njk', { title: 'You have signed out' }),
  );
}
