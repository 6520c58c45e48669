import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { startE2E, type E2E, type E2EPage } from './support.ts';

// The public service finder in a browser: on a 320 px phone with JavaScript turned off, and on a desktop
// with it on; then a service manager keeping their entry up to date. Every page on the way is checked
// with axe by the support code.

const SCREENSHOTS = { phone: '/tmp/e2e-finder-320.png', service: '/tmp/e2e-finder-service-320.png' };

const text = async (l: Locator) => (await l.innerText()).replace(/\s+/g, ' ').trim();
const cards = (page: Page) =>
  page.getByRole('list', { name: 'Services, nearest first' }).locator(':scope > li');

/** Nothing wider than the screen: no sideways scrolling. */
async function assertFitsWidth(page: Page, width: number) {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= width, `the page is ${scrollWidth} px wide on a ${width} px screen`);
}

describe('the public service finder in the browser', () => {
  let e2e: E2E;

  before(async () => {
    e2e = await startE2E();
  });

  after(async () => {
    await e2e?.close();
  });

  test('on a 320 px phone with JavaScript off: a mistake, then Leeds services near a Leeds postcode, then refer yourself', async () => {
    const p = await e2e.newPage({ javaScriptEnabled: false });
    try {
      const { page } = p;
      await page.setViewportSize({ width: 320, height: 640 });
      await p.visit('/find-support');
      assert.equal(await text(page.getByRole('heading', { level: 1 })), 'Find help to stop smoking near you');
      await assertFitsWidth(page, 320);

      // Not a postcode: the NHS error summary, and what was typed is still there.
      await page.getByLabel('Enter your postcode').fill('Leeds');
      await p.submit(page.getByRole('button', { name: 'Search' }));
      const summary = page.locator('.nhsuk-error-summary');
      assert.equal(await summary.count(), 1);
      assert.match(await page.title(), /^Error: /);
      const link = summary.getByRole('link');
      assert.equal(
        await text(link),
        'Enter a real postcode, like LS1 4AP, or the first part of one, like LS1',
      );
      assert.equal(await link.getAttribute('href'), '#postcode');
      assert.equal(await page.getByLabel('Enter your postcode').inputValue(), 'Leeds');
      await assertFitsWidth(page, 320);

      // A Leeds postcode typed any old way.
      await page.getByLabel('Enter your postcode').fill(' ls61an ');
      await p.submit(page.getByRole('button', { name: 'Search' }));
      assert.equal(p.path, '/find-support/results?postcode=+ls61an+');
      assert.equal(await text(page.getByRole('heading', { level: 1 })), 'Stop smoking services near LS6 1AN');
      const first = cards(page).first();
      assert.equal(await cards(page).count(), 1);
      assert.match(
        await text(first),
        /^Your local service Leeds Stop Smoking Service \d+(\.\d)? miles? away/,
      );
      assert.match(await text(first), /Yes, you can get a free vape starter kit \(Swap to Stop\)/);
      assert.match(await text(first), /Yes, they give extra help if you have anxiety or depression/);
      const refer = page.getByRole('button', { name: 'Refer yourself' });
      assert.equal(await refer.getAttribute('href'), '/self-referral?postcode=LS6%201AN');
      await assertFitsWidth(page, 320);
      await p.screenshot(SCREENSHOTS.phone);
      assert.deepEqual(await p.context.cookies(), [], 'the finder sets no cookies');

      // The service's own page, then on to refer yourself with the postcode carried over.
      await p.click(first.getByRole('link', { name: 'Leeds Stop Smoking Service', exact: true }));
      assert.equal(await text(page.getByRole('heading', { level: 1 })), 'Leeds Stop Smoking Service');
      assert.match(await text(page.locator('main')), /Leeds city centre clinic/);
      await assertFitsWidth(page, 320);
      await p.screenshot(SCREENSHOTS.service);
      await p.click(page.getByRole('button', { name: 'Refer yourself' }));
      assert.equal(p.path, '/self-referral?postcode=LS6%201AN');
    } finally {
      await p.close();
    }
  });

  test('on a desktop with JavaScript on: a partial postcode, and the error summary takes focus', async () => {
    const p = await e2e.newPage();
    try {
      const { page } = p;
      await p.visit('/find-support');
      await p.submit(page.getByRole('button', { name: 'Search' }));
      assert.equal(await text(page.locator('.nhsuk-error-summary').getByRole('link')), 'Enter your postcode');
      await page.waitForFunction(
        () => document.activeElement?.classList.contains('nhsuk-error-summary'),
        undefined,
        // It returns once focus moves; 2 s was too little for a loaded machine to run the page's script.
        { timeout: 10_000 },
      );

      await page.getByLabel('Enter your postcode').fill('HD1');
      await p.submit(page.getByRole('button', { name: 'Search' }));
      const names = await cards(page).getByRole('heading', { level: 2 }).allInnerTexts();
      assert.deepEqual(
        names,
        ['Leeds Stop Smoking Service', 'Manchester Stop Smoking Service'],
        'nearest first',
      );
      assert.equal(
        await page.getByText('Your local service', { exact: true }).count(),
        0,
        'Huddersfield is neither service’s area',
      );

      // Search again from the results page.
      await page.getByLabel('Postcode').fill('M14 5TQ');
      await p.submit(page.getByRole('button', { name: 'Search' }));
      assert.equal(await text(page.getByRole('heading', { level: 1 })), 'Stop smoking services near M14 5TQ');
      assert.match(await text(cards(page).first()), /^Your local service Manchester Stop Smoking Service/);
    } finally {
      await p.close();
    }
  });

  test('a service manager updates their entry and adds a place, and the finder shows it', async () => {
    await e2e.withUser('manager@demo.test', async (p: E2EPage) => {
      const { page } = p;
      await p.followMenu('Service directory');
      assert.equal(p.path, '/directory/services');
      await p.click(page.getByRole('link', { name: 'Leeds Stop Smoking Service' }));
      assert.equal(await text(page.getByRole('heading', { level: 1 })), 'Directory entry');

      await page.getByLabel('Description').fill('');
      await page.getByLabel('Opening times').fill('Monday to Saturday, 8am to 8pm');
      await p.submit(page.getByRole('button', { name: 'Save entry' }));
      assert.deepEqual(await page.locator('.nhsuk-error-summary').getByRole('link').allInnerTexts(), [
        'Enter a description of the service',
      ]);
      assert.equal(await page.getByLabel('Opening times').inputValue(), 'Monday to Saturday, 8am to 8pm');
      await page.getByLabel('Description').fill('Free help to stop smoking, for everyone in Leeds.');
      await p.submit(page.getByRole('button', { name: 'Save entry' }));
      assert.match(
        await text(page.locator('.nhsuk-notification-banner')),
        /has been saved and is shown to the public/,
      );

      await p.click(page.getByRole('link', { name: 'Add a place' }));
      await page.getByLabel('Name of the place').fill('Chapeltown health centre');
      await page.getByLabel('Address').fill('Spencer Place\nLeeds');
      await page.getByLabel('Postcode').fill('LS7 4BB');
      await p.submit(page.getByRole('button', { name: 'Save place' }));
      assert.match(
        await text(page.locator('.nhsuk-notification-banner')),
        /Chapeltown health centre has been added/,
      );
      assert.equal(await page.getByRole('row').filter({ hasText: 'Chapeltown health centre' }).count(), 1);
    });

    const p = await e2e.newPage({ javaScriptEnabled: false });
    try {
      await p.visit('/find-support/results?postcode=LS7%204BB');
      const first = cards(p.page).first();
      assert.match(await text(first), /Chapeltown health centre/);
      assert.match(await text(first), /Monday to Saturday, 8am to 8pm/);
    } finally {
      await p.close();
    }
  });
});
