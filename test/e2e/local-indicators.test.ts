import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { loadDemoHistory } from '../../src/demo/demo-history.ts';
import { startE2E, type E2E } from './support.ts';

// Local indicators in Chromium, every page checked with axe by the support code: a commissioner adds one
// (first with a pair that is not a share of people, which the error summary explains), sees it on the
// dashboard with its counts beside the national ones, and downloads it as CSV.

describe('local indicators in the browser', () => {
  let e2e: E2E;

  before(async () => {
    e2e = await startE2E({ now: '2026-11-18T12:00:00Z' });
    await loadDemoHistory(e2e.testApp.db, e2e.testApp.clock.today());
  });

  after(async () => {
    await e2e?.close();
  });

  test('a commissioner adds a local indicator, sees it on the dashboard with its counts and downloads the CSV', async () => {
    await e2e.withUser('commissioner@demo.test', async (p) => {
      const { page } = p;
      await p.visit('/dashboard');
      await p.click(page.getByRole('link', { name: 'See, add or change your local indicators' }));
      assert.equal(p.path, '/local-indicators');
      await p.click(page.getByRole('button', { name: 'Add a local indicator' }));

      await page.getByLabel('Name', { exact: true }).fill('CO-verified quits: depression or anxiety');
      await page
        .getByLabel('Definition', { exact: true })
        .fill('Of people with depression or anxiety who quit, the share confirmed by carbon monoxide.');
      await page.getByLabel('Numerator: what to count').selectOption('co_verified_cmhc');
      await page.getByLabel('Denominator: what to count it out of').selectOption('referrals');
      await page.getByLabel('Target (optional)').fill('60');
      await p.submit(page.getByRole('button', { name: 'Add the indicator' }));
      const summary = page.locator('.nhsuk-error-summary');
      assert.match(await summary.innerText(), /not the same people/);
      // The summary's link takes you to the field, and what was typed is kept.
      await summary.getByRole('link').click();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'denominator');
      assert.equal(await page.getByLabel('Target (optional)').inputValue(), '60');

      await page.getByLabel('Denominator: what to count it out of').selectOption('quits_cmhc');
      await p.submit(page.getByRole('button', { name: 'Add the indicator' }));
      assert.match(await page.locator('main').innerText(), /The indicator has been added/);
      assert.match(await page.locator('main').innerText(), /Added the indicator/);

      await p.visit('/dashboard');
      const local = page.getByRole('table', { name: /Local indicators against their targets/ });
      const row = local.getByRole('row', { name: /CO-verified quits: depression or anxiety/ });
      // The rate (or "No data") with the counts behind it: "n of m".
      assert.match(await row.innerText(), /(\d+(\.\d)?%|No data)\s+\d+ of \d+/);
      const progress = page.getByRole('table', { name: /Each indicator against the target/ });
      assert.match(
        await progress.getByRole('row', { name: /Four-week quit rate: depression or anxiety/ }).innerText(),
        /\d+ of \d+/,
      );

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download local indicators (CSV)' }).click(),
      ]);
      const csv = await readFile((await download.path())!, 'utf8');
      const [header, ...lines] = csv.trim().split('\r\n');
      assert.match(header!, /^Local indicator,Definition,Numerator,Denominator,.* numerator,.* denominator,/);
      // The one just added, beside the demonstration's own local indicator.
      assert.ok(
        lines.some((l) => l.startsWith('CO-verified quits: depression or anxiety,')),
        lines.join('\n'),
      );
    });
  });
});
