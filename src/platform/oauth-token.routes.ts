// The OAuth 2.0 token endpoint (RFC 6749 section 4.4, client credentials): a system sends its client id
// and secret (HTTP Basic, or client_id and client_secret in the form) and gets a bearer token for the
// FHIR and referral APIs. Errors are RFC 6749's JSON (`error`, `error_description`), which OAuth
// libraries read, with the problem document's members beside them.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { authenticateClient } from './oauth-client.service.ts';
import { ACCESS_TOKEN_SECONDS, issueAccessToken } from './oauth-tokens.ts';

export const TOKEN_PATH = '/oauth/token';

type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'invalid_scope';

function oauthError(reply: FastifyReply, status: 400 | 401, error: OAuthErrorCode, description: string) {
  if (status === 401) reply.header('WWW-Authenticate', 'Basic realm="mortar", charset="UTF-8"');
  return reply
    .code(status)
    .header('pragma', 'no-cache')
    .type('application/json')
    .send({ error, error_description: description, type: 'about:blank', title: description, status });
}

type Credentials = { id: string; secret: string } | { error: string } | null;

/** client_secret_basic (RFC 6749 2.3.1: each part form-encoded) or client_secret_post; never both. */
function credentialsOf(request: FastifyRequest, body: Record<string, unknown>): Credentials {
  const basic = /^Basic ([A-Za-z0-9+/=]+)$/.exec(request.headers.authorization ?? '')?.[1];
  const inBody = body.client_secret !== undefined;
  if (basic && inBody) return { error: 'Send the client credentials one way only.' };
  if (basic) {
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { error: 'The Basic credentials are not client_id:client_secret.' };
    try {
      const part = (s: string) => decodeURIComponent(s.replaceAll('+', ' '));
      return { id: part(decoded.slice(0, colon)), secret: part(decoded.slice(colon + 1)) };
    } catch {
      return { error: 'The Basic credentials are not form-encoded.' };
    }
  }
  const { client_id: id, client_secret: secret } = body;
  if (typeof id === 'string' && typeof secret === 'string') return { id, secret };
  return null;
}

export function registerOAuthTokenRoutes(app: FastifyInstance, deps: { db: Database; config: Config }) {
  const key = deps.config.oauthTokenKey;
  const settings = { issuer: deps.config.publicUrl };
  // Another system calls it with its own credential, checked here: no session and no form token.
  const config = { access: 'public' as const, sessionless: true, callback: true };

  app.post(TOKEN_PATH, { config }, async (request, reply) => {
    reply.header('pragma', 'no-cache');
    const body = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<
      string,
      unknown
    >;
    const credentials = credentialsOf(request, body);
    if (credentials === null)
      return oauthError(reply, 401, 'invalid_client', 'Send your client id and secret.');
    if ('error' in credentials) return oauthError(reply, 400, 'invalid_request', credentials.error);
    const client = await authenticateClient(deps.db, credentials.id, credentials.secret);
    if (!client) return oauthError(reply, 401, 'invalid_client', 'The client id or secret is wrong.');
    if (request.headers['content-type']?.split(';')[0]?.trim() !== 'application/x-www-form-urlencoded')
      return oauthError(reply, 400, 'invalid_request', 'Send the request as a form (x-www-form-urlencoded).');
    if (body.grant_type !== 'client_credentials')
      return oauthError(reply, 400, 'unsupported_grant_type', 'Only client_credentials is supported.');
    if (body.scope !== undefined && body.scope !== '')
      return oauthError(reply, 400, 'invalid_scope', 'Leave scope out: a token acts as its API key does.');
    if (!key)
      return oauthError(reply, 400, 'unsupported_grant_type', 'OAuth is not set up here: use the API key.');
    const token = await issueAccessToken(
      { ...settings, key },
      client.apiKeyId,
      client.organisationId,
      app.clock.now(),
    );
    return reply.send({ access_token: token, token_type: 'Bearer', expires_in: ACCESS_TOKEN_SECONDS });
  });
}
