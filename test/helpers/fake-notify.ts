import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authenticate, parseApiKey, type ApiKey } from './fake-notify-auth.ts';
import {
  CallbackPoster,
  inboundBody,
  receiptBody,
  type Callback,
  type CallbackRecord,
} from './fake-notify-callbacks.ts';
import { answerFault, discard, Faults } from './fake-notify-faults.ts';
import {
  createRateLimiter,
  rateLimitMessage,
  type RateLimitAlgorithm,
  type RateLimiter,
} from './fake-notify-rate-limit.ts';
import {
  badRequest,
  recipientKey,
  validateSend,
  type FakeTemplate,
  type NotificationType,
  type Refusal,
} from './fake-notify-rules.ts';
import {
  createdBody,
  NotificationStore,
  parseListQuery,
  serialise,
  type FakeNotification,
  type FinalStatus,
} from './fake-notify-store.ts';

// A small GOV.UK Notify for tests and the bench: the v2 HTTP API as the official notifications-node-client
// calls it (token, sends, look-ups, rate limit, errors), delivery receipts and inbound texts posted to
// callback URLs, and faults a test can ask for. docs/notify.md says how it differs from the real service.

export type { Callback, CallbackRecord, FakeNotification, FakeTemplate, FinalStatus };

export type FakeNotifyOptions = {
  templates: FakeTemplate[];
  /** Whole API keys (name-serviceId-secret); one is made up when none is given (`apiKey`). */
  apiKeys?: string[];
  /** Sends a key may make in 60 seconds (Notify's default for a live key: 3,000). */
  rateLimit?: number;
  rateLimitAlgorithm?: RateLimitAlgorithm;
  /** The service's clock (rate limit, timestamps); tests move it instead of sleeping. */
  now?: () => number;
  /**
   * The clock a token's `iat` is checked against. The official client signs with the machine's real
   * clock, so this stays real (Date.now) when a test moves `now`; a clock-skew test passes its own.
   */
  tokenClock?: () => number;
  deliveryReceipts?: Callback;
  inboundSms?: Callback;
  /** `manual` (default): a test calls deliver/deliverAll. `immediate`: each send is delivered at once. */
  delivery?: 'manual' | 'immediate';
  smsSender?: string;
  fromEmail?: string;
  /** The service's inbound number, the destination of texts people send it. */
  inboundNumber?: string;
  /** Pounds per text message fragment, for the cost fields of a look-up. */
  smsRate?: number;
};

export type Refused = { at: number; status: number; error: string };

/** Notify's simulated recipients that fail (a test key's research mode; the fake honours them always). */
const SIMULATED: Record<string, FinalStatus> = {
  '447700900002': 'permanent-failure',
  '447700900003': 'temporary-failure',
  'perm-fail@simulator.notify': 'permanent-failure',
  'temp-fail@simulator.notify': 'temporary-failure',
};

const json = (res: ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res
    .writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
    .end(text);
};
const refuse = (res: ServerResponse, r: Refusal) =>
  json(res, r.status, { status_code: r.status, errors: r.errors });

export class FakeNotify {
  readonly templates: ReadonlyMap<string, FakeTemplate>;
  readonly keys: readonly ApiKey[];
  readonly store = new NotificationStore();
  /** Requests answered 429 by the rate limit, oldest first. */
  readonly rateLimited: Refused[] = [];
  /** Requests refused for any other reason (auth, validation, injected faults), oldest first. */
  readonly refused: Refused[] = [];
  readonly stats = { requests: 0, accepted: 0 };
  /** The latest request as it arrived (only the latest: the bench sends 100,000). */
  lastRequest: { method: string; path: string; authorization: string | undefined; body: string } | undefined;
  readonly #options: FakeNotifyOptions;
  readonly #now: () => number;
  readonly #limiters = new Map<string, RateLimiter>();
  readonly #faults = new Faults();
  readonly #callbacks = new CallbackPoster();
  readonly #failures = new Map<string, FinalStatus>();
  readonly #server: Server;
  #baseUrl = '';

