import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { notFound } from '../../platform/errors.ts';
import { setFlash } from '../../platform/flash.ts';
import { OidcFailure, oidcClientsFor, ssoProviderOf, ssoRedirectUri } from '../../platform/oidc-client.ts';
import { safeReturnTo } from '../../platform/return-to.ts';
import { ROLES } from '../../platform/roles.ts';
import { startChallenge } from '../../platform/sign-in-challenge.ts';
import { startSession } from '../../platform/sign-in.routes.ts';
import { secondStepFor } from '../../platform/two-factor.service.ts';
import { REFUSAL_TEXT } from './sso-claims.ts';
import { beginSsoSignIn, finishSsoSignIn, type SsoRefusal } from './sso.service.ts';
import { V } from './admin.routes.ts';
import { unlinkOwnIdentity } from './sso-mappings.service.ts';

// Signing in with an identity provider (OpenID Connect, docs/sso.md), and linking one to the signed-in
// account. Between leaving for the provider and coming back there is only a cookie, for these paths
// alone, naming a sign_in_states row that holds state, nonce and the PKCE verifier; it is taken once.

const COOKIE = 'mortar_sso';
const PATH = '/sign-in/sso';

const REFUSAL_STATUS: Partial<Record<SsoRefusal, number>> = { failed: 400, expired: 400, unreachable: 502 };

const OTHER_TEXT: Record<'failed' | 'unreachable' | 'expired', string> = {
  failed: 'Your identity provider’s answer could not be checked, so you have not been signed in. Try again.',
  unreachable:
    'Mortar could not reach your identity provider. Try again in a few minutes, or sign in with your password.',
  expired: 'Your sign-in took too long or was started in another window. Start again.',
};

export function refusalText(reason: SsoRefusal): string {
  return reason === 'failed' || reason === 'unreachable' || reason === 'expired'
    ? OTHER_TEXT[reason]
    : REFUSAL_TEXT[reason];
}

const providerParam = (config: Config, request: FastifyRequest) => {
  const id = (request.params as { provider?: string }).provider ?? '';
  const provider = ssoProviderOf(config, id);
  if (!provider) throw notFound('There is no such way to sign in');
  return provider;
};

function refusedPage(reply: FastifyReply, providerName: string, reason: SsoRefusal) {
  return reply.code(REFUSAL_STATUS[reason] ?? 403).page(V('sso-refused'), {
    title: 'You have not been signed in',
    providerName,
    message: refusalText(reason),
  });
}

type Deps = { db: Database; config: Config };

/** Sends the browser to the provider, with a cookie naming what it must bring back. */
async function leaveFor(
  { db, config }: Deps,
  request: FastifyRequest,
  reply: FastifyReply,
  a: { returnTo: string; linkUserId: string | null; now: Date },
) {
  const provider = providerParam(config, request);
  let begun;
  try {
    begun = await beginSsoSignIn(db, oidcClientsFor(config), provider, {
      redirectUri: ssoRedirectUri(config, provider.id),
      ...a,
    });
  } catch (err) {
    if (err instanceof OidcFailure) return refusedPage(reply, provider.name, 'unreachable');
    throw err;
  }
  // Lax, so that it comes back with the provider's redirect (a top-level GET) and with nothing else.
  reply.setCookie(COOKIE, begun.token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.cookieSecure,
    path: PATH,
    maxAge: 600,
  });
  return reply.redirect(begun.url, 303);
}

export function registerSsoSignInRoutes(app: FastifyInstance, deps: Deps) {
  registerSignInRoutes(app, deps);
  registerLinkRoutes(app, deps);
}

function registerSignInRoutes(app: FastifyInstance, deps: Deps) {
  const { db, config } = deps;
  const limited = {
    access: 'public' as const,
    rateLimit: { max: config.signInRateLimitPerMinute, timeWindow: '1 minute' },
  };

  app.get('/sign-in/sso/:provider', { config: limited }, async (request, reply) => {
    const returnTo = safeReturnTo((request.query as { returnTo?: unknown }).returnTo);
    return leaveFor(deps, request, reply, { returnTo, linkUserId: null, now: app.clock.now() });
  });

  app.get('/sign-in/sso/:provider/callback', { config: limited }, async (request, reply) => {
    const provider = providerParam(config, request);
    const now = app.clock.now();
    const outcome = await finishSsoSignIn(db, oidcClientsFor(config), provider, {
      cookieToken: request.cookies[COOKIE],
      // As registered: PUBLIC_URL (with any path it has) and the path the provider sent back to.
      callbackUrl: new URL(`${config.publicUrl}${request.url}`),
      currentUserId: request.user?.id ?? null,
      requestId: request.id,
      now,
    });
    reply.clearCookie(COOKIE, { path: PATH });
    if (outcome.kind === 'refused') return refusedPage(reply, provider.name, outcome.reason);
    if (outcome.kind === 'linked') {
      setFlash(reply, `Your account is linked to ${provider.name}. You can now sign in with it.`);
      return reply.redirect('/account#single-sign-on', 303);
    }
    // Two factors at the provider count as Mortar's own; otherwise Mortar's rule for the account applies.
    const step = outcome.providerMfa
      ? 'none'
      : await secondStepFor(db, outcome.userId, config.env === 'production');
    if (step !== 'none')
      return startChallenge(reply, db, config, outcome.userId, step, outcome.returnTo, now, outcome.sso);
    await startSession(request, reply, db, config, outcome.userId, outcome.sso);
    return reply.redirect(safeReturnTo(outcome.returnTo), 303);
  });
}

function registerLinkRoutes(app: FastifyInstance, deps: Deps) {
  const { db, config } = deps;
  // A form with its CSRF token, so no other site can start a link to an identity of its choosing.
  app.post('/account/single-sign-on/:provider', { config: { access: ROLES } }, async (request, reply) =>
    leaveFor(deps, request, reply, {
      returnTo: '/account',
      linkUserId: staffOf(request).id,
      now: app.clock.now(),
    }),
  );

  app.post(
    '/account/single-sign-on/:provider/unlink',
    { config: { access: ROLES } },
    async (request, reply) => {
      const provider = providerParam(config, request);
      await unlinkOwnIdentity(db, staffOf(request), provider.id, request.id);
      setFlash(reply, `Your account is no longer linked to ${provider.name}.`);
      return reply.redirect('/account#single-sign-on', 303);
    },
  );
}
