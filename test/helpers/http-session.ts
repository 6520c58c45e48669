import { generateSync } from 'otplib';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { DEMO_PASSWORD } from './test-app.ts';

export type Response = LightMyRequestResponse;
export type FormFields = Record<string, string | readonly string[] | undefined>;

type RequestOptions = {
  method: string;
  url: string;
  form?: FormFields;
  json?: unknown;
  /** A body sent exactly as given (one a browser could not make, say), with its content type. */
  raw?: { contentType: string; payload: string };
  headers?: Record<string, string>;
  /** Send the session's CSRF token (default for every method but GET and HEAD). */
  csrf?: boolean;
};

// Every session comes from an address of its own, as separate people would: the sign-in rate limit
// counts per address, and tests that sign in many times must not trip it for each other.
let nextAddress = 1;
function newAddress(): string {
  const n = nextAddress++;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

const TOKEN_PATTERNS = [/name="_csrf"\s+value="([^"]+)"/];

/**
 * A browser in miniature over app.inject: keeps cookies between requests and the latest CSRF token
 * seen in an HTML page, and sends that token with forms, so tests read like a person's steps.
 */
export class HttpSession {
  readonly app: FastifyInstance;
  readonly remoteAddress = newAddress();
  /** Sent with every request (an API client's Authorization header, say). */
  readonly headers: Record<string, string>;
  csrfToken: string | undefined;
  lastResponse: Response | undefined;
  readonly #cookies = new Map<string, string>();

  constructor(app: FastifyInstance, headers: Record<string, string> = {}) {
    this.app = app;
    this.headers = headers;
  }

  cookie(name: string): string | undefined {
    return this.#cookies.get(name);
  }

  setCookie(name: string, value: string | undefined) {
    if (value === undefined) this.#cookies.delete(name);
    else this.#cookies.set(name, value);
  }

  get signedIn(): boolean {
    return this.#cookies.has('mortar_session');
  }