  private constructor(options: FakeNotifyOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.templates = new Map(options.templates.map((t) => [t.id.toLowerCase(), t]));
    const keys = options.apiKeys ?? [`fake_notify-${randomUUID()}-${randomUUID()}`];
    this.keys = keys.map(parseApiKey);
    this.#server = createServer({ keepAlive: true }, (req, res) => {
      this.#handle(req, res).catch((err: unknown) => {
        if (!res.headersSent)
          json(res, 500, {
            status_code: 500,
            errors: [{ error: 'Exception', message: 'Internal server error' }],
          });
        console.error('fake Notify failed', err);
      });
    });
  }

  static async start(options: FakeNotifyOptions): Promise<FakeNotify> {
    const fake = new FakeNotify(options);
    await new Promise<void>((resolve) => fake.#server.listen(0, '127.0.0.1', resolve));
    fake.#baseUrl = `http://127.0.0.1:${(fake.#server.address() as AddressInfo).port}`;
    return fake;
  }

  get baseUrl(): string {
    return this.#baseUrl;
  }

  /** The first API key: pass it to the client with `baseUrl`. */
  get apiKey(): string {
    return this.keys[0]!.key;
  }

  async close(): Promise<void> {
    this.releaseHung();
    await this.settled();
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  // ---- faults -------------------------------------------------------------------------------------

  /**
   * The next `count` requests answer `status` (500 as Notify's own error, 503 as its load balancer does).
   * `afterProcessing`: the send is stored first, as when Notify fails after accepting a message.
   */
  failNext(count: number, status: 500 | 503 = 500, opts: { afterProcessing?: boolean } = {}): void {
    this.#faults.add(count, { kind: 'status', status, afterProcessing: opts.afterProcessing ?? false });
  }

  /** The next `count` requests wait, `ms` or until releaseHung(), then are handled as usual. */
  hangNext(count: number, opts: { ms?: number } = {}): void {
    this.#faults.add(count, { kind: 'hang', ...opts });
  }

  releaseHung(): void {
    this.#faults.release();
  }

  get hungRequests(): number {
    return this.#faults.hung;
  }

  /** Messages to this recipient (however written) end in this status instead of `delivered`. */
  failRecipient(to: string, status: Exclude<FinalStatus, 'delivered'>): void {
    this.#failures.set(recipientKey(to.includes('@') ? 'email' : 'sms', to), status);
  }

  // ---- inspection ---------------------------------------------------------------------------------

  get notifications(): readonly FakeNotification[] {
    return this.store.all;
  }

  byReference(reference: string): FakeNotification[] {
    return this.store.byReference(reference);
  }

  byRecipient(to: string): FakeNotification[] {
    return this.store.byRecipient(recipientKey(to.includes('@') ? 'email' : 'sms', to));
  }

  /** References sent more than once, with how many times. */
  duplicateReferences(): Map<string, number> {
    return new Map([...this.store.countsByReference()].filter(([, count]) => count > 1));
  }

  /** Each delivery receipt and inbound text posted, with the answer. */
  get callbacks(): readonly CallbackRecord[] {
    return this.#callbacks.records;
  }

  /** Resolves when every callback the fake has started to post has had its answer. */
  settled(): Promise<void> {
    return this.#callbacks.settled();
  }

  // ---- the life of a notification ----------------------------------------------------------------

  /** created -> sending: handed to the phone network or email provider. */
  markSending(id: string): FakeNotification {
    const n = this.#find(id);
    if (n.status === 'created') {
      n.status = 'sending';
      n.sentAt = this.#now();
    }
    return n;
  }

  /** To its final status (delivered, or the failure its recipient is marked for), then the receipt. */
  async deliver(id: string, status?: FinalStatus): Promise<FakeNotification> {
    const n = this.markSending(id);
    if (n.completedAt !== null) return n;
    n.status = status ?? this.#failures.get(n.recipient) ?? SIMULATED[n.recipient] ?? 'delivered';
    n.completedAt = this.#now();
    const cb = this.#options.deliveryReceipts;
    if (cb) await this.#callbacks.post('receipt', cb, receiptBody(n));
    return n;
  }

  /** Delivers everything not yet delivered or failed; returns how many. */
  async deliverAll(): Promise<number> {
    const open = this.store.all.filter((n) => n.completedAt === null);
    await Promise.all(open.map((n) => this.deliver(n.id)));
    return open.length;
  }

  /** Someone texts the service's inbound number: Notify's inbound callback goes to the service. */
  async receiveText(fromNumber: string, message: string): Promise<CallbackRecord | undefined> {
    const cb = this.#options.inboundSms;
    if (!cb) return undefined;
    const to = this.#options.inboundNumber ?? '07700900000';
    return this.#callbacks.post('inbound', cb, inboundBody(fromNumber, to, message, this.#now()));
  }

  #find(id: string): FakeNotification {
    const n = this.store.get(id);
    if (!n) throw new Error(`fake Notify has no notification ${id}`);
    return n;
  }

  // ---- HTTP ----------------------------------------------------------------------------------------

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.stats.requests++;
    const url = new URL(req.url ?? '/', this.#baseUrl);
    const send =
      req.method === 'POST' ? /^\/v2\/notifications\/(sms|email|letter)$/.exec(url.pathname) : null;
    const one = req.method === 'GET' ? /^\/v2\/notifications\/([^/]+)$/.exec(url.pathname) : null;
    const list = req.method === 'GET' && url.pathname === '/v2/notifications';
    if (!send && !one && !list) return json(res, 404, { result: 'error', message: 'Not found' });
    const body = await readBody(req);
    this.lastRequest = {
      method: req.method ?? '',
      path: url.pathname + url.search,
      authorization: req.headers.authorization,
      body,
    };

    const fault = this.#faults.next();
    if (fault?.kind === 'hang') await this.#faults.hang(fault.ms);
    if (fault?.kind === 'status' && !fault.afterProcessing) return this.#fail(res, fault.status);
    // A fault after processing: the work is done, then the answer is lost.
    const out = fault?.kind === 'status' ? discard() : res;

    const auth = authenticate(req.headers.authorization, this.keys, (this.#options.tokenClock ?? Date.now)());
    if (!auth.ok) {
      this.#refuse(this.refused, auth.failure.status, 'AuthError');
      json(out, auth.failure.status, {
        status_code: auth.failure.status,
        errors: [{ error: 'AuthError', message: auth.failure.message }],
      });
    } else if (send) this.#send(out, send[1] as NotificationType | 'letter', auth.key, body);
    else if (one) this.#getOne(out, one[1]!);
    else this.#list(out, url.searchParams);
    if (fault?.kind === 'status') this.#fail(res, fault.status);
  }

  #send(res: ServerResponse, type: NotificationType | 'letter', key: ApiKey, raw: string): void {
    const limit = this.#options.rateLimit ?? 3000;
    let limiter = this.#limiters.get(key.key);
    if (!limiter)
      this.#limiters.set(
        key.key,
        (limiter = createRateLimiter(limit, this.#options.rateLimitAlgorithm ?? 'sliding-window')),
      );
    if (!limiter.take(this.#now())) {
      this.#refuse(this.rateLimited, 429, 'RateLimitError');
      return refuse(res, {
        status: 429,
        errors: [{ error: 'RateLimitError', message: rateLimitMessage(limit) }],
      });
    }
    const done = (r: Refusal) => (this.#refuse(this.refused, r.status, r.errors[0]!.error), refuse(res, r));
    let body: unknown;
    try {
      body = raw === '' ? {} : JSON.parse(raw);
    } catch {
      return done(badRequest('Invalid JSON supplied in POST data'));
    }
    if (type === 'letter') return done(badRequest('Service is not allowed to send letters'));
    const checked = validateSend(type, body, this.templates);
    if (!checked.ok) return done(checked.refusal);
    const { send } = checked;
    const n: FakeNotification = {
      id: randomUUID(),
      type,
      to: send.to,
      recipient: recipientKey(type, send.to),
      templateId: send.template.id,
      templateVersion: send.template.version ?? 1,
      personalisation: send.personalisation,
      reference: send.reference,
      body: send.body,
      subject: send.subject,
      status: 'created',
      createdAt: this.#now(),
      sentAt: null,
      completedAt: null,
    };
    this.store.add(n);
    this.stats.accepted++;
    json(
      res,
      201,
      createdBody(n, this.#baseUrl, this.keys[0]!.serviceId, {
        smsSender: this.#options.smsSender ?? 'GOVUK',
        fromEmail: this.#options.fromEmail ?? 'mortar@notifications.service.gov.uk',
      }),
    );
    if (this.#options.delivery === 'immediate') void this.#callbacks.track(this.deliver(n.id));
  }

  #getOne(res: ServerResponse, id: string): void {
    if (!/^[0-9a-f]{8}-?([0-9a-f]{4}-?){3}[0-9a-f]{12}$/i.test(id))
      return refuse(res, {
        status: 400,
        errors: [{ error: 'ValidationError', message: 'notification_id is not a valid UUID' }],
      });
    const n = this.store.get(id);
    if (!n)
      return refuse(res, { status: 404, errors: [{ error: 'NoResultFound', message: 'No result found' }] });
    json(res, 200, serialise(n, this.#baseUrl, this.#options.smsRate ?? 0.0227));
  }

  #list(res: ServerResponse, params: URLSearchParams): void {
    const query = parseListQuery(params);
    if (!query.ok) return refuse(res, query.refusal);
    const page = this.store.list(query.filter);
    const current = `${this.#baseUrl}/v2/notifications${params.size ? `?${params}` : ''}`;
    const links: { current: string; next?: string } = { current };
    if (page.length) {
      const next = new URLSearchParams(params);
      next.set('older_than', page.at(-1)!.id);
      links.next = `${this.#baseUrl}/v2/notifications?${next}`;
    }
    json(res, 200, {
      notifications: page.map((n) => serialise(n, this.#baseUrl, this.#options.smsRate ?? 0.0227)),
      links,
    });
  }

  #fail(res: ServerResponse, status: 500 | 503): void {
    this.#refuse(this.refused, status, status === 500 ? 'Exception' : 'ServiceUnavailable');
    answerFault(res, status);
  }

  #refuse(into: Refused[], status: number, error: string): void {
    into.push({ at: this.#now(), status, error });
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
