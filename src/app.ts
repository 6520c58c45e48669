import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { registerAccessControl } from './platform/access.ts';
import { registerErrorHandling } from './platform/errors.ts';
import { registerHealth } from './platform/health.routes.ts';
import { loggerOptions } from './platform/logging.ts';
import { registerViews } from './platform/views.ts';
import { registerSignIn } from './platform/sign-in.routes.ts';
import { registerHome } from './platform/home.routes.ts';
import { PostcodeLookup } from './modules/directory/postcode-lookup.ts';
import { registerReferralRoutes } from './modules/referrals/referral.routes.ts';
import { registerReferralApi } from './modules/referrals/referral-api.routes.ts';
import { registerWorklistRoutes } from './modules/referrals/worklist.routes.ts';
import { registerAdminRoutes } from './modules/organisations/admin.routes.ts';
import { registerAreaRoutes } from './modules/organisations/area.routes.ts';
import { registerMedicinesAdminRoutes } from './modules/organisations/medicines-admin.routes.ts';
import { registerEpisodeRoutes } from './modules/episodes/episode.routes.ts';
import { registerDirectoryRoutes } from './modules/directory/directory.routes.ts';
import { registerSelfReferralRoutes } from './modules/self-referral/self-referral.routes.ts';
import { registerReturnRoutes } from './modules/returns/return.routes.ts';
import { registerReturnImportRoutes } from './modules/returns/return-import.ts';
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

export type AppDeps = {
  config: Config;
  db: Database;
  postcodes: PostcodeLookup;
  /** Messages to people; by default the transport the configuration names (NOTIFY_TRANSPORT). */
  notifier?: Notifier;
};

// Read top to bottom as a request's path: logging, security headers, cookies and session, parsing,
// static files and views, access control, CSRF, routes, not found and errors.
export async function buildApp({ config, db, postcodes, notifier }: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(config.logLevel),
    trustProxy: config.trustProxy,
    bodyLimit: 256 * 1024,
    requestIdHeader: false,
    genReqId: () => randomBytes(8).toString('hex'),
    routerOptions: { ignoreTrailingSlash: true },
  });

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
  await app.register(fastifyRateLimit, {
    max: config.rateLimitPerMinute,
    timeWindow: '1 minute',
    allowList: (req) => req.url === '/healthz',
  });
  await app.register(fastifyCookie, { secret: config.cookieSecret ?? randomBytes(32).toString('hex') });
  await app.register(fastifyFormbody);
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'mortar_csrf',
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', secure: config.cookieSecure, path: '/' },
    // The header's sign-out button is a form the design system renders without hidden fields, so its
    // token travels in the form's action URL; logs drop query strings.
    getToken: (req) => {
      const body = req.body as Record<string, unknown> | undefined;
      const query = req.query as Record<string, unknown> | undefined;
      const token = body?._csrf ?? query?._csrf ?? req.headers['x-csrf-token'];
      return typeof token === 'string' ? token : '';
    },
  });
  await registerViews(app);
  registerAccessControl(app, db, config.sessionTtlMs);

  // Every state-changing request from a browser carries the form's token; API calls use keys instead.
  app.addHook('preHandler', (request, reply, done) => {
    const unsafe = request.method !== 'GET' && request.method !== 'HEAD' && request.method !== 'OPTIONS';
    if (!unsafe || request.routeOptions.config?.access === 'api') return done();
    app.csrfProtection(request, reply, done);
  });

  registerErrorHandling(app);
  registerHealth(app, db);
  registerHome(app, db);
  registerSignIn(app, db, config);
  registerReferralRoutes(app, { db, postcodes, config });
  registerReferralApi(app, { db, postcodes, config });
  registerWorklistRoutes(app, { db, config });
  registerAdminRoutes(app, { db, config });
  registerMedicinesAdminRoutes(app, { db });
  registerAreaRoutes(app, { db });
  registerEpisodeRoutes(app, { db, config, postcodes });
  registerDirectoryRoutes(app, { db, postcodes });
  registerSelfReferralRoutes(app, {
    db,
    postcodes,
    config,
    notifier: notifier ?? createNotifier(config.notify, app.log),
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
