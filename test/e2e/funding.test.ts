import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startE2E, type E2E } from './support.ts';

// A commissioner records what the Leeds stop smoking service costs in Chromium: a mistyped amount first
// (the error summary, the typed values kept), then the right one, which shows in the costs page. A
// national analyst sets the assumptions the national estimate needs and reads it. Every page on the way
// is checked with axe by the support code.

let e2e: E2E;
before(async () => {
  e2e = await startE2E();
});
after(() => e2e?.close());

test('a commissioner records a service’s costs and sees cost per person supported', async () => {
  await e2e.withUser('commissioner@demo.test', async (p) => {
    await p.visit('/');
    await p.followMenu('Costs');
    assert.equal(p.path, '/funding');
    await p.click(p.page.getByRole('link', { name: 'Record the costs of Leeds Stop Smoking Service' }));
    assert.match(p.path, /^\/funding\/services\/[0-9a-f-]{36}\?year=\d{4}$/);

    await p.page.getByLabel('Contract value for the year').fill('120,00O');
    await p.page.getByLabel('Tariff per person quit at four weeks').fill('200');
    await p.submit(p.page.getByRole('button', { name: 'Save costs' }));
    const summary = p.page.locator('.nhsuk-error-summary');
    await summary.waitFor();
    assert.match((await summary.textContent()) ?? '', /Enter the contract value for the year in pounds/);
    assert.equal(await p.page.getByLabel('Contract value for the year').inputValue(), '120,00O');
    assert.equal(await p.page.getByLabel('Tariff per person quit at four weeks').inputValue(), '200');

    await p.page.getByLabel('Contract value for the year').fill('120,000');
    await p.submit(p.page.getByRole('button', { name: 'Save costs' }));
    assert.match(p.path, /^\/funding\?year=\d{4}$/);
    assert.match((await p.page.locator('.nhsuk-notification-banner').textContent()) ?? '', /have been saved/);
    const row = p.page.getByRole('row').filter({ hasText: 'Leeds Stop Smoking Service' });
    assert.match((await row.textContent()) ?? '', /Contract £120,000/);
    assert.match((await row.textContent()) ?? '', /£200 per quit/);
  });
});

test('a national analyst sets the estimate’s assumptions and reads the estimate', async () => {
  await e2e.withUser('analyst@demo.test', async (p) => {
    await p.visit('/funding');
    await p.click(
      p.page.getByRole('link', { name: 'estimate for support inside every Talking Therapies service' }),
    );
    assert.equal(p.path, '/funding/estimate');
    await p.page.getByLabel(/would set a quit date with support inside therapy/).fill('10');
    await p.page.getByLabel(/percentage quit at four weeks/).fill('50');
    await p.page.getByLabel('Cost per person supported').fill('250');
    await p.submit(p.page.getByRole('button', { name: 'Save the assumptions' }));
    assert.equal(p.path, '/funding/estimate');
    const estimate = (await p.page.locator('.nhsuk-summary-list').textContent())?.replace(/\s+/g, ' ') ?? '';
    assert.match(estimate, /People supported to set a quit date 47,866/);
    assert.match(estimate, /Cost per four-week quit £500/);
  });
});
