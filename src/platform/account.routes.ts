import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { setFlash } from './flash.ts';
import { staffOf } from './access.ts';
import { formErrors, mergeErrors, type FormErrors } from './forms.ts';
import { changePassword } from './password.service.ts';
import { newPasswordFields, passwordsMatch } from './passwords.ts';
import { roleLabelOf, ROLES } from './roles.ts';
import { askToWait, startSession, waitErrors } from './sign-in.routes.ts';
import { throttleRules } from './sign-in-throttle.ts';
import { verifyPasswordThrottled } from './sign-in.service.ts';
import { wantsReferralUpdates } from './referral-updates-choice.service.ts';
import { recoveryCodesLeft, twoFactorEnabled } from './two-factor.service.ts';
import { twoFactorRequired } from './two-factor.ts';
import { linkedProviders } from './sso-identities.ts';

// A signed-in member of staff's own account: who they are, and changing their password. The current
// password is asked for, and counted like a sign-in, so a session left open is not enough to take the
// account over or to guess the password.

const ChangePasswordSchema = z
  .object({
    currentPassword: z
      .string({ error: 'Enter your current password' })
      .min(1, 'Enter your current password')
      .max(200, 'Password must be 200 characters or fewer'),
    ...newPasswordFields,
  })
  .superRefine(passwordsMatch);

const EVERYONE = { access: ROLES };
const TITLE = 'Change your password';

/** The account page; a referrer's choice of emails about their referrals is shown again with its error. */
export async function accountPage(
  db: Database,
  request: FastifyRequest,
  reply: FastifyReply,
  errors?: FormErrors,
  config?: Pick<Config, 'ssoProviders'>,
) {
  const user = staffOf(request);
  const referrer = user.role === 'referrer';
  const body = (request.body ?? {}) as Record<string, unknown>;
  const chosen = errors
    ? body.referralUpdates
    : referrer && (await wantsReferralUpdates(db, user.id))
      ? 'yes'
      : 'no';
  const twoFactorOn = await twoFactorEnabled(db, user.id);
  const linked = await linkedProviders(db, user.id);
  return reply.page('account.njk', {
    title: 'Your account',
    twoFactor: {
      on: twoFactorOn,
      required: twoFactorRequired(user.role),
      recoveryCodesLeft: twoFactorOn ? await recoveryCodesLeft(db, user.id) : 0,
    },
    // Each identity provider, linked or not, to link or unlink (docs/sso.md).
    ssoProviders: (config?.ssoProviders ?? []).map((p) => ({
      id: p.id,
      name: p.name,
      linked: linked.has(p.id),
    })),
    user,
    roleLabel: roleLabelOf(user.role, user.organisationType),
    referrer,
    errors,
    updateItems: [
      { value: 'yes', text: 'Yes', checked: chosen === 'yes' },
      { value: 'no', text: 'No', checked: chosen === 'no' },
    ],
  });
}

export function registerAccountRoutes(
  app: FastifyInstance,
  { db, config }: { db: Database; config: Config },
) {
  const rules = throttleRules(config.signInThrottle);

  app.get('/account', { config: EVERYONE }, async (request, reply) =>
    accountPage(db, request, reply, undefined, config),
  );

  app.get('/account/password', { config: EVERYONE }, async (_request, reply) =>
    reply.page('change-password.njk', { title: TITLE, backHref: '/account' }),
  );

  app.post('/account/password', { config: EVERYONE }, async (request, reply) => {
    const user = staffOf(request);
    // Passwords are never sent back to the browser, so there is nothing typed to keep.
    const again = (status: number, errors: ReturnType<typeof formErrors>) =>
      reply.code(status).page('change-password.njk', { title: TITLE, backHref: '/account', errors });
    const parsed = ChangePasswordSchema.safeParse(request.body ?? {});
    if (!parsed.success) return again(400, formErrors(parsed.error));
    const { currentPassword, password } = parsed.data;
    if (password === currentPassword)
      return again(
        400,
        mergeErrors(undefined, 'password', 'Enter a new password that is different from your current one'),
      );

    const now = new Date();
    const check = await verifyPasswordThrottled(db, user.email, currentPassword, request.ip, rules, now);
    if (!check.ok && check.retryAt) {
      askToWait(reply, check.retryAt, now);
      return again(429, waitErrors(check.retryAt, now, 'currentPassword'));
    }
    if (!check.ok)
      return again(400, mergeErrors(undefined, 'currentPassword', 'Your current password is not right'));

    await changePassword(db, user, password, now, request.id);
    // Every session ended with the change; this browser carries on in a new one.
    await startSession(request, reply, db, config, user.id);
    setFlash(reply, 'Your password has been changed. You have been signed out everywhere else.');
    return reply.redirect('/account', 303);
  });
}
