import { formatPence } from './money.ts';
import { errorsIn, pageLanguage } from './page-language.ts';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyView from '@fastify/view';
import nunjucks from 'nunjucks';
import { roleLabelOf, type StaffUser } from './roles.ts';
import { navigationFor } from './navigation.ts';
import { mortarAssets, type AssetTable } from './assets.ts';
import { registerAssetRoutes } from './assets.routes.ts';

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const VIEW_PATHS = [
  root('src/views'),
  root('src/platform/views'),
  root('src/modules'),
  root('node_modules/nhsuk-frontend/dist'),
];

declare module 'fastify' {
  interface FastifyReply {
    /** Renders a page with the signed-in user, navigation, CSRF token and CSP nonce filled in. */
    page(template: string, context?: Record<string, unknown>): Promise<FastifyReply>;
  }
}

/** Filters every template may use; @fastify/view builds the environment and hands it here. */
export function addFilters(env: nunjucks.Environment): nunjucks.Environment {
  env.addFilter('dateTime', (d: Date | string | null | undefined) =>
    d
      ? new Date(d).toLocaleString('en-GB', {
          dateStyle: 'medium',
          timeStyle: 'short',
          timeZone: 'Europe/London',
        })
      : '',
  );
  // A bilingual page passes its language: `updatedAt | date(htmlLang)` gives "5 Mawrth 2026" in Welsh.
  env.addFilter('date', (d: Date | string | null | undefined, lang?: string) =>
    d
      ? new Date(d).toLocaleDateString(lang === 'cy' ? 'cy-GB' : 'en-GB', {
          day: 'numeric',
          month: 'long',
          year: 'numeric',
          timeZone: 'Europe/London',
        })
      : '',
  );
  // A phrase that can start a sentence or follow a comma ("gwasanaeth … GIG Cymru") as a sentence: only
  // its first letter changes, unlike `capitalize`, which lowers the rest (GIG, Cymru).
  env.addFilter('upperFirst', (s: unknown) =>
    typeof s === 'string' && s ? `${s.charAt(0).toUpperCase()}${s.slice(1)}` : s,
  );
  // Money kept in pence, shown in pounds; the template says what a missing amount means.
  env.addFilter('pounds', (pence: number | null | undefined, whole?: boolean) =>
    pence === null || pence === undefined ? '' : formatPence(pence, whole === true),
  );
  return env;
}

/** What templates know of the files Mortar serves: `asset('app.css')` is its fingerprinted URL. */
export function addAssetGlobals(env: nunjucks.Environment, assets: AssetTable): nunjucks.Environment {
  env.addGlobal('asset', (name: string) => assets.url(name));
  env.addGlobal('servesFonts', assets.fonts);
  return env;
}

export async function registerViews(app: FastifyInstance, options: { fontsDir: string | null }) {
  const assets = mortarAssets(options.fontsDir);
  await app.register(fastifyView, {
    engine: { nunjucks },
    options: {
      onConfigure: (env: nunjucks.Environment) => addAssetGlobals(addFilters(env), assets),
    },
    templates: VIEW_PATHS,
  });
  registerAssetRoutes(app, assets);
  // Brotli at its best takes about a second for the NHS stylesheet: done once the server listens, not
  // by the first visitor (and never by tests that only inject requests).
  app.addHook('onListen', async () => {
    assets.warm().catch((err: unknown) => app.log.error({ err }, 'compressing static files failed'));
  });

  app.decorateReply(
    'page',
    async function page(this: FastifyReply, template: string, context: Record<string, unknown> = {}) {
      const user: StaffUser | null = this.request.user;
      this.type('text/html; charset=utf-8');
      const address = typeof context.languageAddress === 'string' ? context.languageAddress : undefined;
      const language = pageLanguage(this, context.bilingual === true, address);
      return this.view(template, {
        ...language,
        currentUser: user,
        currentRoleLabel: user ? roleLabelOf(user.role, user.organisationType) : undefined,
        navigation: navigationFor(user, this.request.url),
        // A page that posts nothing may pass `csrf: false`: no token is made, so no cookie is set (unless
        // someone is signed in: the header's sign-out button needs one).
        csrfToken: context.csrf === false && !user ? undefined : this.generateCsrf(),
        nonce: (this as unknown as { cspNonce?: { script: string } }).cspNonce?.script,
        ...context,
        errors: errorsIn(context.errors, language.t, language.htmlLang),
        title: typeof context.title === 'string' ? language.t(context.title) : context.title,
      });
    },
  );
}
