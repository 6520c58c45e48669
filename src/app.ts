import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
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
import { registerUnstorableTextGuard } from './platform/unstorable-text.ts';
import { registerViews } from './platform/views.ts';
import { PostcodeLookup } from './platform/postcode-lookup.ts';
import { createNotifier, type Notifier } from './platform/notify.ts';
import { createPacer, type Pacer } from './platform/pacer.ts';
import { pageGroups, type RouteDeps } from './routes.ts';
import { safetyBannerForService } from './modules/mood/safety.service.ts';
import { trainingOfferFor } from './modules/vba-training/vba-training.service.ts';
import { registerClock, systemClock, type Clock } from './platform/clock.ts';

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
};

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
}: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(config.logLevel),
    trustProxy: fastifyTrustProxy(config.trustProxy),
    bodyLimit: 256 * 1024,
    requestIdHeader: false,
    genReqId: () => randomBytes(8).toString('hex'),
    routerOptions: { ignoreTrailingSlash: true },
  });
  registerClock(app, clock);

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
    allowList: (req) => req.url === '/healthz',
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
