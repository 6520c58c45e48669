import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startE2E, type E2E } from './support.ts';

// A commissioner changes a target of their local strategy in Chromium, with scripts on and off: a bad
// value first (the error summary links to the cell and keeps what was typed), then the right one, which
// shows on the strategy and in its history. A national analyst reads the list and the indicators. Every
// page on the way is checked with axe by the support code.

let e2e: E2E;
before(async () => {
  e2e = await startE2E();
});
after(() => e2e?.close());

// Each run changes a quarter of its own, so the runs do not depend on each other's changes. The demo's
// targets for 2026/27: Talking Therapies referrals 110, 125, 140, 155; quit rate 49%, 50%, 51%, 52%.
const RUNS = [
  { javaScriptEnabled: true, quarter: 3, was: '140', good: '150', rateWas: '51%', rate: '51.5' },
  { javaScriptEnabled: false, quarter: 4, was: '155', good: '160', rateWas: '52%', rate: '52.5' },
];

for (const { javaScriptEnabled, quarter, was, good, rateWas, rate } of RUNS) {
  test(`a commissioner corrects a bad target and sees it saved and in the history (scripts ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
    const CELL = `Referrals from NHS Talking Therapies, 2026/27 Q${quarter}`;
    const RATE = `Four-week quit rate: depression or anxiety, 2026/27 Q${quarter}`;
    await e2e.withUser(
      'commissioner@demo.test',
      async (p) => {
        await p.visit('/');
        await p.click(p.page.getByRole('link', { name: 'Strategy', exact: true }));
        assert.equal(p.path, '/strategy');
        await p.click(p.page.getByRole('link', { name: 'Leeds smokefree minds 2025 to 2027' }));
        assert.match(p.path, /^\/strategy\/[0-9a-f-]{36}$/);
        const strategyPath = p.path;
        await p.click(p.page.getByRole('link', { name: 'Change the targets' }));

        const cell = p.page.getByLabel(CELL);
        await cell.fill(`about ${good}`);
        await p.page.getByLabel(RATE).fill(rate);
        await p.submit(p.page.getByRole('button', { name: 'Save targets' }));

        const summary = p.page.locator('.nhsuk-error-summary');
        await summary.waitFor();
        const message = `Enter the target for Referrals from NHS Talking Therapies in 2026/27 Q${quarter} as a whole number, like 120`;
        assert.match((await summary.textContent()) ?? '', new RegExp(message));
        assert.equal(await p.page.getByLabel(CELL).inputValue(), `about ${good}`, 'the typed value is kept');
        assert.equal(await p.page.getByLabel(RATE).inputValue(), rate);
        assert.match(await p.page.title(), /^Error: /);
        if (javaScriptEnabled) await p.screenshot('/tmp/e2e-strategy-targets-error.png');
        const link = summary.getByRole('link', { name: message });
        assert.equal(await link.getAttribute('href'), `#t-tt_referrals-2026-${quarter}`);
        if (javaScriptEnabled) {
          await link.click();
          assert.equal(
            await p.page.evaluate(() => document.activeElement?.id),
            `t-tt_referrals-2026-${quarter}`,
            'the link takes you to the cell',
          );
        }

        await p.page.getByLabel(CELL).fill(good);
        await p.submit(p.page.getByRole('button', { name: 'Save targets' }));
        assert.equal(p.path, strategyPath);
        const banner = p.page.locator('.nhsuk-notification-banner');
        assert.match((await banner.textContent()) ?? '', /The targets have been saved: changed/);
        const year = p.page.getByRole('table', { name: 'Targets for 2026/27' });
        const row = year.getByRole('row', { name: /Referrals from NHS Talking Therapies/ });
        assert.equal(
          (
            (await row
              .getByRole('cell')
              .nth(quarter - 1)
              .textContent()) ?? ''
          ).trim(),
          good,
        );
        assert.equal(
          ((await row.getByRole('cell').nth(0).textContent()) ?? '').trim(),
          '110',
          'the other quarters are as they were',
        );

        if (javaScriptEnabled) await p.screenshot('/tmp/e2e-strategy.png');
        await p.click(p.page.getByRole('link', { name: 'See every change to this strategy' }));
        if (javaScriptEnabled) await p.screenshot('/tmp/e2e-strategy-history.png');
        const latest = p.page.getByRole('table').first();
        const text = ((await latest.textContent()) ?? '').replace(/\s+/g, ' ');
        assert.match(text, /Changed 2 targets/);
        assert.match(text, /Chris Owen/);
        assert.ok(text.includes(`${CELL} ${was} ${good}`), text);
        assert.ok(text.includes(`${RATE} ${rateWas} ${rate}%`), text);
      },
      { javaScriptEnabled },
    );
  });
}

test('a national analyst reads every authority’s strategy, filters by region, and follows an indicator to its definition', async () => {
  await e2e.withUser('analyst@demo.test', async (p) => {
    await p.visit('/');
    await p.click(p.page.getByRole('link', { name: 'Strategies', exact: true }));
    await p.page.getByLabel('Region').selectOption({ label: 'North West' });
    await p.page.getByLabel('Show').selectOption({ label: 'With a strategy in force' });
    await p.submit(p.page.getByRole('button', { name: 'Filter' }));
    const rows = p.page.getByRole('table').getByRole('row');
    assert.equal(await rows.count(), 2, 'the header and Manchester');
    await p.click(p.page.getByRole('link', { name: 'Manchester: stopping smoking, better mental health' }));
    assert.equal(await p.page.getByRole('link', { name: 'Change the targets' }).count(), 0, 'read-only');
    await p.click(p.page.getByRole('link', { name: 'Carbon monoxide verification rate' }).first());
    assert.equal(p.path, '/indicators');
    assert.match(
      (await p.page.locator('#co_verification_rate').textContent()) ?? '',
      /Carbon monoxide verification rate/,
    );
  });
});