  async request(opts: RequestOptions): Promise<Response> {
    const method = opts.method.toUpperCase();
    const headers: Record<string, string> = { ...this.headers, ...opts.headers };
    const wantsCsrf = opts.csrf ?? (method !== 'GET' && method !== 'HEAD');
    // As a browser would have: a page, and so a token, before any form is sent.
    if (wantsCsrf && !this.csrfToken) await this.ensureCsrfToken();
    if (this.#cookies.size) headers.cookie = [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let payload: string | undefined;
    if (opts.form !== undefined) {
      const body = new URLSearchParams();
      for (const [k, v] of Object.entries(opts.form)) {
        if (v === undefined) continue;
        for (const item of typeof v === 'string' ? [v] : v) body.append(k, item);
      }
      if (wantsCsrf && this.csrfToken && !body.has('_csrf')) body.set('_csrf', this.csrfToken);
      payload = body.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (opts.json !== undefined) {
      payload = JSON.stringify(opts.json);
      headers['content-type'] = 'application/json';
    } else if (opts.raw !== undefined) {
      payload = opts.raw.payload;
      headers['content-type'] = opts.raw.contentType;
    }
    // A form carries its token in the body; anything else (JSON, no body) in the header the plugin reads.
    if (wantsCsrf && this.csrfToken && opts.form === undefined) headers['x-csrf-token'] = this.csrfToken;

    const res = await this.app.inject({
      method: method as 'GET',
      url: opts.url,
      headers,
      remoteAddress: this.remoteAddress,
      ...(payload !== undefined ? { payload } : {}),
    });
    this.#remember(res);
    return res;
  }

  #remember(res: Response) {
    this.lastResponse = res;
    for (const c of res.cookies as { name: string; value: string; expires?: Date; maxAge?: number }[]) {
      const cleared =
        c.value === '' || c.maxAge === 0 || (c.expires !== undefined && c.expires.getTime() <= Date.now());
      // A new CSRF secret (signing in makes one) makes tokens from the old one worthless.
      if (c.name === 'mortar_csrf' && this.#cookies.get(c.name) !== undefined) this.csrfToken = undefined;
      this.setCookie(c.name, cleared ? undefined : c.value);
    }
    if (String(res.headers['content-type'] ?? '').startsWith('text/html')) {
      for (const pattern of TOKEN_PATTERNS) {
        const m = pattern.exec(res.body);
        if (m?.[1]) {
          this.csrfToken = m[1];
          break;
        }
      }
    }
  }

  get(url: string, headers?: Record<string, string>): Promise<Response> {
    return this.request({ method: 'GET', url, ...(headers ? { headers } : {}) });
  }

  /** Fetches a page so that the session has a CSRF token (and its secret cookie). */
  async ensureCsrfToken(from = this.signedIn ? '/account' : '/sign-in'): Promise<string> {
    if (!this.csrfToken) await this.get(from);
    if (!this.csrfToken) throw new Error(`No CSRF token found in ${from}`);
    return this.csrfToken;
  }

  /**
   * Submits a form, urlencoded, with the CSRF token added unless `csrf: false`. With `from`, that page
   * is fetched first, as a person would open the form before sending it.
   */
  async post(
    url: string,
    fields: FormFields = {},
    opts: { csrf?: boolean; from?: string; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const csrf = opts.csrf ?? true;
    if (opts.from) await this.get(opts.from);
    if (csrf) await this.ensureCsrfToken();
    return this.request({
      method: 'POST',
      url,
      form: fields,
      csrf,
      ...(opts.headers ? { headers: opts.headers } : {}),
    });
  }

  postJson(url: string, json: unknown, headers?: Record<string, string>): Promise<Response> {
    return this.request({ method: 'POST', url, json, ...(headers ? { headers } : {}) });
  }
}

/** The value of a page's hidden field (a form's one-time token, say), as a browser would send it back. */
export function hiddenField(html: string, name: string): string {
  const m = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)"`).exec(html);
  if (!m) throw new Error(`No hidden field ${name} in the page`);
  return m[1]!;
}

/** Someone who has not signed in (pass headers to act as an API client). */
export function anonymous(app: FastifyInstance, headers?: Record<string, string>): HttpSession {
  return new HttpSession(app, headers);
}

/** Signs in through the real form; throws, naming the status, if that did not give a session. */
export async function signIn(
  app: FastifyInstance,
  email: string,
  password = DEMO_PASSWORD,
): Promise<HttpSession> {
  const s = new HttpSession(app);
  let res = await s.post('/sign-in', { email, password }, { from: '/sign-in' });
  if (res.statusCode === 303 && !s.signedIn) res = await secondStep(app, s, email, res);
  if (res.statusCode !== 303 || !s.signedIn) {
    const message = /nhsuk-error-summary__list[\s\S]*?<a[^>]*>([^<]*)</.exec(res.body)?.[1]?.trim();
    throw new Error(`Sign-in as ${email} failed: ${res.statusCode}${message ? ` (${message})` : ''}`);
  }
  return s;
}

/** What each account's authenticator app holds, for the tests: its secret and unused recovery codes. */
const authenticators = new WeakMap<
  FastifyInstance,
  Map<string, { secret: string; steps: number; recovery: string[] }>
>();

/**
 * Two-factor sign-in as a person takes it (src/platform/two-factor-sign-in.routes.ts): set it up from the
 * secret shown on the page when their role needs it, or give the code their app shows. A code is taken
 * once, and the app's clock may stand still in a test, so later sign-ins use the next step's code and
 * then the recovery codes, as someone would.
 */
async function secondStep(app: FastifyInstance, s: HttpSession, email: string, res: Response) {
  const where = String(res.headers.location ?? '');
  const known = authenticators.get(app) ?? new Map();
  authenticators.set(app, known);
  const code = (secret: string, steps: number) =>
    generateSync({ secret, epoch: Math.floor(app.clock.now().getTime() / 1000) + steps * 30 });
  if (where.startsWith('/sign-in/set-up')) {
    const page = await s.get(where);
    const secret = /id="secret">([A-Z2-7 ]+)</.exec(page.body)?.[1]?.replace(/ /g, '');
    if (!secret) throw new Error(`No two-factor secret on the set-up page for ${email}`);
    const done = await s.post(where, { code: code(secret, 0) }, { from: where });
    const recovery = [...done.body.matchAll(/<li><code>([^<]+)<\/code><\/li>/g)].map((m) => m[1]!);
    known.set(email, { secret, steps: 0, recovery });
    // The recovery codes page is the answer; as a sign-in, it succeeded.
    return { ...done, statusCode: done.statusCode === 200 && s.signedIn ? 303 : done.statusCode } as Response;
  }
  if (where.startsWith('/sign-in/code')) {
    const app2fa = known.get(email);
    if (!app2fa) throw new Error(`${email} has two-factor on, but this test never saw its secret`);
    app2fa.steps += 1;
    const given = app2fa.steps <= 1 ? code(app2fa.secret, app2fa.steps) : app2fa.recovery.shift();
    if (!given) throw new Error(`No codes left for ${email}`);
    return s.post(where, { code: given }, { from: where });
  }
  return res;
}
