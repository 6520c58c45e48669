import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { staffOf } from './access.ts';
import { setFlash } from './flash.ts';
import { formErrors, mergeErrors, type FormErrors } from './forms.ts';
import { ROLES } from './roles.ts';
import { askToWait, waitErrors } from './sign-in.routes.ts';
import { checkThrottled, verifyPasswordThrottled } from './sign-in.service.ts';
import { throttleRules } from './sign-in-throttle.ts';
import { secondStepSubject } from './two-factor-sign-in.routes.ts';
import { SetUpCodeSchema, setUpView, WRONG_CODE } from './two-factor-pages.ts';
import {
  checkSecondFactor,
  confirmSetUp,
  secretToSetUp,
  turnOff,
  twoFactorEnabled,
} from './two-factor.service.ts';
import { twoFactorRequired } from './two-factor.ts';

// Two-factor sign-in from the account page: anyone may turn it on; turning it off takes the password and
// a code (both counted like a sign-in), and is not offered to roles that must keep it.

const EVERYONE = { access: ROLES };

const TurnOffSchema = z.object({
  password: z
    .string({ error: 'Enter your password' })
    .min(1, 'Enter your password')
    .max(200, 'Password must be 200 characters or fewer'),
  code: z
    .string({ error: 'Enter the 6-digit code from your app' })
    .max(50, WRONG_CODE)
    .refine((v) => v.trim().length > 0, 'Enter the 6-digit code from your app'),
});

type Deps = { db: Database; config: Config };

// The set-up page shows the same secret on every load: never compressed (compression.ts, BREACH).
const UNCOMPRESSED = { compress: false } as const;

export function registerTwoFactorAccount(app: FastifyInstance, deps: Deps) {
  registerSetUp(app, deps);
  registerTurnOff(app, deps);
}

function registerSetUp(app: FastifyInstance, { db, config }: Deps) {
  const setUpPage = async (reply: FastifyReply, secret: string, email: string, errors?: FormErrors) =>
    reply.header('cache-control', 'no-store').page('two-factor-set-up.njk', {
      title: 'Set up two-factor sign-in',
      action: '/account/two-factor',
      backHref: '/account',
      errors,
      ...(await setUpView(secret, email)),
    });

  app.get('/account/two-factor', { config: EVERYONE, ...UNCOMPRESSED }, async (request, reply) => {
    const user = staffOf(request);
    const secret = await secretToSetUp(db, user.id, config.twoFactorKey);
    if (!secret) return reply.redirect('/account', 303);
    return setUpPage(reply, secret, user.email);
  });

  app.post('/account/two-factor', { config: EVERYONE, ...UNCOMPRESSED }, async (request, reply) => {
    const user = staffOf(request);
    const secret = await secretToSetUp(db, user.id, config.twoFactorKey);
    if (!secret) return reply.redirect('/account', 303);
    const parsed = SetUpCodeSchema.safeParse(request.body ?? {});
    if (!parsed.success) return setUpPage(reply.code(400), secret, user.email, formErrors(parsed.error));
    const now = app.clock.now();
    const codes = await confirmSetUp(db, user, parsed.data.code, config.twoFactorKey, now, request.id);
    if (!codes)
      return setUpPage(reply.code(400), secret, user.email, mergeErrors(undefined, 'code', WRONG_CODE));
    return reply.header('cache-control', 'no-store').page('two-factor-recovery-codes.njk', {
      title: 'Your recovery codes',
      codes,
      continueHref: '/account',
    });
  });
}

function registerTurnOff(app: FastifyInstance, { db, config }: Deps) {
  const rules = throttleRules(config.signInThrottle);
  const turnOffPage = (reply: FastifyReply, errors?: FormErrors) =>
    reply.page('two-factor-turn-off.njk', {
      title: 'Turn off two-factor sign-in',
      backHref: '/account',
      errors,
    });

  // Roles that must keep two factors are not offered the way to turn them off, and cannot reach it.
  const mayTurnOff = async (user: { id: string; role: (typeof ROLES)[number] }) =>
    !twoFactorRequired(user.role) && (await twoFactorEnabled(db, user.id));

  app.get('/account/two-factor/turn-off', { config: EVERYONE }, async (request, reply) => {
    if (!(await mayTurnOff(staffOf(request)))) return reply.redirect('/account', 303);
    return turnOffPage(reply);
  });

  app.post('/account/two-factor/turn-off', { config: EVERYONE }, async (request, reply) => {
    const user = staffOf(request);
    if (!(await mayTurnOff(user))) return reply.redirect('/account', 303);
    const parsed = TurnOffSchema.safeParse(request.body ?? {});
    if (!parsed.success) return turnOffPage(reply.code(400), formErrors(parsed.error));
    const now = app.clock.now();
    const wait = (retryAt: Date, field: string, what: 'password' | 'code') => {
      askToWait(reply, retryAt, now);
      return turnOffPage(reply, waitErrors(retryAt, now, field, what));
    };
    const password = await verifyPasswordThrottled(
      db,
      user.email,
      parsed.data.password,
      request.ip,
      rules,
      now,
    );
    if (!password.ok && password.retryAt) return wait(password.retryAt, 'password', 'password');
    if (!password.ok)
      return turnOffPage(reply.code(400), mergeErrors(undefined, 'password', 'Your password is not right'));
    const code = await checkThrottled(
      db,
      secondStepSubject(user.id),
      request.ip,
      rules,
      now,
      async () =>
        (await checkSecondFactor(db, user, parsed.data.code, config.twoFactorKey, now, request.id)) !== null,
    );
    if (!code.ok && code.retryAt) return wait(code.retryAt, 'code', 'code');
    if (!code.ok) return turnOffPage(reply.code(400), mergeErrors(undefined, 'code', WRONG_CODE));
    await turnOff(db, user, request.id);
    setFlash(reply, 'Two-factor sign-in is off. You will sign in with your password alone.');
    return reply.redirect('/account', 303);
  });
}
