import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { registerAccessControl } from './platform/access.ts';
import { registerCachePolicy } from './platform/caching.ts';
import { registerCsrf } from './platform/csrf.ts';
import { postgresRateLimitStore } from './platform/rate-limit.store.ts';
import { sessionPolicy } from './platform/sessions.ts';
import { fastifyTrustProxy } from './platform/trust-proxy.ts';
import { registerErrorHandling } from './platform/errors.ts';
import { registerFlash } from './platform/flash.ts';
import { registerHealth } from './platform/health.routes.ts';
import { loggerOptions } from './platform/logging.ts';
import { registerUnstorableTextGuard } from './platform/unstorable-text.ts';
import { registerViews } from './platform/views.ts';
import { registerSignIn } from './platform/sign-in.routes.ts';
import { registerAccountRoutes } from './platform/account.routes.ts';
import { registerPasswordResetRoutes } from './platform/password-reset.routes.ts';
import { registerHome } from './platform/home.routes.ts';
import { PostcodeLookup } from './platform/postcode-lookup.ts';
import { registerReferralRoutes } from './modules/referrals/referral.routes.ts';
import { registerReferralApi } from './modules/referrals/referral-api.routes.ts';
import { registerWorklistRoutes } from './modules/referrals/worklist.routes.ts';
import { registerAdminRoutes } from './modules/organisations/admin.routes.ts';
import { registerGrantRoutes } from './modules/organisations/grants.routes.ts';
import { registerAuditRoutes } from './modules/audit/audit.routes.ts';
import { registerAreaRoutes } from './modules/dashboards/area.routes.ts';
import { registerMedicinesAdminRoutes } from './modules/medicines/medicines-admin.routes.ts';
import { registerEpisodeRoutes } from './modules/treatment/episode.routes.ts';
import { safetyBannerForService } from './modules/mood/safety.service.ts';
import { registerDirectoryRoutes } from './modules/directory/directory.routes.ts';
import { registerSelfReferralRoutes } from './modules/self-referral/self-referral.routes.ts';
import { registerReturnRoutes } from './modules/returns/return.routes.ts';
import { registerReturnImportRoutes } from './modules/returns/return-import.routes.ts';
import { registerNationalReturnRoutes } from './modules/returns/national.routes.ts';
import { registerPublicationRoutes } from './modules/returns/publication.routes.ts';
import { registerNeedRoutes } from './modules/strategy/need.routes.ts';
import { registerPartnerRoutes } from './modules/partners/partner.routes.ts';
import { registerPartnerContactRoutes } from './modules/partners/partner-contacts.routes.ts';
import { registerPartnerPolicyRoutes } from './modules/partners/partner-policy.routes.ts';
import { registerTrainingRoutes } from './modules/partners/training.routes.ts';
import { registerCommissionerDashboardRoutes } from './modules/dashboards/commissioner-dashboard.routes.ts';
import { registerNationalDashboardRoutes } from './modules/dashboards/national-dashboard.routes.ts';
import { registerServiceDashboardRoutes } from './modules/dashboards/service-dashboard.routes.ts';
import { registerStrategyRoutes } from './modules/strategy/strategy.routes.ts';
import { registerCampaignRoutes } from './modules/campaigns/campaign.routes.ts';
import { createNotifier, type Notifier } from './platform/notify.ts';
import { registerClock, systemClock, type Clock } from './platform/clock.ts';

export type AppDeps = {
  config: Config;
  db: Database;
  postcodes: PostcodeLookup;
  /** Messages to people; by default the transport the configuration names (NOTIFY_TRANSPORT). */
  notifier?: Notifier;
  /** What every route asks for now and today (default: the machine's clock; tests pin one). */
  clock?: Clock;
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
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: config.cookieSecure ? [] : null,
      },
    },
    strictTransportSecurity: config.cookieSecure,
  });
  // Counted in PostgreSQL, so that several instances share one count per address.
  await app.register(fastifyRateLimit, {
    max: config.rateLimitPerMinute,
    timeWindow: '1 minute',
    allowList: (req) => req.url === '/healthz',
    store: postgresRateLimitStore(db),
  });
  await app.register(fastifyCookie, { secret: config.cookieSecret ?? randomBytes(32).toString('hex') });
  await app.register(fastifyFormbody);
  await registerViews(app);
  registerAccessControl(app, db, sessionPolicy(config));
  await registerCsrf(app, config.cookieSecure);
  registerUnstorableTextGuard(app);
  registerCachePolicy(app);
  registerFlash(app);

  registerErrorHandling(app);
  registerHealth(app, db);
  registerHome(app, db);
  const messages = notifier ?? createNotifier(config.notify, app.log);
  registerSignIn(app, db, config);
  registerAccountRoutes(app, db, config);
  registerPasswordResetRoutes(app, { db, config, notifier: messages });
  registerReferralRoutes(app, { db, postcodes, config });
  registerReferralApi(app, { db, postcodes, config });
  registerWorklistRoutes(app, { db, config, safetyBanner: safetyBannerForService });
  registerAdminRoutes(app, { db, config });
  registerGrantRoutes(app, { db });
  registerAuditRoutes(app, { db });
  registerMedicinesAdminRoutes(app, { db });
  registerAreaRoutes(app, { db });
  registerEpisodeRoutes(app, { db, config, postcodes });
  registerDirectoryRoutes(app, { db, postcodes });
  registerSelfReferralRoutes(app, {
    db,
    postcodes,
    config,
    notifier: messages,
  });
  registerReturnRoutes(app, { db });
  registerReturnImportRoutes(app, { db });
  registerNationalReturnRoutes(app, { db });
  registerPublicationRoutes(app, { db });
  registerNeedRoutes(app, { db });
  registerPartnerRoutes(app, { db });
  registerPartnerContactRoutes(app, { db });
  registerPartnerPolicyRoutes(app, { db });
  registerTrainingRoutes(app, { db });
  registerCommissionerDashboardRoutes(app, { db });
  registerNationalDashboardRoutes(app, { db });
  registerServiceDashboardRoutes(app, { db });
  registerStrategyRoutes(app, { db });
  registerCampaignRoutes(app, { db });
  return app;
}
