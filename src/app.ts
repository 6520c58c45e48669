import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import type { Config } from './config.ts';
import { poolStats, type Database } from './db/database.ts';
import { primaryReader, type Reader } from './db/read-replica.ts';
import { registerAccessControl } from './platform/access.ts';
import { registerCachePolicy } from './platform/caching.ts';
import { registerCompression } from './platform/compression.ts';
import { registerCsrf } from './platform/csrf.ts';
import { postgresRateLimitStore } from './platform/rate-limit.store.ts';
import { sessionPolicy } from './platform/sessions.ts';
import { fastifyTrustProxy } from './platform/trust-proxy.ts';
import { registerErrorHandling } from './platform/errors.ts';
import { registerFlash } from './platform/flash.ts';
import { loggerOptions } from './platform/logging.ts';
import { registerLifecycle } from './platform/lifecycle.ts';
import { cachedReader, registerMetrics, type ScrapeGauge } from './platform/metrics.ts';
import { PROBE_PATHS } from './platform/health.routes.ts';
import { registerRequestIdHeader, requestIdGenerator } from './platform/request-id.ts';
import { registerUnstorableTextGuard } from './platform/unstorable-text.ts';
import { registerViews } from './platform/views.ts';
import { PostcodeLookup } from './platform/postcode-lookup.ts';
import { createNotifier, type Notifier } from './platform/notify.ts';
import { createPacer, type Pacer } from './platform/pacer.ts';
import { pageGroups, type RouteDeps } from './routes.ts';
import { safetyBannerForService } from './modules/mood/safety.service.ts';
import { trainingOfferFor } from './modules/vba-training/vba-training.service.ts';
import { directoryCacheOf } from './modules/directory/directory-cache.service.ts';
import { registerClock, systemClock, type Clock } from './platform/clock.ts';
import { operationalCounts } from './modules/dashboards/operational-gauges.service.ts';
import { jobQueueCounts } from './modules/jobs/jobs.service.ts';

export type AppDeps = {
  config: Config;
  db: Database;
  postcodes: PostcodeLookup;
  /** Messages to people; by default the transport the configuration names (NOTIFY_TRANSPORT). */
  notifier?: Notifier;
  /** What every route asks for now and today (default: the machine's clock; tests pin one). */
  clock?: Clock;
  /** Where read-heavy pages read (default: the primary; main.ts opens the replica of READ_DATABASE_URL). */
  reader?: Reader;
  /** The logger (default: one made from LOG_LEVEL); `serve` makes it first, to log its start-up with it. */
  logger?: FastifyBaseLogger;
};

/** Asked every few seconds by machines, and needed while the database (which holds the counts) is down. */
const UNLIMITED_PATHS = new Set([...PROBE_PATHS, '/metrics']);

/**
 * The read replica, only when there is one (READ_DATABASE_URL): reads by where they were served, its lag
 * and whether reads fall back to the primary. Per instance: each has its own pool, breaker and readings.
 */
function replicaGauges(reader: Reader): ScrapeGauge[] {
  if (!reader.replica()) return [];
  // Each gauge asks; the reader keeps a lag reading for 2 s, so a scrape costs the replica one query.
  const state = async () => (await reader.probe())!;
  return [
    {
      name: 'mortar_replica_reads_total',
      help: 'Reads of the read-heavy pages (READ_DATABASE_URL) by where they were served: replica or primary.',
      type: 'counter',
      labelNames: ['target'],
      read: async () =>
        Object.entries(reader.counts()).map(([target, value]) => ({ labels: { target }, value })),
    },
    {
      name: 'mortar_replica_lag_seconds',
      help: "The replica's lag behind the primary, read when scraped or by a read (at most every 2 s); absent while the replica does not answer and before it first has, or when it cannot tell.",
      read: async () => {
        const lag = (await state()).lagSeconds;
        return lag === null ? [] : [{ value: lag }];
      },
    },
    {
      name: 'mortar_replica_fallback',
      help: 'Whether reads go to the primary instead of the replica (1): it failed and has not answered since, or its latest lag was past REPLICA_MAX_LAG_SECONDS or unknown.',
      read: async () => [{ value: (await state()).fallback ? 1 : 0 }],
    },
  ];
}

