import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type ClientMetadata } from 'oidc-provider';
import type { Database } from '../../src/db/database.ts';
import type { HttpSession, Response } from './http-session.ts';

// A real OpenID provider for the tests (panva's oidc-provider, certified by the OpenID Foundation), on a
// port of this machine: discovery, authorization with PKCE, tokens signed with its own keys, userinfo and
// RP-initiated logout. Its one local addition is the interaction: instead of a login page, it signs in
// whoever the test says is next (signInAs), with the claims, acr and amr given. The browser is HTTP
// driven by the test: Mortar through app.inject, the provider through fetch, cookies kept for each.

export type TestIdentity = {
  sub: string;
  /** Every claim the provider may give, by scope (below); ID token and userinfo alike. */
  claims: Record<string, unknown>;
  acr?: string;
  amr?: string[];
};

export type TestOidcProvider = {
  issuer: string;
  /** The next sign-in at the provider is this identity. */
  signInAs(identity: TestIdentity): void;
  /** How many people finished the provider's logout (RP-initiated logout). */
  readonly signOuts: number;
  close(): Promise<void>;
};

// Which claims each scope releases: CIS2's RBAC under its own scope, Entra ID's under profile.
const SCOPES = {
  // How the person signed in, in every ID token, as CIS2 and Entra ID give it.
  openid: ['sub', 'acr', 'amr', 'auth_time'],
  email: ['email', 'email_verified', 'xms_edov'],
  profile: ['name', 'given_name', 'family_name', 'roles', 'groups', 'tid'],
  nationalrbacaccess: ['nhsid_nrbac_roles', 'selected_roleid'],
};
// oidc-provider's own defaults, which `claims` replaces.
const CLAIMS = { ...SCOPES, sid: null, iss: null };

export async function startOidcProvider(clients: ClientMetadata[]): Promise<TestOidcProvider> {
  let next: TestIdentity | null = null;
  let signOuts = 0;
  const identities = new Map<string, TestIdentity>();
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });

  const provider = new Provider(issuer, {
    clients,
    jwks: { keys: [{ ...signingKey, kid: 'test-signing', use: 'sig', alg: 'RS256' }] as never },
    cookies: { keys: ['oidc-provider-test-cookie-key'] },
    claims: CLAIMS,
    scopes: Object.keys(SCOPES),
    // Claims in the ID token as well as userinfo, as Entra ID gives roles and groups.
    conformIdTokenClaims: false,
    acrValues: ['AAL3_ANY', 'AAL2_OR_ABOVE', 'AAL1_USERPASS'],
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.body = `<!DOCTYPE html><html lang="en"><head><title>Sign out</title></head><body><main><h1>Sign out</h1>${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button></main></body></html>`;
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.body = 'signed out';
        },
      },
    },
    findAccount: async (_ctx, sub) => {
      const identity = identities.get(sub);
      if (!identity) return undefined;
      return { accountId: sub, claims: async () => ({ ...identity.claims, sub }) };
    },
  });
  provider.on('end_session.success', () => {
    signOuts++;
  });
  const callback = provider.callback();

  async function interaction(req: IncomingMessage, res: ServerResponse) {
    const details = await provider.interactionDetails(req, res);
    const identity = next;
    if (!identity) {
      res.statusCode = 400;
      res.end('the test did not say who signs in');
      return;
    }
    identities.set(identity.sub, identity);
    const clientId = String(details.params.client_id);
    const grant = new provider.Grant({ accountId: identity.sub, clientId });
    grant.addOIDCScope(String(details.params.scope));
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      {
        login: {
          accountId: identity.sub,
          ...(identity.acr ? { acr: identity.acr } : {}),
          ...(identity.amr ? { amr: identity.amr } : {}),
        },
        consent: { grantId },
      },
      { mergeWithLastSubmission: false },
    );
  }

  handler = (req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      interaction(req, res).catch((err: unknown) => {
        res.statusCode = 500;
        res.end(String(err));
      });
      return;
    }
    callback(req, res);
  };

  return {
    issuer,
    signInAs(identity) {
      next = identity;
    },
    get signOuts() {
      return signOuts;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A browser's cookies for the provider: one jar per person, as each has their own browser. */
export class ProviderBrowser {
  readonly #cookies = new Map<string, string>();

  async get(url: string): Promise<globalThis.Response> {
    return this.request(url, { method: 'GET' });
  }

  async request(url: string, init: RequestInit): Promise<globalThis.Response> {
    const headers = new Headers(init.headers);
    if (this.#cookies.size) headers.set('cookie', [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /expires=thu, 01 jan 1970/i.test(a.trim()));
      if (!value || expired) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
    return res;
  }
}

/**
 * Follows a redirect from Mortar to the provider and the provider's redirects until one comes back to
 * Mortar (publicUrl); gives that path, with its query, for the Mortar session to request.
 */
export async function throughProvider(
  browser: ProviderBrowser,
  fromMortar: Response,
  publicUrl: string,
): Promise<string> {
  let location = String(fromMortar.headers.location ?? '');
  for (let hops = 0; hops < 10; hops++) {
    if (!location) throw new Error(`expected a redirect, got ${fromMortar.statusCode}`);
    if (location.startsWith(publicUrl)) return location.slice(publicUrl.length);
    const res = await browser.get(location);
    const to = res.headers.get('location');
    if (!to)
      throw new Error(
        `the provider answered ${res.status} at ${location}: ${(await res.text()).slice(0, 300)}`,
      );
    location = new URL(to, location).href;
  }
  throw new Error('too many redirects');
}

/** Mortar's session after a sign-in that went through the provider: the answer to the callback. */
export async function signInWith(
  mortar: HttpSession,
  browser: ProviderBrowser,
  providerId: string,
  publicUrl: string,
): Promise<Response> {
  const start = await mortar.get(`/sign-in/sso/${providerId}`);
  return mortar.get(await throughProvider(browser, start, publicUrl));
}

/**
 * A rule of the account's organisation and a link of the account to the provider, as if made earlier,
 * so that the pages offering to remove and unlink them have something to offer (the route walks).
 */
export async function withSsoRuleAndLink(db: Database, providerId: string, email: string): Promise<void> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'organisation_id', 'role'])
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  await db
    .insertInto('sso_role_mappings')
    .values({
      organisation_id: user.organisation_id,
      provider_id: providerId,
      claim: 'groups',
      value: 'staff',
      role: user.role,
      created_by: user.id,
    })
    .execute();
  await db
    .insertInto('user_identities')
    .values({
      issuer: 'https://walked.example',
      subject: email,
      provider_id: providerId,
      user_id: user.id,
      created_at: new Date(),
      last_used_at: null,
    })
    .execute();
}
