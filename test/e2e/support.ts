import { AssertionError } from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { AxeBuilder } from '@axe-core/playwright';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
  type Response,
} from 'playwright-core';
import type { Notifier } from '../../src/platform/notify.ts';
import { buildTestApp, DEMO_PASSWORD, type TestApp } from '../helpers/test-app.ts';

// Browser tests: the real app on a port of its own with the demonstration data, driven by Chromium.
// Every page a test opens, or lands on after a link or a form, is checked with axe against WCAG 2.0,
// 2.1 and 2.2 A and AA, and for sideways scrolling (WCAG 1.4.10 Reflow), at the test's own width
// (a desktop unless the test says otherwise) and again on a phone; the step fails with what was found.

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] as const;

/**
 * Rules axe files under best practice rather than a WCAG criterion, run as well. `region`: everything on
 * the page sits in a landmark (header, main, footer...), so someone who moves by landmark misses nothing.
 */
export const AXE_EXTRA_RULES = ['region'] as const;

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The width every context opens at. */
export const DESKTOP = { width: 1280, height: 900 } as const;

/**
 * Every page is checked again at this size: a common small phone (iPhone SE, 375 px). A page wider than
 * this makes people scroll sideways to read it, which Reflow forbids.
 */
export const PHONE = { width: 375, height: 667 } as const;

/** How long a single action or navigation may take before the step fails. */
const STEP_TIMEOUT_MS = 10_000;

export { DEMO_PASSWORD };

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Chromium crashes the whole browser when a task is scheduled (setTimeout, MessageChannel, animation
 * frame) in a page whose scripts are disabled. axe uses setTimeout(0) to yield between rules and longer
 * ones as watchdogs, so on pages without JavaScript the first run as microtasks and the others never
 * fire. Only axe's own evaluation sees this: the page's scripts are off anyway.
 */
const NO_TIMERS_SHIM = `(() => {
  const pending = new Set();
  let next = 1;
  window.setTimeout = (fn, ms, ...args) => {
    const id = next++;
    if (!ms) {
      pending.add(id);
      Promise.resolve().then(() => { if (pending.delete(id)) fn(...args); });
    }
    return id;
  };
  window.clearTimeout = (id) => { pending.delete(id); };
})();
`;

type Violation = Awaited<ReturnType<AxeBuilder['analyze']>>['violations'][number];

/** One line per failing element: rule, impact, what is wrong and where. Readable in a test report. */
export function formatViolations(url: string, title: string, violations: readonly Violation[]): string {
  const lines = [`Accessibility violations on ${url} ("${title}"):`];
  for (const v of violations) {
    lines.push(`  - ${v.id} [${v.impact ?? 'unknown impact'}]: ${v.help} (${v.helpUrl.split('?')[0]})`);
    for (const node of v.nodes.slice(0, 10)) {
      const summary =
        node.failureSummary
          ?.split('\n')
          .map((s) => s.trim())
          .filter(Boolean)
          .slice(0, 2)
          .join(' ') ?? '';
      lines.push(`      at ${node.target.map(String).join(' >>> ')}${summary ? `: ${summary}` : ''}`);
    }
    if (v.nodes.length > 10) lines.push(`      ... and ${v.nodes.length - 10} more`);
  }
  return lines.join('\n');
}

/** How far a page scrolls sideways, and the elements that stick out past the window's right edge. */
export type SidewaysScroll = { viewport: number; scrollWidth: number; culprits: string[] };

/**
 * Runs in the page: null when the page fits the window's width; otherwise the outermost elements that
 * stick out (their parent fits, and nothing around them clips or scrolls them), each named by tag, id
 * and classes and its first words, so the report says what to fix rather than only that something is
 * too wide.
 */
export function findSidewaysScroll(): SidewaysScroll | null {
  const root = document.documentElement;
  const viewport = root.clientWidth;
  if (root.scrollWidth <= viewport) return null;
  const contained = (el: Element) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement)
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    return false;
  };
  const culprits: string[] = [];
  for (const el of Array.from(document.body.querySelectorAll('*'))) {
    const right = el.getBoundingClientRect().right;
    const parent = el.parentElement;
    if (right <= viewport + 0.5 || !parent || parent.getBoundingClientRect().right > viewport + 0.5) continue;
    if (contained(el)) continue;
    const name =
      el.tagName.toLowerCase() +
      (el.id ? `#${el.id}` : '') +
      Array.from(el.classList)
        .map((c) => `.${c}`)
        .join('');
    const words = (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 60);
    culprits.push(`${name} (${Math.round(right - viewport)} px too wide)${words ? `: "${words}"` : ''}`);
    if (culprits.length === 8) break;
  }
  return { viewport, scrollWidth: root.scrollWidth, culprits };
}

