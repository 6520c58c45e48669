// Prometheus metrics at /metrics, for the operators of a deployment, never the public: the route exists
// only when METRICS_TOKEN is set, and answers only that bearer token (compared in constant time). Each
// app has a registry of its own, so tests that build several apps in one process do not share counts.
//
// Requests are counted by the route's pattern (/referrals/:id), never the URL itself, which could carry
// an id or a one-time token, and would make a new series for every address asked for.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { sendProblem } from './errors.ts';

/** One value of a gauge read at scrape time, with its labels. */
export type Reading = { labels?: Record<string, string>; value: number };

/**
 * A gauge whose values are read when Prometheus asks (the database pool, the job queue, counts of work);
 * or, with `type: 'counter'`, a count kept elsewhere since the process started (reads by the replica).
 */
export type ScrapeGauge = {
  name: string;
  help: string;
  type?: 'gauge' | 'counter';
  labelNames?: readonly string[];
  read: () => Promise<Reading[]>;
};

export type MetricsOptions = {
  /** The bearer token Prometheus sends; null: no /metrics at all (it answers 404). */
  token: string | null;
  gauges: readonly ScrapeGauge[];
};

/** The route label of a request that matched no route (a 404): one series, whatever was asked for. */
export const UNMATCHED_ROUTE = '(no route)';

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Whether the request carries the token; hashed first, so neither its length nor its bytes leak by timing. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer (.+)$/.exec(header ?? '')?.[1];
  return given !== undefined && timingSafeEqual(digest(given), digest(token));
}

function requestMetrics(registry: Registry) {
  const requests = new Counter({
    name: 'mortar_http_requests_total',
    help: 'HTTP requests answered, by route pattern, method and status code.',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'mortar_http_request_duration_seconds',
    help: 'Time from receiving a request to sending its answer, by route pattern and method.',
    labelNames: ['route', 'method'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  return (request: FastifyRequest, reply: FastifyReply) => {
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    const method = request.method;
    requests.inc({ route, method, status: String(reply.statusCode) });
    duration.observe({ route, method }, reply.elapsedTime / 1000);
  };
}

function scrapeGauges(registry: Registry, gauges: readonly ScrapeGauge[]) {
  const failures = new Counter({
    name: 'mortar_metric_read_failures_total',
    help: 'Scrapes at which a gauge could not be read (the database unreachable, say); the gauge is then left out.',
    labelNames: ['metric'] as const,
    registers: [registry],
  });
  for (const g of gauges) {
    const labelNames = g.labelNames ?? [];
    async function collect(this: Gauge | Counter) {
      this.reset();
      // reset() leaves an unlabelled series at 0: a reading that failed or has no value is left out instead.
      if (!labelNames.length) this.remove({});
      try {
        for (const r of await g.read()) {
          // A counter's count is kept by its owner since the process started: each scrape sets it (a
          // restart starts it at 0 again, which Prometheus's rate() reads as a counter reset).
          if (this instanceof Counter) this.inc(r.labels ?? {}, r.value);
          else this.set(r.labels ?? {}, r.value);
        }
      } catch {
        failures.inc({ metric: g.name });
      }
    }
    const config = { name: g.name, help: g.help, labelNames, registers: [registry], collect };
    if (g.type === 'counter') new Counter(config);
    else new Gauge(config);
  }
}

export function registerMetrics(app: FastifyInstance, { token, gauges }: MetricsOptions): void {
  if (!token) return;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const record = requestMetrics(registry);
  scrapeGauges(registry, gauges);
  app.addHook('onResponse', async (request, reply) => record(request, reply));

  // Prometheus is another system with its own credential, checked here: no session, no form token.
  const config = { access: 'public' as const, sessionless: true, callback: true };
  app.get('/metrics', { config, logLevel: 'warn' }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    if (!bearerMatches(request.headers.authorization, token)) {
      reply.header('www-authenticate', 'Bearer');
      return sendProblem(reply, 401, 'Not authorised', 'Metrics need the bearer token set in METRICS_TOKEN.');
    }
    return reply.header('content-type', registry.contentType).send(await registry.metrics());
  });
}

/**
 * A reader that answers from its last reading until that is `maxAgeMs` old, so that counts which take a
 * scan of the database are worked out at most once in that time, however many scrapers ask. `now` is a
 * monotonic clock in milliseconds (performance.now), not the application's clock, which tests pin.
 */
export function cachedReader<T>(
  read: () => Promise<T>,
  maxAgeMs: number,
  now: () => number = () => performance.now(),
): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | null = null;
  return () => {
    const t = now();
    if (last && maxAgeMs > 0 && t - last.at < maxAgeMs) return last.value;
    const value = read();
    last = { at: t, value };
    // A failed reading is not kept: the next scrape tries again.
    value.catch(() => {
      if (last?.value === value) last = null;
    });
    return value;
  };
}
