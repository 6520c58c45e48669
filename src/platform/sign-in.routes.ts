import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { rotateCsrfSecret } from './csrf.ts';
import { HttpError } from './errors.ts';
import { formErrors, type FormErrors } from './forms.ts';
import { hasControlCharacters, safeReturnTo } from './return-to.ts';
import { createSession, destroySession, SESSION_COOKIE, sessionPolicy, type SsoSession } from './sessions.ts';
import { afterSignOut } from './oidc-client.ts';
import { throttleRules, waitInWords } from './sign-in-throttle.ts';
import { checkSignIn } from './sign-in.service.ts';
import { secondStepFor } from './two-factor.service.ts';
import { startChallenge } from './sign-in-challenge.ts';

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

const FAILED = 'Enter a correct email address and password';

/** The error summary when someone has to wait before trying again. */
export function waitErrors(
  retryAt: Date,
  now: Date,
  field: string,
  what: 'password' | 'code' = 'password',
): FormErrors {
  const text = `You have entered a wrong ${what} too many times. Wait ${waitInWords(retryAt, now)}, then try again`;
  return { list: [{ text, href: `#${field}` }], fields: { [field]: { text } } };
}

/** Sets the status and Retry-After of an answer that asks someone to wait. */
export function askToWait(reply: FastifyReply, retryAt: Date, now: Date): FastifyReply {
  const seconds = Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 1000));
  return reply.code(429).header('retry-after', seconds);
}

/** A bad request for a return address nobody could have typed (a header could not even hold it). */
function refuseControlCharacters(value: unknown) {
  if (hasControlCharacters(value))
    throw new HttpError(
      400,
      'Sorry, there is a problem with this request',
      'The link you followed is not valid.',
    );
}

/**
 * Starts a session for someone who has just proved who they are: a new session cookie, and a new CSRF
 * secret so that no token from before counts any more.
 */
export async function startSession(
  request: FastifyRequest,
  reply: FastifyReply,
  db: Database,
  config: Config,
  userId: string,
  sso?: SsoSession,
): Promise<void> {
  const token = await createSession(db, userId, sessionPolicy(config), new Date(), sso);
  rotateCsrfSecret(request, reply);
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.cookieSecure,
    path: '/',
    // The browser may forget it sooner; the server ends it after SESSION_TTL_HOURS idle in any case.
    maxAge: Math.floor(config.sessionMaxMs / 1000),
  });
}

export function registerSignIn(app: FastifyInstance, { db, config }: { db: Database; config: Config }) {
  const rules = throttleRules(config.signInThrottle);
  // A button for each identity provider (docs/sso.md); passwords stay.
  const ssoProviders = config.ssoProviders.map((p) => ({ id: p.id, name: p.name }));

  app.get('/sign-in', { config: { access: 'public' } }, async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    refuseControlCharacters(q.returnTo);
    if (request.user) return reply.redirect(safeReturnTo(q.returnTo), 303);
    return reply.page('sign-in.njk', {
      title: 'Sign in',
      values: { returnTo: safeReturnTo(q.returnTo) },
      ssoProviders,
    });
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
      refuseControlCharacters(body.returnTo);
      const parsed = SignInSchema.safeParse(body);
      const values = {
        email: typeof body.email === 'string' ? body.email.slice(0, 254) : '',
        returnTo: safeReturnTo(body.returnTo),
      };
      const again = (status: number, errors: FormErrors) =>
        reply.code(status).page('sign-in.njk', { title: 'Sign in', values, errors, ssoProviders });
      if (!parsed.success) return again(400, formErrors(parsed.error));

      const now = new Date();
      const result = await checkSignIn(db, parsed.data.email, parsed.data.password, request.ip, rules, now);
      if (!result.ok && result.retryAt) {
        askToWait(reply, result.retryAt, now);
        return again(429, waitErrors(result.retryAt, now, 'email'));
      }
      if (!result.ok)
        return again(401, { list: [{ text: FAILED, href: '#email' }], fields: { email: { text: FAILED } } });
      const step = await secondStepFor(db, result.userId, config.env === 'production');
      if (step !== 'none')
        return startChallenge(reply, db, config, result.userId, step, values.returnTo, now);
      await startSession(request, reply, db, config, result.userId);
      return reply.redirect(values.returnTo, 303);
    },
  );

  app.post('/sign-out', { config: { access: 'public' } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    const sso = token ? await destroySession(db, token) : null;
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    // A session from single sign-on ends at its provider too, where the provider offers that.
    return reply.redirect(await afterSignOut(config, sso), 303);
  });

  app.get('/signed-out', { config: { access: 'public' } }, async (_request, reply) =>
    reply.page('signed-out.njk', { title: 'You have signed out' }),
  );
}
