// OAuth 2.0 client credentials (RFC 6749 section 4.4) for systems that would rather not send their API
// key with every call: the key is the client secret, its id the client id, and the token endpoint
// (oauth-token.routes.ts) gives a short-lived JWT (RFC 9068 shape) signed with OAUTH_TOKEN_KEY. A token
// names the API key it was issued for, so revoking the key stops its tokens at once: access.ts looks the
// key up again on every call, exactly as for the key itself.
import { errors, jwtVerify, SignJWT } from 'jose';
import { newToken } from './tokens.ts';

/** Five minutes: long enough for a batch of calls, short enough that a leaked token soon dies. */
export const ACCESS_TOKEN_SECONDS = 300;

const ALGORITHM = 'HS256';
const TOKEN_TYPE = 'at+jwt';

export type TokenSettings = {
  /** The HMAC key (32 characters or more), or null when OAuth is not set up on this server. */
  key: string | null;
  /** Who issues tokens and who they are for: this server's public address. */
  issuer: string;
};

const secretOf = (key: string) => new TextEncoder().encode(key);

/** A signed access token for one API key, valid from `now` for ACCESS_TOKEN_SECONDS. */
export async function issueAccessToken(
  settings: TokenSettings & { key: string },
  apiKeyId: string,
  organisationId: string,
  now: Date,
): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({ client_id: apiKeyId, organisation_id: organisationId })
    .setProtectedHeader({ alg: ALGORITHM, typ: TOKEN_TYPE })
    .setIssuer(settings.issuer)
    .setAudience(settings.issuer)
    .setSubject(apiKeyId)
    .setJti(newToken(16))
    .setIssuedAt(iat)
    .setExpirationTime(iat + ACCESS_TOKEN_SECONDS)
    .sign(secretOf(settings.key));
}

/** A bearer value shaped like a JWT (three base64url parts); an API key never is. */
export const looksLikeJwt = (value: string) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(value);

/**
 * The API key id a token was issued for, when its signature, issuer, audience, type and lifetime are
 * right at `now`; null otherwise (the caller answers 401 either way, so why is not told).
 */
export async function verifyAccessToken(
  settings: TokenSettings,
  token: string,
  now: Date,
): Promise<string | null> {
  if (!settings.key) return null;
  try {
    const { payload } = await jwtVerify(token, secretOf(settings.key), {
      algorithms: [ALGORITHM],
      typ: TOKEN_TYPE,
      issuer: settings.issuer,
      audience: settings.issuer,
      currentDate: now,
      requiredClaims: ['exp', 'iat', 'sub'],
      clockTolerance: 0,
    });
    return typeof payload.sub === 'string' ? payload.sub : null;
  } catch (err) {
    if (err instanceof errors.JOSEError) return null;
    throw err;
  }
}
