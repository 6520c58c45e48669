import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { startE2E, type E2E } from './support.ts';

// Two guards on what people send, in a real browser (the support code checks every page with axe):
// a form sent twice before the first answer came makes one record, without JavaScript; and text with a
// character that cannot be saved brings the person to a page that keeps what they typed, to check and
// send again.

const group = (page: Page, legend: string | RegExp) => page.getByRole('group', { name: legend });
const text = async (l: Locator) => (await l.innerText()).replace(/\s+/g, ' ').trim();

async function expectPosted(done: () => boolean) {
  // At least 10 s (it returns as soon as the post is seen): a loaded machine's browser can take seconds.
  for (let i = 0; i < 400 && !done(); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(done(), 'the first submission was sent');
}

/**
 * Waits for the page to reach `url`. Pressing Send again abandons the first, held navigation; when the
 * browser reports that abandonment while we wait (how soon depends on the machine's load), the wait is
 * taken up again for the second, which is the one that arrives.
 */
async function arriveAfterAbandoned(page: Page, url: RegExp) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await page.waitForURL(url, { waitUntil: 'load' });
    } catch (err) {
      if (attempt === 3 || !/ERR_ABORTED|frame was detached/.test(String(err))) throw err;
    }
  }
}

describe('what people send, in the browser', () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E();
  });
  after(async () => {
    await e2e?.close();
  });

  const referralsOf = (familyName: string) =>
    e2e.testApp.db
      .selectFrom('referrals')
      .select(['reference', 'notes'])
      .where('family_name', '=', familyName)
      .execute();

  test('a self-referral sent twice before the first answer came is made once, without JavaScript', async () => {
    const p = await e2e.newPage({ javaScriptEnabled: false });
    try {
      const { page } = p;
      await p.visit('/self-referral');
      await page.getByLabel('First name').fill('Twice');
      await page.getByLabel('Last name').fill('Doubleclick');
      const dob = group(page, 'Date of birth');
      await dob.getByLabel('Day').fill('3');
      await dob.getByLabel('Month').fill('3');
      await dob.getByLabel('Year').fill('1993');
      await page.getByLabel('Postcode').fill('LS6 1AN');
      await page.getByRole('textbox', { name: /^Phone number/ }).fill('07700 900765');
      await group(page, 'How would you like the service to contact you?').getByLabel('Phone call').check();
      await group(page, 'What would you like help with?').getByLabel('Stopping smoking').check();
      await group(page, /Do you have anxiety or depression/)
        .getByLabel('Yes, depression')
        .check();
      await group(page, /NHS Talking Therapies/)
        .getByLabel('No', { exact: true })
        .check();
      await group(page, 'Do you agree?').getByLabel('I agree').check();
      // The first submission reaches the server, but its answer is held back until the person, seeing
      // nothing happen, has pressed Send again.
      let pressedAgain = () => {};
      const again = new Promise<void>((resolve) => (pressedAgain = resolve));
      let firstPost = true;
      await page.route('**/self-referral', async (route) => {
        if (route.request().method() !== 'POST' || !firstPost) return route.continue();
        firstPost = false;
        const answer = await route.fetch({ maxRedirects: 0 });
        await again;
        await route.fulfill({ response: answer }).catch(() => undefined);
      });
      // The mouse, not a locator: a locator waits for the first page to finish loading before it clicks.
      const box = await page.getByRole('button', { name: 'Send' }).boundingBox();
      assert.ok(box);
      const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
      await page.mouse.click(x, y);
      await expectPosted(() => !firstPost);
      await page.mouse.click(x, y);
      await arriveAfterAbandoned(page, /\/self-referral\/sent\//);
      pressedAgain();
      await p.settle();

      assert.match(p.path, /^\/self-referral\/sent\/MOR-\d{6}$/);
      assert.equal(await text(page.getByRole('heading', { level: 1 })), 'Your request has been sent');
      const made = await referralsOf('Doubleclick');
      assert.equal(made.length, 1, 'one referral');
      assert.equal(p.path, `/self-referral/sent/${made[0]!.reference}`, 'its confirmation');
    } finally {
      await p.close();
    }
  });

  test('a hidden character that cannot be saved: everything is kept, checked and sent again', async () => {
    await e2e.withUser('referrer@demo.test', async (p) => {
      const { page } = p;
      await p.visit('/referrals/new');
      await group(page, 'Does the person smoke?').getByLabel('Smokes now', { exact: true }).check();
      await group(page, 'Does the person vape?').getByLabel('Has never vaped', { exact: true }).check();
      await page.getByLabel('I gave this advice').check();
      await group(page, 'Does the person want to be referred')
        .getByLabel('Yes, refer them', { exact: true })
        .check();
      await page.getByLabel('First name').fill('Hidden');
      await page.getByLabel('Last name').fill('Character');
      const dob = group(page, 'Date of birth');
      await dob.getByLabel('Day').fill('14');
      await dob.getByLabel('Month').fill('6');
      await dob.getByLabel('Year').fill('1985');
      await page.getByLabel('Postcode').fill('LS6 1AN');
      await page.getByRole('textbox', { name: /^Phone number/ }).fill('07700 900456');
      await group(page, 'How would they like to be contacted?').getByLabel('Phone call').check();
      await group(page, 'What do you know about their mental health?')
        .getByLabel('Depression and anxiety', { exact: true })
        .check();
      await group(page, 'Are they getting help from NHS Talking Therapies?')
        .getByLabel('Yes', { exact: true })
        .check();
      await group(page, 'Do they agree to the service telling you how their referral is going?')
        .getByLabel('Yes', { exact: true })
        .check();
      // As if pasted from another system that ends its text with a NUL.
      await page
        .getByLabel('Anything else the service should know (optional)')
        .fill('Prefers mornings\u0000');
      await p.submit(page.getByRole('button', { name: 'Send' }));

      assert.match(await page.title(), /^Error: Check what you entered/);
      const summary = page.locator('.nhsuk-error-summary');
      assert.match(await text(summary), /Notes had a character that cannot be saved/);
      assert.equal(await page.getByRole('textbox', { name: 'Notes' }).inputValue(), 'Prefers mornings');
      assert.deepEqual(await referralsOf('Character'), [], 'nothing saved yet');

      await p.submit(page.getByRole('button', { name: 'Send again' }));
      assert.match(p.path, /^\/referrals\/[0-9a-f-]{36}\/sent$/);
      const [saved] = await referralsOf('Character');
      assert.equal(saved?.notes, 'Prefers mornings');
    });
  });
});
