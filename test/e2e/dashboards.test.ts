import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadDemoHistory } from '../../src/demo/demo-history.ts';
import { startE2E, type E2E } from './support.ts';

// The commissioner's and the national dashboards in Chromium, every page checked with axe by the
// support code: changing the quarter (a GET form, with JavaScript off too), choosing the trend's
// indicator, and sorting the national table by its column headings.

describe('dashboards in the browser', () => {
  let e2e: E2E;

  before(async () => {
    // Pinned mid-quarter: the demonstration referrals of the last fortnight fall in the day's quarter.
    e2e = await startE2E({ now: '2026-11-18T12:00:00Z' });
    await loadDemoHistory(e2e.testApp.db, e2e.testApp.clock.today());
  });

  after(async () => {
    await e2e?.close();
  });

  test('a commissioner opens their dashboard from the menu and changes the quarter, without JavaScript', async () => {
    await e2e.withUser(
      'commissioner@demo.test',
      async (p) => {
        const { page } = p;
        await p.visit('/area');
        await p.click(page.getByRole('link', { name: 'Dashboard', exact: true }));
        assert.equal(p.path, '/dashboard');
        assert.equal((await page.getByRole('heading', { level: 1 }).innerText()).trim(), 'Dashboard: Leeds');
        assert.equal(await page.getByRole('img', { name: /in Leeds, by quarter/ }).count(), 1);

        const options = await page.getByLabel('Quarter', { exact: true }).locator('option').allInnerTexts();
        assert.ok(options.length > 8);
        await page.getByLabel('Quarter', { exact: true }).selectOption({ index: 1 });
        await p.submit(page.getByRole('button', { name: 'Show this quarter' }));
        assert.match(p.path, /^\/dashboard\?indicator=cmhc_quit_dates&period=\d{4}-[1-4]$/);
        assert.match(
          await page.locator('.nhsuk-body-l').first().innerText(),
          new RegExp(options[1]!.replace(/[/()]/g, '.').slice(0, 10)),
        );

        await page.getByLabel('Indicator', { exact: true }).selectOption('cmhc_quit_rate');
        await p.submit(page.getByRole('button', { name: 'Show this indicator' }));
        assert.match(p.path, /indicator=cmhc_quit_rate/);
        assert.equal(
          await page
            .getByRole('table', { name: /Four-week quit rate: depression or anxiety in Leeds, by quarter/ })
            .count(),
          1,
        );
      },
      { javaScriptEnabled: false },
    );
  });

  test('a national analyst sorts the table of authorities and filters by region', async () => {
    await e2e.withUser('analyst@demo.test', async (p) => {
      const { page } = p;
      await p.visit('/national/dashboard');
      assert.equal((await page.getByRole('heading', { level: 1 }).innerText()).trim(), 'National dashboard');
      assert.equal(await page.locator('svg.app-map path').count(), 153);

      const table = page.getByRole('table', { name: /Local authorities in/ });
      const header = table.getByRole('columnheader', {
        name: 'People with depression or anxiety setting a quit date',
      });
      assert.equal(await header.getAttribute('aria-sort'), 'none');
      await p.click(header.getByRole('link'));
      assert.equal(
        await page
          .getByRole('table', { name: /Local authorities in/ })
          .getByRole('columnheader', { name: 'People with depression or anxiety setting a quit date' })
          .getAttribute('aria-sort'),
        'descending',
      );
      // Highest first: the column's numbers never rise down the table (no data comes last).
      const cells = await page
        .getByRole('table', { name: /Local authorities in/ })
        .locator('tbody tr td:nth-of-type(2)')
        .allInnerTexts();
      const numbers = cells.filter((c) => /^\d/.test(c.trim())).map((c) => Number(c.replace(/,/g, '')));
      assert.ok(numbers.length >= 6 && numbers[0]! > 0);
      for (let i = 1; i < numbers.length; i++) assert.ok(numbers[i]! <= numbers[i - 1]!, `row ${i}`);

      await page.getByLabel('Region shown in the table of authorities').selectOption({ label: 'North West' });
      await p.submit(page.getByRole('button', { name: 'Show', exact: true }));
      const names = await page
        .getByRole('table', { name: /Local authorities in/ })
        .locator('tbody tr th')
        .allInnerTexts();
      assert.ok(names.includes('Manchester') && !names.includes('Leeds'));
      assert.match(p.path, /sort=cmhc_quit_dates/);
    });
  });
});
