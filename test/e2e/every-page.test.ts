import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startE2E, type E2E, type E2EPage } from './support.ts';

// Every role's menu, and the pages one click behind it, through a real browser: axe (run by the support
// code on every page load) must find nothing, and no page may fail. Journeys test behaviour elsewhere;
// this is the net that catches a page nobody's journey visits.

const ROLES: Record<string, string> = {
  'referrer@demo.test': 'referrer',
  'adviser@demo.test': 'adviser',
  'manager@demo.test': 'service manager',
  'commissioner@demo.test': 'commissioner',
  'analyst@demo.test': 'national analyst',
  'admin@demo.test': 'administrator',
  'national.admin@demo.test': 'national administrator',
};

/** The links in the header menu, as the user sees them. */
async function menu(p: E2EPage): Promise<string[]> {
  return p.page
    .locator('.nhsuk-header__navigation-list a')
    .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute('href') ?? ''));
}

/** The first few links inside the main content that stay on this site and are plain pages. */
async function linksIn(p: E2EPage, limit: number): Promise<string[]> {
  const hrefs = await p.page
    .locator('main a[href^="/"]')
    .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute('href') ?? ''));
  // JSON and CSV are for machines, and letters are print pages checked by their own tests.
  const pages = hrefs.filter(
    (h) => !h.startsWith('/api/') && !/\.(csv|json)(\?|$)|\/export|\/letter|sign-out|#/.test(h),
  );
  return [...new Set(pages)].slice(0, limit);
}

describe('every page a role can reach from its menu passes axe', () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E();
  });
  after(async () => {
    await e2e?.close();
  });

  // A role's walk opens up to 30 pages, each checked at two widths; the analyst's include the national
  // dashboard and returns, the largest pages Mortar has.
  const WALK_TIMEOUT_MS = 600_000;

  for (const [email, role] of Object.entries(ROLES)) {
    test(`the ${role}'s pages`, { timeout: WALK_TIMEOUT_MS }, async () => {
      await e2e.withUser(email, async (p) => {
        await p.visit('/');
        const items = await menu(p);
        assert.ok(items.length > 0, `${role} has a menu`);
        const seen = new Set<string>();
        for (const item of items) {
          const res = await p.visit(item);
          assert.ok(res.status() < 400, `${item} answered ${res.status()}`);
          seen.add(item);
          for (const link of await linksIn(p, 3)) {
            if (seen.has(link)) continue;
            seen.add(link);
            const r = await p.visit(link);
            assert.ok(r.status() < 500, `${link} (from ${item}) answered ${r.status()}`);
          }
        }
      });
    });
  }

  test('the audit: searched by person, paged, a mistake in the search, and the worklist searched', async () => {
    await e2e.withUser('manager@demo.test', async (p) => {
      await p.visit('/audit');
      await p.page.getByLabel('Person or record').fill('Sam Taylor');
      await p.page.getByLabel('Action').selectOption('create');
      await p.submit(p.page.getByRole('button', { name: 'Search' }));
      assert.match(p.path, /^\/audit\?record=Sam\+Taylor/);
      const caption = await p.page.locator('caption').textContent();
      assert.match(caption ?? '', /\d+ entr(y|ies) found, newest first/);
      // The worklist's own views of every referral fill more than one page of the whole audit.
      await p.visit('/audit');
      if (await p.page.locator('.nhsuk-pagination').count()) {
        await p.click(p.page.locator('.nhsuk-pagination__next'));
        assert.match(p.path, /page=2/);
      }
      await p.visit('/audit?from-day=31&from-month=2&from-year=2025');
      assert.match((await p.page.locator('.nhsuk-error-summary').textContent()) ?? '', /real date/);
      await p.visit('/worklist?status=all');
      await p.page.getByLabel('Search by reference, name or NHS number').fill('Taylor');
      await p.submit(p.page.getByRole('button', { name: 'Search' }));
      assert.match((await p.page.locator('caption').textContent()) ?? '', /1 referral found/);
    });
  });

  test('the public pages', async () => {
    const p = await e2e.newPage({ javaScriptEnabled: false });
    try {
      for (const path of [
        '/',
        '/accessibility',
        '/privacy',
        '/open-data',
        '/find-support',
        '/self-referral',
        '/stopping-smoking-and-your-mental-health',
        '/sign-in',
        '/no-such-page',
      ]) {
        const res = await p.visit(path);
        assert.ok(
          res.status() === 200 || (path === '/no-such-page' && res.status() === 404),
          `${path} answered ${res.status()}`,
        );
      }
    } finally {
      await p.close();
    }
  });
});
