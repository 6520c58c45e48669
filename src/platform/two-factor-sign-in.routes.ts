import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { setFlash } from './flash.ts';
import { formErrors, mergeErrors, type FormErrors } from './forms.ts';
import { safeReturnTo } from './return-to.ts';
import { challengeOf, finishChallenge } from './sign-in-challenge.ts';
import { askToWait, startSession, waitErrors } from './sign-in.routes.ts';
import { checkThrottled } from './sign-in.service.ts';
import { throttleRules } from './sign-in-throttle.ts';
import { SecondStepSchema, SetUpCodeSchema, setUpView, WRONG_CODE } from './two-factor-pages.ts';
import {
  checkSecondFactor,
  confirmSetUp,
  recoveryCodesLeft,
  secondStepFor,
  secretToSetUp,
} from './two-factor.service.ts';

// The second step of signing in: a code (or a recovery code) from someone with two factors on, or
// setting them up for an administrator who has not yet. The session starts only once it is done.

/** The throttle's subject for codes: apart from the password's, so a right password clears no code. */
export const secondStepSubject = (userId: string) => `second-step\n${userId}`;

const returnToOf = (request: FastifyRequest) => {
  const q = (request.query ?? {}) as Record<string, unknown>;
  const b = (request.body ?? {}) as Record<string, unknown>;
  return safeReturnTo(b.returnTo ?? q.returnTo);
};

type Deps = { db: Database; config: Config };

const limitedFor = (config: Config) => ({
  access: 'public' as const,
  rateLimit: { max: config.signInRateLimitPerMinute, timeWindow: '1 minute' },
});

// Someone with no challenge (it ended, or they never gave a password) starts again.
const startAgain = (reply: FastifyReply) => reply.redirect('/sign-in', 303);

export function registerTwoFactorSignIn(app: FastifyInstance, deps: Deps) {
  registerCodeStep(app, deps);
  registerSetUpStep(app, deps);
}

function registerCodeStep(app: FastifyInstance, { db, config }: Deps) {
  const rules = throttleRules(config.signInThrottle);
  const limited = limitedFor(config);
  const codePage = (reply: FastifyReply, returnTo: string, errors?: FormErrors) =>
    reply.page('sign-in-code.njk', { title: 'Enter your security code', values: { returnTo }, errors });

  app.get('/sign-in/code', { config: { access: 'public' } }, async (request, reply) => {
    const user = await challengeOf(db, request, app.clock.now());
    if (!user) return startAgain(reply);
    return codePage(reply, returnToOf(request));
  });

  app.post('/sign-in/code', { config: limited }, async (request, reply) => {
    const now = app.clock.now();
    const user = await challengeOf(db, request, now);
    if (!user) return startAgain(reply);
    const returnTo = returnToOf(request);
    const parsed = SecondStepSchema.safeParse(request.body ?? {});
    if (!parsed.success) return codePage(reply.code(400), returnTo, formErrors(parsed.error));
    let used: 'code' | 'recovery' | null = null;
    const result = await checkThrottled(db, secondStepSubject(user.id), request.ip, rules, now, async () => {
      used = await checkSecondFactor(db, user, parsed.data.code, config.twoFactorKey, now, request.id);
      return used !== null;
    });
    if (!result.ok && result.retryAt) {
      askToWait(reply, result.retryAt, now);
      return codePage(reply.code(429), returnTo, waitErrors(result.retryAt, now, 'code', 'code'));
    }
    if (!result.ok) return codePage(reply.code(401), returnTo, mergeErrors(undefined, 'code', WRONG_CODE));
    await finishChallenge(db, request, reply);
    await startSession(request, reply, db, config, user.id, user.sso);
    if (used !== 'recovery') return reply.redirect(returnTo, 303);
    // To the account page, which says how many are left, rather than a page that may redirect the news away.
    const left = await recoveryCodesLeft(db, user.id);
    setFlash(reply, `You used a recovery code. You have ${left} left. Each one works only once.`);
    return reply.redirect('/account', 303);
  });
}

// The set-up page shows the same secret on every load, beside returnTo from the address: never compressed,
// or its length could give the secret away (compression.ts, BREACH).
const UNCOMPRESSED = { compress: false } as const;

function registerSetUpStep(app: FastifyInstance, { db, config }: Deps) {
  const production = config.env === 'production';
  const limited = limitedFor(config);
  const setUpPage = async (
    reply: FastifyReply,
    secret: string,
    email: string,
    returnTo: string,
    errors?: FormErrors,
  ) =>
    // The secret is on the page: no copy of it may be kept by the browser or anything between.
    reply.header('cache-control', 'no-store').page('two-factor-set-up.njk', {
      title: 'Set up two-factor sign-in',
      action: '/sign-in/set-up',
      required: true,
      values: { returnTo },
      errors,
      ...(await setUpView(secret, email)),
    });

  /** The account and its secret being set up, when this browser's challenge is to set two factors up. */
  async function settingUp(request: FastifyRequest, now: Date) {
    const user = await challengeOf(db, request, now);
    if (!user || (await secondStepFor(db, user.id, production)) !== 'set-up') return null;
    const secret = await secretToSetUp(db, user.id, config.twoFactorKey);
    return secret ? { user, secret } : null;
  }

  app.get('/sign-in/set-up', { config: { access: 'public' }, ...UNCOMPRESSED }, async (request, reply) => {
    const s = await settingUp(request, app.clock.now());
    if (!s) return startAgain(reply);
    return setUpPage(reply, s.secret, s.user.email, returnToOf(request));
  });

  app.post('/sign-in/set-up', { config: limited, ...UNCOMPRESSED }, async (request, reply) => {
    const now = app.clock.now();
    const s = await settingUp(request, now);
    if (!s) return startAgain(reply);
    const returnTo = returnToOf(request);
    const again = (errors: FormErrors) =>
      setUpPage(reply.code(400), s.secret, s.user.email, returnTo, errors);
    const parsed = SetUpCodeSchema.safeParse(request.body ?? {});
    if (!parsed.success) return again(formErrors(parsed.error));
    const codes = await confirmSetUp(db, s.user, parsed.data.code, config.twoFactorKey, now, request.id);
    if (!codes) return again(mergeErrors(undefined, 'code', WRONG_CODE));
    await finishChallenge(db, request, reply);
    await startSession(request, reply, db, config, s.user.id, s.user.sso);
    return reply.header('cache-control', 'no-store').page('two-factor-recovery-codes.njk', {
      title: 'Your recovery codes',
      codes,
      continueHref: returnTo,
    });
  });
}