export function formatSidewaysScroll(where: string, title: string, found: SidewaysScroll): string {
  return [
    `Sideways scrolling on ${where} ("${title}"): the page is ${found.scrollWidth} px wide in a ${found.viewport} px window.`,
    ...found.culprits.map((c) => `      at ${c}`),
  ].join('\n');
}

/**
 * A page in a browser context of its own (one person), whose every load is checked with axe.
 * Navigate with visit(), click() and submit() so that each step waits for the new page and its check;
 * any load that happens some other way is still checked, and reported at the next step or at close().
 */
export class E2EPage {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly baseUrl: string;
  readonly javaScriptEnabled: boolean;
  /** Every page checked, in order: handy when a test wants to know where it has been. */
  readonly checked: string[] = [];
  #audits: Promise<void> = Promise.resolve();
  #problems: string[] = [];

  constructor(context: BrowserContext, page: Page, baseUrl: string, javaScriptEnabled: boolean) {
    this.context = context;
    this.page = page;
    this.baseUrl = baseUrl;
    this.javaScriptEnabled = javaScriptEnabled;
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    page.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
    // The listener runs as the event arrives, before anything awaiting the same load resumes, so the
    // check is queued before a step can move on.
    page.on('load', () => {
      const url = page.url();
      this.#audits = this.#audits.then(() => this.#audit(url));
    });
    page.on('pageerror', (err) => this.#problems.push(`Script error on ${page.url()}: ${err.message}`));
  }

  async #audit(url: string): Promise<void> {
    try {
      const title = await this.page.title();
      const own = this.page.viewportSize() ?? DESKTOP;
      await this.#checkAt(url, title, own);
      if (own.width !== PHONE.width) {
        try {
          await this.#resize(PHONE);
          await this.#checkAt(url, title, PHONE);
        } finally {
          await this.#resize(own);
        }
      }
      this.checked.push(url);
    } catch (err) {
      this.#problems.push(
        `Could not check ${url} for accessibility (did the test move on before it loaded?): ${(err as Error).message}`,
      );
    }
  }

  /** axe, and no sideways scrolling, at the page's present size. */
  async #checkAt(url: string, title: string, size: { width: number }): Promise<void> {
    // Legacy mode runs axe.run() in the page itself instead of finishing in an extra blank page: the
    // same rules and results for pages without cross-origin frames (Mortar has none), in about half the time.
    const results = await new AxeBuilder({ page: this.page, axeSource: this.#axeSource() })
      .setLegacyMode(true)
      .options({ rules: Object.fromEntries(AXE_EXTRA_RULES.map((id) => [id, { enabled: true }])) })
      .withTags([...AXE_TAGS])
      .analyze();
    const at = `${url}, ${size.width} px wide`;
    if (results.violations.length) this.#problems.push(formatViolations(at, title, results.violations));
    const sideways = await this.page.evaluate(findSidewaysScroll);
    if (sideways) this.#problems.push(formatSidewaysScroll(at, title, sideways));
  }

  /** Changes the window's size and lets the page's scripts see it before anything is measured. */
  async #resize(size: { width: number; height: number }): Promise<void> {
    await this.page.setViewportSize(size);
    // Scripts (the design system's scroll regions) react to a resize in the next frame; without scripts
    // there is nothing to wait for, and a frame callback would crash Chromium (see NO_TIMERS_SHIM).
    if (this.javaScriptEnabled) {
      await this.page.evaluate(
        () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
      );
    }
  }

  #axeSource(): string {
    return this.javaScriptEnabled ? AXE_SOURCE : NO_TIMERS_SHIM + AXE_SOURCE;
  }

  /** The next load of the page; marked handled, so a step that fails first leaves no stray rejection. */
  #nextLoad(): Promise<unknown> {
    const loaded = this.page.waitForEvent('load');
    loaded.catch(() => undefined);
    return loaded;
  }

  /** Waits for queued checks and throws if any found a problem (each problem is reported once). */
  async settle(): Promise<void> {
    await this.#audits;
    if (this.#problems.length) {
      const message = this.#problems.join('\n\n');
      this.#problems = [];
      throw new AssertionError({ message });
    }
  }

  url(path: string): string {
    return new URL(path, this.baseUrl).toString();
  }

  /** Opens a path on the app, waits for the page to load and be checked. Returns the main response. */
  async visit(path: string): Promise<Response> {
    const loaded = this.#nextLoad();
    const res = await this.page.goto(this.url(path), { waitUntil: 'load' });
    await loaded;
    await this.settle();
    if (!res) throw new Error(`No response for ${path}`);
    return res;
  }

  /** Clicks something that leads to a new page (a link, a submit button) and waits for it to be checked. */
  async click(target: Locator): Promise<void> {
    const loaded = this.#nextLoad();
    await target.click();
    await loaded;
    await this.settle();
  }

  /**
   * Follows a link in the header menu. On a narrow window, or when a role has many items, the NHS header
   * moves the last ones into its "More" menu: open it first, as a user would.
   */
  async followMenu(name: string): Promise<void> {
    const menu = this.page.getByRole('navigation', { name: 'Menu' });
    const link = menu.getByRole('link', { name, exact: true });
    if (!(await link.isVisible())) {
      const more = menu.locator('.nhsuk-header__menu-toggle');
      if ((await more.isVisible()) && (await more.getAttribute('aria-expanded')) !== 'true')
        await more.click();
    }
    await this.click(link);
  }

  /** Submits a form with its button: the same as click(), named for the reader. */
  submit(button: Locator): Promise<void> {
    return this.click(button);
  }

  /** The path and query of the current page. */
  get path(): string {
    const u = new URL(this.page.url());
    return `${u.pathname}${u.search}`;
  }

  async screenshot(file: string): Promise<void> {
    await this.page.screenshot({ path: file, fullPage: true });
  }

  /** Closes the context; fails if a page loaded after the last step had problems. */
  async close(): Promise<void> {
    try {
      await this.settle();
    } finally {
      await this.context.close();
    }
  }
}

