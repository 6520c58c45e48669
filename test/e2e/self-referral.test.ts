import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { startE2E, type E2E, type E2EPage } from './support.ts';

// A person refers themself on a small phone with JavaScript turned off: from the home page, through the
// page about mental health, a form sent with mistakes and then right, to the confirmation. Then the
// Leeds adviser finds the self-referral on the worklist. Every page on the way is checked with axe by
// the support code.

const SCREENSHOTS = { form: '/tmp/e2e-self-referral-form.png', sent: '/tmp/e2e-self-referral-sent.png' };
const PHONE = { width: 320, height: 720 };

const group = (page: Page, legend: string | RegExp) => page.getByRole('group', { name: legend });
const text = async (l: Locator) => (await l.innerText()).replace(/\s+/g, ' ').trim();

/** Nothing wider than the screen: a 320 px phone never scrolls sideways. */
async function assertFitsWidth(p: E2EPage) {
  const { scrollWidth, clientWidth } = await p.page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  assert.ok(scrollWidth <= clientWidth, `${p.path} is ${scrollWidth}px wide on a ${clientWidth}px screen`);
}

describe('self-referral in the browser, without JavaScript, on a 320 px screen', () => {
  let e2e: E2E;
  let reference: string | undefined;

  before(async () => {
    e2e = await startE2E();
  });
  after(async () => {
    await e2e?.close();
  });

  test('a person with a Leeds postcode refers themself and sees what happens next', async () => {
    const p = await e2e.newPage({ javaScriptEnabled: false });
    try {
      const { page } = p;
      await page.setViewportSize(PHONE);
      await p.visit('/');
      await assertFitsWidth(p);

      await p.click(page.getByRole('link', { name: 'stopping smoking and your mental health' }));
      assert.equal(p.path, '/stopping-smoking-and-your-mental-health');
      for (const q of [
        'Will stopping make my anxiety worse?',
        'Can I keep my therapist?',
        'Are vapes safe?',
        'What support is there?',
      ]) {
        assert.equal(await page.getByRole('heading', { name: q, level: 2 }).count(), 1, q);
      }
      await assertFitsWidth(p);
      await p.click(page.getByRole('link', { name: 'Ask your local stop smoking service to contact you' }));
      assert.equal(p.path, '/self-referral');
      assert.equal(await text(page.getByRole('heading', { level: 1 })), 'Ask for help to stop smoking');
      await assertFitsWidth(p);
      // The honeypot is neither seen nor heard: no field of that name is in the accessibility tree.
      assert.equal(await page.getByRole('textbox', { name: 'Leave this blank' }).count(), 0);

      // Sent with only a name: the error summary lists the rest, and the name is kept.
      await page.getByLabel('First name').fill('Rowan');
      await p.submit(page.getByRole('button', { name: 'Send' }));
      assert.equal(p.path, '/self-referral');
      assert.match(await page.title(), /^Error: /);
      const summary = page.locator('.nhsuk-error-summary');
      assert.match(await text(summary), /Enter your last name/);
      assert.match(await text(summary), /Select what you would like help with/);
      assert.equal(await page.getByLabel('First name').inputValue(), 'Rowan');

      await page.getByLabel('Last name').fill('Ashby');
      const dob = group(page, 'Date of birth');
      await dob.getByLabel('Day').fill('21');
      await dob.getByLabel('Month').fill('7');
      await dob.getByLabel('Year').fill('1990');
      await page.getByLabel('Postcode').fill('ls6 1an');
      await page.getByRole('textbox', { name: /^Phone number/ }).fill('07700 900654');
      await group(page, 'How would you like the service to contact you?').getByLabel('Text message').check();
      await group(page, 'When is best to contact you?').getByLabel('Evenings').check();
      await group(page, 'What would you like help with?').getByLabel('Stopping smoking').check();
      await group(page, /Do you have anxiety or depression/)
        .getByLabel('Yes, anxiety')
        .check();
      await group(page, /NHS Talking Therapies/)
        .getByLabel('Yes', { exact: true })
        .check();
      await group(page, 'Do you agree?').getByLabel('I agree').check();
      await p.screenshot(SCREENSHOTS.form);
      await p.submit(page.getByRole('button', { name: 'Send' }));

      // Read again: the earlier assert.equal narrowed p.path's type to the form's path.
      const sentPath: string = (p as E2EPage).path;
      assert.match(sentPath, /^\/self-referral\/sent\/MOR-\d{6}$/, 'the address holds the reference only');
      reference = sentPath.split('/').pop();
      assert.equal(await text(page.getByRole('heading', { level: 1 })), 'Your request has been sent');
      const body = await text(page.locator('main'));
      assert.ok(body.includes(reference!), 'the reference is shown');
      assert.match(
        body,
        /Leeds Stop Smoking Service will contact you within 3 working days, by text message, in the evening\./,
      );
      assert.match(body, /0300 123 1044/);
      assert.match(body, /NHS 111 and choose option 2/);
      for (const personal of ['Rowan', 'Ashby', '07700', 'LS6'])
        assert.ok(!body.includes(personal), `no ${personal} on the confirmation`);
      await assertFitsWidth(p);
      await p.screenshot(SCREENSHOTS.sent);
    } finally {
      await p.close();
    }
  });

  test('the Leeds adviser sees the self-referral on the worklist', async () => {
    assert.ok(reference, 'this step needs the self-referral from the first step');
    await e2e.withUser('adviser@demo.test', async (p) => {
      const { page } = p;
      await p.visit('/worklist');
      const row = page.getByRole('row').filter({ hasText: reference! });
      assert.equal(await row.count(), 1, 'the self-referral is on the worklist');
      assert.match(await text(row), /Rowan Ashby/);
      assert.match(await text(row), /Self-referral/);
      assert.match(await text(row), /Anxiety/);
      await p.click(row.getByRole('link', { name: 'Rowan Ashby' }));
      const detail = await text(page.locator('main'));
      assert.match(detail, /They referred themself and would like help with stopping smoking/);
      assert.match(detail, /They told us they have anxiety/);
    });
  });
});
