import { createPrivateKey } from 'node:crypto';
import * as client from 'openid-client';
import type { Config } from '../config.ts';
import type { SsoProvider } from './sso-config.ts';

// OpenID Connect as a relying party, through openid-client (v6, function-based): the authorization code
// flow with PKCE (S256), state and nonce, the ID token checked by the library (signature, issuer,
// audience, expiry, nonce), and RP-initiated logout. Each provider's discovery document is read once and
// kept; a failed read is tried again next time.

export type AuthorizationRequest = { url: string; state: string; nonce: string; codeVerifier: string };
export type Expected = { state: string; nonce: string; codeVerifier: string };

/** What a completed sign-in gives: the ID token's claims (signed) and userinfo's (fetched over TLS). */
export type SignedIn = {
  issuer: string;
  subject: string;
  idTokenClaims: Record<string, unknown>;
  claims: Record<string, unknown>;
  idToken: string;
};

/** The provider could not be reached, or answered with something that is not a sign-in. */
export class OidcFailure extends Error {
  readonly unreachable: boolean;
  constructor(message: string, unreachable: boolean) {
    super(message);
    this.unreachable = unreachable;
  }
}

type PrivateKeyOf = Extract<Parameters<typeof client.PrivateKeyJwt>[0], { type: string }>;

async function clientAuth(p: SsoProvider): Promise<client.ClientAuth> {
  if (p.auth.method === 'client_secret_post') return client.ClientSecretPost(p.auth.secret);
  const keyObject = createPrivateKey(p.auth.privateKeyPem);
  const alg =
    keyObject.asymmetricKeyType === 'ec'
      ? { name: 'ECDSA', namedCurve: 'P-256' }
      : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  // Node's CryptoKey and the DOM's are the same thing under two type declarations.
  const key = keyObject.toCryptoKey(alg, false, ['sign']) as unknown as PrivateKeyOf;
  return client.PrivateKeyJwt(p.auth.keyId ? { key, kid: p.auth.keyId } : key);
}

/** Why a call failed, in words safe to log and audit: an error code, never a token or a claim. */
export function failureCode(err: unknown): string {
  const e = err as { code?: unknown; error?: unknown; name?: unknown };
  const code =
    typeof e.error === 'string' ? e.error : typeof e.code === 'string' ? e.code : String(e.name ?? 'error');
  return code.replace(/[^A-Za-z0-9_.-]/g, '').slice(0, 60) || 'error';
}

/** A failure to reach the provider (refused, reset, timed out), as against an answer that did not check out. */
const isNetwork = (err: unknown): boolean => {
  // The request's timeout (AbortError, TimeoutError).
  if (err instanceof DOMException) return true;
  const cause = (err as { cause?: unknown }).cause;
  // fetch's own failure: a TypeError caused by the socket's error code (ECONNREFUSED, UND_ERR_...).
  if (err instanceof TypeError && typeof (cause as { code?: unknown } | undefined)?.code === 'string')
    return true;
  return cause !== undefined && cause !== err && isNetwork(cause);
};

export type OidcClients = {
  authorizationRequest(p: SsoProvider, redirectUri: string): Promise<AuthorizationRequest>;
  complete(p: SsoProvider, callbackUrl: URL, expected: Expected): Promise<SignedIn>;
  /** Where to send someone signing out of a provider's session, or null when it offers no such place. */
  endSessionUrl(
    p: SsoProvider,
    idToken: string | null,
    postLogoutRedirectUri: string,
  ): Promise<string | null>;
};

export function createOidcClients(): OidcClients {
  const configurations = new Map<string, Promise<client.Configuration>>();

  function configurationOf(p: SsoProvider): Promise<client.Configuration> {
    const key = `${p.id}\n${p.issuer}\n${p.clientId}`;
    let found = configurations.get(key);
    if (!found) {
      found = (async () => {
        const local = p.issuer.startsWith('http:');
        const c = await client.discovery(new URL(p.issuer), p.clientId, undefined, await clientAuth(p), {
          // Only a provider on this machine outside production (src/platform/sso-config.ts) is plain HTTP.
          ...(local ? { execute: [client.allowInsecureRequests] } : {}),
          timeout: 10,
        });
        return c;
      })();
      configurations.set(key, found);
      found.catch(() => configurations.delete(key));
    }
    return found;
  }

  const guarded = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      throw new OidcFailure(failureCode(err), isNetwork(err));
    }
  };

  return {
    authorizationRequest: (p, redirectUri) =>
      guarded(async () => {
        const config = await configurationOf(p);
        const codeVerifier = client.randomPKCECodeVerifier();
        const state = client.randomState();
        const nonce = client.randomNonce();
        const url = client.buildAuthorizationUrl(config, {
          redirect_uri: redirectUri,
          scope: p.scopes,
          response_type: 'code',
          code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
          code_challenge_method: 'S256',
          state,
          nonce,
          ...(p.acrValues ? { acr_values: p.acrValues } : {}),
        });
        return { url: url.href, state, nonce, codeVerifier };
      }),

    complete: (p, callbackUrl, expected) =>
      guarded(async () => {
        const config = await configurationOf(p);
        const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
          expectedState: expected.state,
          expectedNonce: expected.nonce,
          pkceCodeVerifier: expected.codeVerifier,
          idTokenExpected: true,
        });
        const idTokenClaims = { ...tokens.claims() } as Record<string, unknown>;
        const subject = String(idTokenClaims.sub);
        const userinfo =
          p.userinfo && config.serverMetadata().userinfo_endpoint
            ? await client.fetchUserInfo(config, tokens.access_token, subject)
            : {};
        // The ID token's claims win: acr, amr, iss and sub are the provider's signed word.
        return {
          issuer: config.serverMetadata().issuer,
          subject,
          idTokenClaims,
          claims: { ...userinfo, ...idTokenClaims },
          idToken: tokens.id_token ?? '',
        };
      }),

    endSessionUrl: async (p, idToken, postLogoutRedirectUri) => {
      const config = await configurationOf(p).catch(() => null);
      if (!config?.serverMetadata().end_session_endpoint) return null;
      return client.buildEndSessionUrl(config, {
        post_logout_redirect_uri: postLogoutRedirectUri,
        client_id: p.clientId,
        ...(idToken ? { id_token_hint: idToken } : {}),
      }).href;
    },
  };
}

/** Where to send someone who signed out of a session a provider made: its logout, or Mortar's page. */
export async function afterSignOut(
  config: Config,
  sso: { providerId: string; idToken: string | null } | null,
) {
  const provider = sso ? ssoProviderOf(config, sso.providerId) : null;
  if (!provider || !sso) return '/signed-out';
  const there = await oidcClientsFor(config).endSessionUrl(
    provider,
    sso.idToken,
    `${config.publicUrl}/signed-out`,
  );
  return there ?? '/signed-out';
}

// One set of clients per configuration: the sign-in and sign-out routes share the discovered documents.
const byConfig = new WeakMap<Config, OidcClients>();
export function oidcClientsFor(config: Config): OidcClients {
  let found = byConfig.get(config);
  if (!found) {
    found = createOidcClients();
    byConfig.set(config, found);
  }
  return found;
}

/** Where a provider sends people back to: from PUBLIC_URL, never from a request's Host header. */
export const ssoRedirectUri = (config: Config, providerId: string) =>
  `${config.publicUrl}/sign-in/sso/${providerId}/callback`;

export const ssoProviderOf = (config: Config, id: string): SsoProvider | null =>
  config.ssoProviders.find((p) => p.id === id) ?? null;
