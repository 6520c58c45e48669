import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { insertServiceNotOnMortar } from '../../src/demo/demo-off-mortar.ts';
import { startE2E, type E2E } from './support.ts';

// Britain's front door in a browser: from the public home page to the finder, where a Cardiff postcode
// is given Help Me Quit and a Sheffield one its own service (not on Mortar, so no "Refer yourself");
// then a referrer's form for a Glasgow postcode, which shows Quit Your Way Scotland instead of a
// refusal. Every page is checked with axe, on a desktop and a phone, by the support code.

const text = async (l: Locator) => (await l.innerText()).replace(/\s+/g, ' ').trim();
const group = (page: Page, legend: string) => page.getByRole('group', { name: legend });
const contactCard = (page: Page) => page.locator('#service-contact');

describe("Britain's services and the public front door", () => {
  let e2e: E2E;

  before(async () => {
    e2e = await startE2E();
    await insertServiceNotOnMortar(e2e.testApp.db, { code: 'E08000039', name: 'Sheffield' }, '2025-04-01');
  });

  after(async () => {
    await e2e?.close();
  });

  test('from the home page, the finder gives Cardiff Help Me Quit and Sheffield its own service', async () => {
    const p = await e2e.newPage();
    try {
      const { page } = p;
      await p.visit('/');
      await p.click(page.getByRole('link', { name: 'Find stop smoking support near you' }));
      assert.equal(p.path, '/find-support');

      await page.getByLabel('Enter your postcode').fill('CF10 1EP');
      await p.submit(page.getByRole('button', { name: 'Search' }));
      assert.match(
        await text(page.locator('main')),
        /You live in Wales\. Wales's free NHS stop smoking service is Help Me Quit/,
      );
      const wales = contactCard(page);
      assert.equal(await text(wales.getByRole('heading', { level: 2 })), 'Help Me Quit');
      assert.equal(
        await wales.getByRole('link', { name: '0800 085 2219' }).getAttribute('href'),
        'tel:08000852219',
      );
      assert.equal(
        await wales.getByRole('link', { name: 'www.helpmequit.wales' }).getAttribute('href'),
        'https://www.helpmequit.wales',
      );
      assert.equal(await page.getByRole('button', { name: 'Refer yourself' }).count(), 0);
      assert.doesNotMatch(await text(wales), /0300 123 1044/);

      await page.getByLabel('Postcode').fill('S1 2HE');
      await p.submit(page.getByRole('button', { name: 'Search' }));
      assert.match(
        await text(page.locator('main')),
        /Your local service is Sheffield Community Stop Smoking Service\. .*They do not take requests through this website/,
      );
      const sheffield = contactCard(page);
      assert.equal(
        await sheffield.getByRole('link', { name: '0114 496 0999' }).getAttribute('href'),
        'tel:01144960999',
      );
      assert.equal(await page.getByRole('button', { name: 'Refer yourself' }).count(), 0);
      // Its directory entry is listed too, marked as theirs; its own page offers no "Refer yourself" either.
      const card = page.getByRole('list', { name: 'Services, nearest first' }).locator(':scope > li').first();
      assert.match(await text(card), /^Your local service Sheffield Community Stop Smoking Service/);
      await p.click(
        card.getByRole('link', { name: 'Sheffield Community Stop Smoking Service', exact: true }),
      );
      assert.equal(await page.getByRole('button', { name: 'Refer yourself' }).count(), 0);
      assert.match(await text(page.locator('main')), /does not take requests through this website/);
    } finally {
      await p.close();
    }
  });

  test('a Northern Ireland postcode in the finder is told where help is', async () => {
    const p = await e2e.newPage({ javaScriptEnabled: false });
    try {
      const { page } = p;
      await p.visit('/find-support');
      await page.getByLabel('Enter your postcode').fill('BT1 1AA');
      await p.submit(page.getByRole('button', { name: 'Search' }));
      assert.match(
        await text(page.locator('#outside-britain')),
        /BT1 1AA is in Northern Ireland\. This service covers England, Scotland and Wales/,
      );
      assert.equal(await page.locator('.nhsuk-error-summary').count(), 0);
    } finally {
      await p.close();
    }
  });

  test('the staff referral form for a Glasgow postcode shows Quit Your Way Scotland, and records the advice', async () => {
    await e2e.withUser('referrer@demo.test', async (p) => {
      const { page } = p;
      assert.equal(p.path, '/referrals/new');
      await group(page, 'Does the person smoke?').getByLabel('Smokes now', { exact: true }).check();
      await group(page, 'Does the person vape?').getByLabel('Has never vaped', { exact: true }).check();
      await page.getByLabel('I gave this advice').check();
      await group(page, 'Does the person want to be referred')
        .getByLabel('Yes, refer them', { exact: true })
        .check();
      await page.getByLabel('First name').fill('Morag');
      await page.getByLabel('Postcode').fill('G2 1DU');
      await p.submit(page.getByRole('button', { name: 'Send' }));

      assert.match(p.path, /^\/referrals\/signposted\/[0-9a-f-]{36}$/);
      assert.equal(
        await text(page.locator('.nhsuk-panel').getByRole('heading', { level: 1 })),
        'Advice recorded',
      );
      const scotland = contactCard(page);
      assert.equal(await text(scotland.getByRole('heading', { level: 3 })), 'Quit Your Way Scotland');
      assert.equal(
        await scotland.getByRole('link', { name: '0800 84 84 84' }).getAttribute('href'),
        'tel:0800848484',
      );
      assert.match(await text(page.locator('main')), /Nothing that identifies the person has been kept/);
      assert.doesNotMatch(await text(page.locator('main')), /Morag/);
    });
  });
});
