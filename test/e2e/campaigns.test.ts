import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { startE2E, type E2E } from './support.ts';

// A campaign's code travels from a poster's link to the results. A member of the public opens
// /self-referral?campaign=LEEDS-TT-2026 with JavaScript turned off, refers themself, and the Leeds
// commissioner sees the campaign's referral count go up by one. Every page is checked with axe by the
// support code, including the campaign pages and the form with a mistake in it.

const text = async (l: Locator) => (await l.innerText()).replace(/\s+/g, ' ').trim();
const group = (page: Page, legend: string | RegExp) => page.getByRole('group', { name: legend });

/** The Leeds row of the results by authority: its referrals, as shown (exact for Leeds's commissioner). */
async function leedsReferrals(page: Page): Promise<number> {
  const table = page.getByRole('table', { name: 'Results by local authority the referral went to' });
  const row = table
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: 'Leeds', exact: true }) });
  const cells = await row.getByRole('cell').allInnerTexts();
  // In the campaign's area, then the four measures: referrals first.
  return Number(cells[1]!.trim());
}

describe('a campaign in the browser: a self-referral through its link, then its results', () => {
  let e2e: E2E;
  let before0: number | undefined;
  let campaignPath: string | undefined;

  before(async () => {
    e2e = await startE2E();
  });
  after(async () => {
    await e2e?.close();
  });

  test('the Leeds commissioner finds the campaign and its results', async () => {
    await e2e.withUser('commissioner@demo.test', async (p) => {
      const { page } = p;
      await p.visit('/');
      await p.click(page.getByRole('link', { name: 'Campaigns', exact: true }));
      assert.equal(p.path, '/campaigns');
      await p.click(page.getByRole('link', { name: 'Quit with Talking Therapies' }));
      campaignPath = p.path;
      assert.match(campaignPath, /^\/campaigns\/[0-9a-f-]{36}$/);
      assert.match(await text(page.locator('main')), /\/self-referral\?campaign=LEEDS-TT-2026/);
      before0 = await leedsReferrals(page);
      assert.ok(before0 >= 1, 'the demonstration referrals are counted');
    });
  });

  test('the campaign form, with JavaScript, and sent empty, passes the accessibility checks', async () => {
    await e2e.withUser('analyst@demo.test', async (p) => {
      const { page } = p;
      await p.visit('/campaigns/new');
      await group(page, 'Where does the campaign run?').getByLabel('A whole region').check();
      await p.submit(page.getByRole('button', { name: 'Create campaign' }));
      assert.match(await text(page.locator('.nhsuk-error-summary')), /Enter a code/);
      assert.match(await text(page.locator('.nhsuk-error-summary')), /Select the region/);
    });
  });

  test('a person follows the campaign link without JavaScript, makes a mistake, and refers themself', async () => {
    const p = await e2e.newPage({ javaScriptEnabled: false });
    try {
      const { page } = p;
      await p.visit('/self-referral?campaign=leeds-tt-2026');
      assert.equal(await text(page.getByRole('heading', { level: 1 })), 'Ask for help to stop smoking');
      // The link's code is not a field the person sees or has to fill in.
      assert.equal(await page.getByLabel('Campaign code (if you have one)').inputValue(), '');

      await page.getByLabel('First name').fill('Tomasz');
      await page.getByLabel('Last name').fill('Nowak');
      const dob = group(page, 'Date of birth');
      await dob.getByLabel('Day').fill('2');
      await dob.getByLabel('Month').fill('11');
      await dob.getByLabel('Year').fill('1975');
      await page.getByLabel('Postcode').fill('LS7 3JB');
      await page.getByRole('textbox', { name: /^Phone number/ }).fill('07700 900777');
      await group(page, 'How would you like the service to contact you?').getByLabel('Phone call').check();
      await group(page, 'What would you like help with?').getByLabel('Stopping smoking').check();
      // Sent without agreeing: the form comes back with the error, and the campaign still travels with it.
      await p.submit(page.getByRole('button', { name: 'Send' }));
      assert.equal(p.path, '/self-referral');
      assert.match(await text(page.locator('.nhsuk-error-summary')), /Select "I agree"/);
      assert.equal(await page.getByLabel('First name').inputValue(), 'Tomasz');

      await group(page, 'Do you agree?').getByLabel('I agree').check();
      await p.submit(page.getByRole('button', { name: 'Send' }));
      const sent: string = p.path;
      assert.match(sent, /^\/self-referral\/sent\/MOR-\d{6}$/);
    } finally {
      await p.close();
    }
  });

  test('the commissioner sees the campaign’s referrals go up by one', async () => {
    assert.ok(campaignPath && before0 !== undefined, 'needs the first step');
    await e2e.withUser('commissioner@demo.test', async (p) => {
      await p.visit(campaignPath!);
      assert.equal(await leedsReferrals(p.page), before0! + 1);
    });
  });
});
