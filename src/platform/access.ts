import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Database } from '../db/database.ts';
import { forbidden, HttpError, sendProblem, wantsJson } from './errors.ts';
import type { Actor, ApiClient, Role, StaffUser } from './roles.ts';
import { resolveSession, SESSION_COOKIE, type SessionPolicy } from './sessions.ts';
import { hashToken } from './tokens.ts';
import { looksLikeJwt, verifyAccessToken, type TokenSettings } from './oauth-tokens.ts';

/**
 * Who may call a route. Every route declares one; the app refuses to start with a route that does not.
 * - 'public': anyone, signed in or not
 * - 'api': a system with an organisation's API key
 * - a list of roles: a signed-in member of staff with one of them
 */
export type Access = 'public' | 'api' | readonly Role[];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** The route never asks who is signed in (the health check), so no session is looked up for it. */
    sessionless?: boolean;
    /**
     * Called by another system with its own credential, checked by the route (GOV.UK Notify's callbacks
     * and their bearer token): no browser, so no session and no form token.
     */
    callback?: boolean;
  }
  interface FastifyRequest {
    user: StaffUser | null;
    apiClient: ApiClient | null;
  }
}

/** Static files are served by a plugin whose routes cannot carry a declaration. */
export const STATIC_PREFIXES = ['/assets/', '/static/'];

export function actorOf(request: FastifyRequest): Actor {
  const actor = request.user ?? request.apiClient;
  if (!actor) throw new HttpError(401, 'You need to sign in');
  return actor;
}

export function staffOf(request: FastifyRequest): StaffUser {
  if (!request.user) throw new HttpError(401, 'You need to sign in');
  return request.user;
}

/**
 * The organisation's API client a request comes from: its API key, or an OAuth access token issued for
 * that key (oauth-tokens.ts), which counts only while the key is not revoked.
 */
async function resolveApiKey(
  db: Database,
  request: FastifyRequest,
  tokens: TokenSettings | undefined,
): Promise<ApiClient | null> {
  const header = request.headers.authorization;
  const key = header?.startsWith('Bearer ') ? header.slice(7).trim() : request.headers['x-api-key'];
  if (typeof key !== 'string' || key.length === 0 || key.length > 2000) return null;
  const tokenFor =
    tokens && looksLikeJwt(key) ? await verifyAccessToken(tokens, key, request.server.clock.now()) : null;
  if (!tokenFor && key.length > 200) return null;
  const row = await db
    .selectFrom('api_keys as k')
    .innerJoin('organisations as o', 'o.id', 'k.organisation_id')
    .select(['k.id', 'k.organisation_id', 'k.last_used_at', 'o.name', 'o.type', 'o.local_authority_code'])
    .where((eb) => (tokenFor ? eb('k.id', '=', tokenFor) : eb('k.key_hash', '=', hashToken(key))))
    .where('k.revoked_at', 'is', null)
    .where('o.active', '=', true)
    .executeTakeFirst();
  if (!row) return null;
  // Administrators see when a key was last used; written at most every few minutes to keep calls cheap.
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 5 * 60_000) {
    await db.updateTable('api_keys').set({ last_used_at: new Date() }).where('id', '=', row.id).execute();
  }
  return {
    kind: 'api',
    keyId: row.id,
    organisationId: row.organisation_id,
    organisationName: row.name,
    organisationType: row.type,
    localAuthorityCode: row.local_authority_code,
  };
}

export function registerAccessControl(
  app: FastifyInstance,
  db: Database,
  sessions: SessionPolicy,
  tokens?: TokenSettings,
) {
  app.decorateRequest('user', null);
  app.decorateRequest('apiClient', null);

  app.addHook('onRoute', (route) => {
    if (route.config?.access !== undefined) return;
    if (STATIC_PREFIXES.some((p) => route.url.startsWith(p)) || route.url === '*') return;
    throw new Error(`Route ${route.method} ${route.url} declares no access rule`);
  });

  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config?.access;
    const token = request.cookies[SESSION_COOKIE];
    // A session lookup that fails because the database is down ends in the error handler's 503.
    if (token && access !== 'api' && !request.routeOptions.config?.sessionless)
      request.user = await resolveSession(db, token, sessions);
    if (access === undefined || access === 'public') return;

    if (access === 'api') {
      request.apiClient = await resolveApiKey(db, request, tokens);
      if (!request.apiClient) {
        reply.header('WWW-Authenticate', 'Bearer');
        return sendProblem(reply, 401, 'Unauthorised', 'Send a valid API key as a Bearer token.');
      }
      return;
    }

    if (!request.user) {
      if (wantsJson(request)) return sendProblem(reply, 401, 'You need to sign in');
      const returnTo = request.method === 'GET' ? `?returnTo=${encodeURIComponent(request.url)}` : '';
      return reply.redirect(`/sign-in${returnTo}`, 303);
    }
    if (!access.includes(request.user.role)) throw forbidden();
  });
}
