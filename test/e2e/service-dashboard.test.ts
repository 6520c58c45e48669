import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { previousQuarter, quarterLabel, quarterOf } from '../../src/platform/quarters.ts';
import { startE2E, type E2E } from './support.ts';

// The Leeds service manager opens their dashboard from the navigation, reads the charts and tables,
// changes the quarter with the selector (without JavaScript), follows Jo Brennan's open safety task to
// the episode, and prints the page. axe checks every page the support code loads.

describe('the service manager dashboard in the browser', () => {
  let e2e: E2E;
  before(async () => {
    // Pinned mid-quarter: the demonstration referrals of the last fortnight fall in the day's quarter.
    e2e = await startE2E({ now: '2026-11-18T12:00:00Z' });
  });
  after(async () => {
    await e2e?.close();
  });

  test('the manager opens the dashboard, changes the quarter and follows a safety task', async () => {
    await e2e.withUser(
      'manager@demo.test',
      async (p) => {
        const { page } = p;
        await p.visit('/worklist');
        await p.click(page.getByRole('navigation').getByRole('link', { name: 'Dashboard', exact: true }));
        assert.equal(p.path, '/service/dashboard');
        await assert.doesNotReject(
          page.getByRole('heading', { level: 1, name: 'Service dashboard' }).waitFor(),
        );

        // Charts are images named by their title, each followed by a table of the same figures.
        const chart = page.getByRole('img', { name: 'Open episodes by stage' });
        assert.equal(await chart.count(), 1);
        const table = page.getByRole('table', { name: 'Open episodes by stage' });
        const all = table
          .getByRole('row')
          .filter({ has: page.getByRole('rowheader', { name: 'All open episodes' }) });
        assert.equal((await all.getByRole('cell').allInnerTexts()).map((s) => s.trim())[0], '2');

        // Another quarter, through the GET form.
        const prev = previousQuarter(quarterOf(e2e.testApp.clock.today()));
        const label = quarterLabel(prev.financialYear, prev.quarter);
        await page.getByLabel('Quarter for waiting times and outcomes').selectOption(label);
        await p.submit(page.getByRole('button', { name: 'Show this quarter' }));
        assert.equal(new URL(page.url()).searchParams.get('period'), label);
        await assert.doesNotReject(
          page.getByRole('heading', { level: 2, name: `Four-week outcomes, ${label}` }).waitFor(),
        );
        assert.equal(await page.getByLabel('Quarter for waiting times and outcomes').inputValue(), label);

        // Print: navigation, forms and download links are hidden; the tables stay.
        await page.emulateMedia({ media: 'print' });
        assert.equal(await page.locator('.nhsuk-header__navigation').isVisible(), false);
        assert.equal(await page.locator('form.app-dashboard-form').isVisible(), false);
        assert.equal(
          await page
            .getByRole('link', { name: /\(CSV\)$/ })
            .first()
            .isVisible(),
          false,
        );
        assert.equal(await page.getByRole('table', { name: 'Open episodes by stage' }).isVisible(), true);
        const pdf = await page.pdf({ format: 'A4', printBackground: false });
        assert.ok(pdf.length > 10_000, 'the page prints to a PDF');
        await page.emulateMedia({ media: 'screen' });

        // Jo Brennan's safety task leads to her episode.
        const tasks = page.getByRole('table', { name: 'Open safety tasks, oldest first' });
        await p.click(tasks.getByRole('link', { name: 'Jo Brennan' }));
        assert.match(p.path, /^\/episodes\/[0-9a-f-]{36}$/);
        await assert.doesNotReject(page.getByRole('heading', { level: 1, name: /Jo Brennan/ }).waitFor());
      },
      { javaScriptEnabled: false },
    );
  });

  test('the manager generates the return and follows a figure to the episodes it counts', async () => {
    await e2e.withUser('manager@demo.test', async (p) => {
      const { page } = p;
      const now = quarterOf(e2e.testApp.clock.today());
      await p.visit(`/returns/E08000035/${now.financialYear}/${now.quarter}`);
      await p.submit(page.getByRole('button', { name: /^Generate/ }));
      const totals = page.getByRole('table', { name: 'Totals' });
      const setQuitDate = totals.locator('a[href*="measure=setQuitDate"]');
      const figure = (await setQuitDate.innerText()).replace(/\D+$/, '').trim();
      await p.click(setQuitDate);
      assert.match(p.path, /\/figures\?version=\d+&breakdown=total&category=all&measure=setQuitDate$/);
      assert.match(await page.locator('main').innerText(), new RegExp(`This figure is ${figure}\\.`));
      const people = page.getByRole('table').first().getByRole('link');
      assert.equal(await people.count(), Number(figure), 'one link for each episode it counts');
    });
  });
});
