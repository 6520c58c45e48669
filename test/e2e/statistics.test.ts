import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { insertSubmittedReturns } from '../../src/modules/returns/publication.fixtures.ts';
import { nationalInput } from '../../src/modules/returns/national-input.fixtures.ts';
import { toCsv } from '../../src/modules/returns/csv-layout.ts';
import { sampleReturn } from '../../src/modules/returns/return-files.fixtures.ts';
import { startE2E, type E2E } from './support.ts';

// Publishing a quarter and reading it without signing in, in Chromium: axe (run by the support code on
// every page load) checks the analyst's page, the list of published quarters and the quarter's tables.

describe('published quarterly returns in the browser', () => {
  let e2e: E2E;

  before(async () => {
    e2e = await startE2E();
    await insertSubmittedReturns(
      e2e.testApp.db,
      nationalInput({ seed: 11, quitDates: 1500, submitted: 0.1, financialYear: 2025, quarter: 1 }),
    );
  });

  after(async () => {
    await e2e?.close();
  });

  test('a national analyst publishes a quarter, then anyone reads it without signing in or JavaScript', async () => {
    await e2e.withUser('analyst@demo.test', async (p) => {
      await p.visit('/national/returns/published?year=2025&quarter=1');
      await p.submit(p.page.getByRole('button', { name: 'Publish 2025/26 Q1' }));
      assert.match(await p.page.locator('.nhsuk-notification-banner').innerText(), /Published/);
    });

    const p = await e2e.newPage({ javaScriptEnabled: false });
    try {
      await p.visit('/');
      await p.click(p.page.getByRole('link', { name: 'Quarterly returns statistics' }));
      assert.equal(p.path, '/statistics/quarterly-returns');
      await p.click(p.page.getByRole('link', { name: '2025/26 Q1', exact: true }));
      assert.equal(p.path, '/statistics/quarterly-returns/2025/1');
      assert.equal((await p.page.getByRole('heading', { level: 1 }).innerText()).trim(), '2025/26 Q1');
      assert.equal(
        await p.page.getByRole('table', { name: 'England and regions, submitted returns' }).count(),
        1,
      );
      assert.ok(
        (await p.page.getByRole('cell', { name: '*', exact: true }).count()) > 0,
        'small counts hidden',
      );
    } finally {
      await p.close();
    }
  });

  test('a national analyst uploads the return of an authority outside Mortar, without JavaScript', async () => {
    const path = '/returns/E08000036/2025/2';
    const csv = toCsv(sampleReturn('E08000036'));
    await e2e.withUser(
      'analyst@demo.test',
      async (p) => {
        await p.visit(`${path}/import`);
        const bad = {
          name: 'wakefield.csv',
          mimeType: 'text/csv',
          buffer: Buffer.from(csv.replace(/,10\r\n/, ',ten\r\n')),
        };
        await p.page.setInputFiles('#file', bad);
        await p.submit(p.page.getByRole('button', { name: 'Upload and load the return' }));
        assert.match(
          await p.page.locator('.nhsuk-error-summary').innerText(),
          /Row 3, column value: "ten" is not a whole number/,
        );
        await p.page.setInputFiles('#file', { ...bad, buffer: Buffer.from(csv) });
        await p.submit(p.page.getByRole('button', { name: 'Upload and load the return' }));
        assert.equal(p.path, `${path}?done=imported`);
        assert.match(await p.page.locator('main').innerText(), /loaded as a new version/);
      },
      { javaScriptEnabled: false },
    );
  });
});