export type E2E = {
  baseUrl: string;
  browser: Browser;
  testApp: TestApp;
  /** A fresh browser context (no cookies): one person. */
  newPage(opts?: { javaScriptEnabled?: boolean }): Promise<E2EPage>;
  /** A fresh context signed in as a demonstration account. */
  as(email: string, opts?: { javaScriptEnabled?: boolean }): Promise<E2EPage>;
  /** Signs in as `email` in a fresh context, runs the steps, and closes the context (reporting late problems). */
  withUser(
    email: string,
    steps: (p: E2EPage) => Promise<void>,
    opts?: { javaScriptEnabled?: boolean },
  ): Promise<void>;
  close(): Promise<void>;
};

/**
 * Starts the app with demonstration data on a free port, and one Chromium for the test file. `now` pins
 * the app's clock (and the day the demonstration data is built from), as buildTestApp's does. Pass a
 * LogNotifier to read the messages the app sends (a password reset link, say).
 */
export async function startE2E(
  opts: { now?: string; notifier?: Notifier; env?: Record<string, string>; port?: number } = {},
): Promise<E2E> {
  const testApp = await buildTestApp({
    demo: true,
    // `env` and `port` for a test whose configuration names the app's own address (single sign-on).
    env: { SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000', ...opts.env },
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.notifier ? { notifier: opts.notifier } : {}),
  });
  let browser: Browser | undefined;
  const pages = new Set<E2EPage>();
  try {
    await testApp.app.listen({ port: opts.port ?? 0, host: '127.0.0.1' });
    const { port } = testApp.app.server.address() as AddressInfo;
    const baseUrl = `http://127.0.0.1:${port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const b = browser;
    const newPage = async (opts: { javaScriptEnabled?: boolean } = {}) => {
      const javaScriptEnabled = opts.javaScriptEnabled ?? true;
      const context = await b.newContext({
        baseURL: baseUrl,
        javaScriptEnabled,
        locale: 'en-GB',
        timezoneId: 'Europe/London',
        viewport: { ...DESKTOP },
      });
      const p = new E2EPage(context, await context.newPage(), baseUrl, javaScriptEnabled);
      pages.add(p);
      context.on('close', () => pages.delete(p));
      return p;
    };
    return {
      baseUrl,
      browser: b,
      testApp,
      newPage,
      async as(email, opts) {
        const p = await newPage(opts);
        await signIn(p, email);
        return p;
      },
      async withUser(email, steps, opts) {
        const p = await newPage(opts);
        try {
          await signIn(p, email);
          await steps(p);
        } catch (err) {
          await p.context.close().catch(() => undefined);
          throw err;
        }
        await p.close();
      },
      async close() {
        for (const p of pages) await p.context.close().catch(() => undefined);
        await b.close();
        await testApp.close();
      },
    };
  } catch (err) {
    await browser?.close().catch(() => undefined);
    await testApp.close();
    throw err;
  }
}

/**
 * Signs in through the real sign-in form, as a person would, and checks that it worked.
 * Every browser context comes from 127.0.0.1, and the sign-in route allows 10 attempts a minute from
 * one address: a test file that needs more sign-ins than that should reuse a context per person.
 */
export async function signIn(p: E2EPage, email: string, password = DEMO_PASSWORD): Promise<void> {
  await p.visit('/sign-in');
  await p.page.getByLabel('Email address').fill(email);
  await p.page.getByLabel('Password').fill(password);
  await p.submit(p.page.getByRole('button', { name: 'Sign in' }));
  if (p.path.startsWith('/sign-in')) {
    const summary = await p.page
      .locator('.nhsuk-error-summary')
      .textContent()
      .catch(() => null);
    throw new AssertionError({
      message: `Sign-in as ${email} failed${summary ? `: ${summary.replace(/\s+/g, ' ').trim()}` : ''}`,
    });
  }
}