/** What /metrics reads when scraped, besides requests and the process (platform/metrics.ts). */
function scrapeGauges(db: Database, reader: Reader, clock: Clock, cacheMs: number): ScrapeGauge[] {
  // Counts of work waiting scan the database: worked out at most once per METRICS_CACHE_SECONDS.
  const counts = cachedReader(() => operationalCounts(db, clock.today()), cacheMs);
  const one = (name: string, help: string, read: () => Promise<number>): ScrapeGauge => ({
    name,
    help,
    read: async () => [{ value: await read() }],
  });
  return [
    {
      name: 'mortar_db_pool_connections',
      help: "Connections of the database pools, the primary's and the read replica's: open in total, idle, and requests waiting for one.",
      labelNames: ['pool', 'state'],
      read: async () =>
        (
          [
            ['primary', poolStats(db)],
            ['replica', reader.poolStats()],
          ] as const
        ).flatMap(([pool, s]) =>
          s
            ? (['total', 'idle', 'waiting'] as const).map((state) => ({
                labels: { pool, state },
                value: s[state],
              }))
            : [],
        ),
    },
    {
      name: 'mortar_job_queue_jobs',
      help: 'Jobs on the job queue (pg-boss) by queue and state: created is queued, retry waits to be tried again.',
      labelNames: ['queue', 'state'],
      read: async () =>
        (await jobQueueCounts(db)).map((r) => ({
          labels: { queue: r.name, state: r.state },
          value: r.count,
        })),
    },
    {
      name: 'mortar_referrals_waiting',
      help: 'Referrals not yet accepted or declined, by status: received (nobody reached yet) or contacted.',
      labelNames: ['status'],
      read: async () =>
        Object.entries((await counts()).referralsWaiting).map(([status, value]) => ({
          labels: { status },
          value,
        })),
    },
    one(
      'mortar_follow_ups_overdue',
      'Open episodes whose four-week follow-up is overdue (past day 28, window still open) with no outcome.',
      async () => (await counts()).overdueFollowUps,
    ),
    one('mortar_safety_tasks_open', 'Safety tasks (PHQ-9 item 9) not yet completed.', async () => {
      return (await counts()).openSafetyTasks;
    }),
  ];
}

// Read top to bottom as a request's path: logging, security headers, cookies and session, parsing,
// static files and views, access control, CSRF, text that cannot be stored, caching, routes, not found
// and errors.
export async function buildApp({
  config,
  db,
  postcodes,
  notifier,
  clock = systemClock,
  reader = primaryReader(db),
  logger,
}: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    ...(logger ? { loggerInstance: logger } : { logger: loggerOptions(config.logLevel) }),
    trustProxy: fastifyTrustProxy(config.trustProxy),
    bodyLimit: 256 * 1024,
    // The id comes from a trusted proxy's X-Request-Id or is made here (platform/request-id.ts).
    requestIdHeader: false,
    genReqId: requestIdGenerator(config.trustProxy),
    routerOptions: { ignoreTrailingSlash: true },
    // When stopping (platform/shutdown.ts), requests in flight finish; idle keep-alive connections are
    // closed so they cannot hold the instance up. A request that still arrives on one meanwhile (a proxy
    // reusing it at that instant) is served, with Connection: close: the instance can still answer it
    // (its database closes last), whereas Fastify's default 503 would reach the person, because the
    // proxy must not retry Mortar's 503s (deploy/nginx.conf.template says why).
    forceCloseConnections: 'idle',
    return503OnClosing: false,
  });
  registerClock(app, clock);
  registerLifecycle(app);
  registerRequestIdHeader(app);
  registerMetrics(app, {
    token: config.metrics.token,
    gauges: [...scrapeGauges(db, reader, clock, config.metrics.cacheMs), ...replicaGauges(reader)],
  });

  await app.register(fastifyHelmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        // Signing out of a single sign-on ends at the provider: a form's redirect there must be allowed.
        formAction: ["'self'", ...config.ssoProviders.map((p) => new URL(p.issuer).origin)],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: config.cookieSecure ? [] : null,
      },
    },
    strictTransportSecurity: config.cookieSecure,
  });
  await registerCompression(app);
  // Counted in PostgreSQL, so that several instances share one count per address.
  await app.register(fastifyRateLimit, {
    max: config.rateLimitPerMinute,
    timeWindow: '1 minute',
    allowList: (req) => UNLIMITED_PATHS.has(req.url.split('?')[0]!),
    store: postgresRateLimitStore(db),
  });
  await app.register(fastifyCookie, { secret: config.cookieSecret ?? randomBytes(32).toString('hex') });
  await app.register(fastifyFormbody);
  await registerViews(app, { fontsDir: config.fontsDir });
  registerAccessControl(app, db, sessionPolicy(config), {
    key: config.oauthTokenKey,
    issuer: config.publicUrl,
  });
  await registerCsrf(app, config.cookieSecure);
  registerUnstorableTextGuard(app);
  registerCachePolicy(app);
  registerFlash(app);

  registerErrorHandling(app);
  const deps: RouteDeps = {
    db,
    reader,
    config,
    postcodes,
    notifier: notifier ?? createNotifier(config.notify, app.log),
    safetyBanner: safetyBannerForService,
    trainingOffer: trainingOfferFor,
    commissioned: async (la) => (await directoryCacheOf(app, db).current()).commissioned(la),
  };
  for (const register of pageGroups) register(app, deps);
  app.decorate('notifier', deps.notifier);
  // One pacer per instance: messages sent from a request and from the job queue share Notify's limit.
  app.decorate('messagePacer', createPacer(config.notify.ratePerMinute ?? 3000));
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** How messages to people are sent: the routes' and the job queue's sender share it. */
    notifier: Notifier;
    messagePacer: Pacer;
  }
}
