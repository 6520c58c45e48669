import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { DESKTOP, PHONE, startE2E, type E2E, type E2EPage } from './support.ts';

// The journey from the issue, through the browser: a referrer refers someone, the Leeds service
// contacts and accepts them, the referrer sees that, and Manchester never sees it. Every page on the
// way is checked with axe by the support code.

const SCREENSHOTS = { form: '/tmp/e2e-referral-form.png', adviser: '/tmp/e2e-adviser-referral.png' };

type Person = { givenName: string; familyName: string; postcode: string };

const group = (page: Page, legend: string) => page.getByRole('group', { name: legend });

/** Ask and Advise: the part of the form every submission fills in. */
async function fillAskAndAdvise(page: Page, accepts: 'Yes, refer them' | 'No, they do not want a referral') {
  await group(page, 'Does the person smoke?').getByLabel('Smokes now', { exact: true }).check();
  await group(page, 'Does the person vape?').getByLabel('Has never vaped', { exact: true }).check();
  await page.getByLabel('I gave this advice').check();
  await group(page, 'Does the person want to be referred').getByLabel(accepts, { exact: true }).check();
}

/** The whole referral form, as a referrer would fill it for someone who wants a referral. */
async function fillReferral(page: Page, person: Person) {
  await fillAskAndAdvise(page, 'Yes, refer them');
  await page.getByLabel('First name').fill(person.givenName);
  await page.getByLabel('Last name').fill(person.familyName);
  const dob = group(page, 'Date of birth');
  await dob.getByLabel('Day').fill('14');
  await dob.getByLabel('Month').fill('6');
  await dob.getByLabel('Year').fill('1985');
  await page.getByLabel('Postcode').fill(person.postcode);
  await page.getByRole('textbox', { name: /^Phone number/ }).fill('07700 900456');
  const contact = group(page, 'How would they like to be contacted?');
  await contact.getByLabel('Phone call').check();
  await contact.getByLabel('Text message').check();
  await group(page, 'When is best to contact them?').getByLabel('Mornings').check();
  await group(page, 'What do you know about their mental health?')
    .getByLabel('Depression and anxiety', { exact: true })
    .check();
  await group(page, 'Are they getting help from NHS Talking Therapies?')
    .getByLabel('Yes', { exact: true })
    .check();
  await group(page, 'Do they agree to the service telling you how their referral is going?')
    .getByLabel('Yes', { exact: true })
    .check();
}

/** The error summary's messages and where each links to. */
async function errorSummary(page: Page): Promise<{ text: string; href: string }[]> {
  const summary = page.locator('.nhsuk-error-summary');
  assert.equal(await summary.count(), 1, 'expected one error summary on the page');
  assert.match(
    await page.title(),
    /^Error: /,
    'the page title starts with "Error: " when the form has errors',
  );
  const links = await summary.getByRole('link').all();
  return Promise.all(
    links.map(async (a) => ({
      text: (await a.innerText()).trim(),
      href: (await a.getAttribute('href')) ?? '',
    })),
  );
}

/** Every error summary link goes to a field that is on the page. */
async function assertLinksToFields(page: Page, errors: { text: string; href: string }[]) {
  for (const { text, href } of errors) {
    assert.match(href, /^#[\w-]+$/, `"${text}" links to ${href}`);
    const field = page.locator(href);
    assert.equal(await field.count(), 1, `"${text}" links to ${href}, which is not on the page`);
    assert.match(
      await field.evaluate((el) => el.tagName),
      /^(INPUT|SELECT|TEXTAREA)$/,
      `"${text}" links to ${href}, which is not a form field`,
    );
  }
}

async function waitForFocus(page: Page, selector: string, what: string) {
  // Generous: it returns as soon as focus moves; a loaded machine can take seconds to run the page's script.
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (
      await page
        .locator(selector)
        .evaluate((el) => el === document.activeElement)
        .catch(() => false)
    )
      return;
    if (Date.now() > deadline) {
      const focused = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120) ?? 'nothing');
      assert.fail(`${what} should have focus; focus is on ${focused}`);
    }
    await page.waitForTimeout(50);
  }
}

const text = async (l: Locator) => (await l.innerText()).replace(/\s+/g, ' ').trim();

/** The table row that mentions a referral's reference, if there is one. */
const rowFor = (page: Page, reference: string) => page.getByRole('row').filter({ hasText: reference });

describe('referral journey in the browser', () => {
  let e2e: E2E;
  const person: Person = { givenName: 'Esme', familyName: 'Whitfield', postcode: 'LS6 1AN' };
  let referral: { id: string; reference: string } | undefined;

  before(async () => {
    e2e = await startE2E();
  });

  after(async () => {
    await e2e?.close();
  });

  const as = (email: string, steps: (p: E2EPage) => Promise<void>, opts?: { javaScriptEnabled?: boolean }) =>
    e2e.withUser(email, steps, opts);

  const needReferral = () => {
    assert.ok(referral, 'this step needs the referral sent in the first step');
    return referral;
  };

  test('a referrer sees errors, keeps what they typed, and sends a referral', async () => {
    await as('referrer@demo.test', async (p) => {
      const { page } = p;
      await p.followMenu('Refer someone');
      assert.equal(p.path, '/referrals/new');
      assert.equal(await text(page.getByRole('heading', { level: 1 })), 'Ask, advise and refer');
      assert.equal(await text(page.locator('.nhsuk-caption-l')), 'Leeds NHS Talking Therapies');
      await p.screenshot(SCREENSHOTS.form);

      // Advice and the referral question are revealed only for someone who smokes.
      assert.equal(await page.getByLabel('I gave this advice').isVisible(), false);
      await group(page, 'Does the person smoke?').getByLabel('Smokes now', { exact: true }).check();
      assert.equal(await page.getByLabel('I gave this advice').isVisible(), true);
      await group(page, 'Does the person smoke?').getByLabel('Has never smoked', { exact: true }).check();
      assert.equal(await page.getByLabel('I gave this advice').isVisible(), false);
      await p.visit('/referrals/new');

      // Sent empty: the NHS error summary, focused, linking to the fields that need an answer. Whether
      // advice and a referral are needed depends on the first answer, so those are asked once it is known.
      await p.submit(page.getByRole('button', { name: 'Send' }));
      let errors = await errorSummary(page);
      assert.deepEqual(
        errors.map((e) => e.text),
        ['Select whether the person smokes', 'Select whether the person vapes'],
      );
      await assertLinksToFields(page, errors);
      await waitForFocus(page, '.nhsuk-error-summary', 'the error summary');
      assert.equal(
        await text(page.locator('.nhsuk-error-summary').getByRole('heading')),
        'There is a problem',
      );
      // Following a link puts the person on the field it names.
      await page
        .locator('.nhsuk-error-summary')
        .getByRole('link', { name: 'Select whether the person smokes' })
        .click();
      await waitForFocus(page, '#smokingStatus', 'the first "Does the person smoke?" option');
      await assert.doesNotReject(p.settle());

      // Everything filled in but the postcode is not a real one: only that error, and nothing typed is lost.
      await fillReferral(page, { ...person, postcode: 'ZZ99 9ZZ' });
      await p.submit(page.getByRole('button', { name: 'Send' }));
      errors = await errorSummary(page);
      assert.deepEqual(errors, [{ text: 'Enter a real postcode, like LS1 4AP', href: '#postcode' }]);
      await assertLinksToFields(page, errors);
      assert.match(await text(page.locator('#postcode-error')), /Enter a real postcode, like LS1 4AP/);
      assert.equal(await page.getByLabel('Postcode').inputValue(), 'ZZ99 9ZZ');
      assert.equal(await page.getByLabel('First name').inputValue(), person.givenName);
      assert.equal(await page.getByLabel('Last name').inputValue(), person.familyName);
      assert.equal(await group(page, 'Date of birth').getByLabel('Year').inputValue(), '1985');
      assert.equal(await page.getByRole('textbox', { name: /^Phone number/ }).inputValue(), '07700 900456');
      assert.ok(
        await group(page, 'Does the person smoke?').getByLabel('Smokes now', { exact: true }).isChecked(),
      );
      assert.ok(await page.getByLabel('I gave this advice').isChecked());
      assert.ok(
        await group(page, 'How would they like to be contacted?').getByLabel('Text message').isChecked(),
      );
      assert.ok(await group(page, 'When is best to contact them?').getByLabel('Mornings').isChecked());
      assert.ok(
        await group(page, 'Do they agree to the service telling you how their referral is going?')
          .getByLabel('Yes', { exact: true })
          .isChecked(),
      );

      // A Leeds postcode: the referral goes to Leeds and the referrer gets a reference.
      await page.getByLabel('Postcode').fill(person.postcode);
      await p.submit(page.getByRole('button', { name: 'Send' }));
      const sent = /^\/referrals\/([0-9a-f-]{36})\/sent$/.exec(p.path);
      assert.ok(sent, `expected the confirmation page, got ${p.path}`);
      const panel = page.locator('.nhsuk-panel');
      assert.equal(await text(panel.getByRole('heading', { level: 1 })), 'Referral sent');
      const reference = /MOR-\d{6}/.exec(await text(panel))?.[0];
      assert.ok(reference, `no MOR- reference in the panel: ${await text(panel)}`);
      assert.match(
        await text(page.locator('main')),
        /We have sent the referral to Leeds Stop Smoking Service/,
      );
      referral = { id: sent[1]!, reference };
    });
  });

  test('a Leeds adviser finds the referral, records that they spoke to the person, and accepts it', async () => {
    const { id, reference } = needReferral();
    await as('adviser@demo.test', async (p) => {
      const { page } = p;
      assert.equal(p.path, '/worklist');
      const row = rowFor(page, reference);
      assert.equal(await row.count(), 1, `${reference} should be on the worklist`);
      await p.click(row.getByRole('link', { name: `${person.givenName} ${person.familyName}` }));
      assert.equal(p.path, `/worklist/${id}`);
      assert.equal(await text(page.locator('.nhsuk-caption-l')), reference);
      assert.equal(await text(page.locator('main .nhsuk-tag').first()), 'Received');
      await p.screenshot(SCREENSHOTS.adviser);

      await group(page, 'Record a contact attempt').getByLabel('Spoke to the person').check();
      await p.submit(page.getByRole('button', { name: 'Save contact attempt' }));
      assert.equal(p.path, `/worklist/${id}`);
      assert.equal(await text(page.locator('main .nhsuk-tag').first()), 'Contacted');
      assert.match(await text(page.locator('main')), /Contact attempt: Spoke to the person/);

      await p.submit(page.getByRole('button', { name: 'Accept referral' }));
      assert.equal(p.path, `/worklist/${id}`);
      assert.equal(await text(page.locator('main .nhsuk-tag').first()), 'Accepted');
      assert.equal(
        await page.getByRole('button', { name: 'Accept referral' }).count(),
        0,
        'an accepted referral cannot be accepted again',
      );
    });
  });

  test('the referrer sees that the referral was accepted', async () => {
    const { id, reference } = needReferral();
    await as('referrer@demo.test', async (p) => {
      const { page } = p;
      await p.followMenu('Your referrals');
      assert.equal(p.path, '/referrals');
      const row = rowFor(page, reference);
      assert.equal(await row.count(), 1, `${reference} should be in "Your referrals"`);
      const cells = await row.getByRole('cell').allInnerTexts();
      assert.equal(cells[1]?.trim(), `${person.givenName} ${person.familyName}`);
      assert.equal(cells[2]?.trim(), 'Leeds Stop Smoking Service');
      assert.match(await text(row.locator('.nhsuk-tag')), /^Accepted$/);

      // On a phone the row stacks, so its status is on the screen, not off to the right.
      await page.setViewportSize(PHONE);
      const status = await row.locator('.nhsuk-tag').boundingBox();
      assert.ok(status, 'the status is shown on a phone');
      assert.ok(
        status.x >= 0 && status.x + status.width <= PHONE.width,
        `the status is at ${status.x} to ${status.x + status.width} px on a ${PHONE.width} px screen`,
      );
      await page.setViewportSize(DESKTOP);

      await p.click(row.getByRole('link', { name: reference }));
      assert.equal(p.path, `/referrals/${id}`);
      assert.match(await text(page.locator('.app-status-list')), /Received.*Contacted.*Accepted/);

      // Codes to add to their clinical system, each with a copy button that works (issue 14).
      const codes = page.locator('[data-clinical-codes]');
      assert.match(await text(codes), /871661000000106/);
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
      await codes
        .getByRole('button', { name: 'Copy code 871661000000106, Referral to smoking cessation service' })
        .click();
      // The status is written once the clipboard has taken the code, which is asynchronous: wait for it.
      await codes.locator('[data-copy-status]', { hasText: /^Copied 871661000000106/ }).waitFor();
      assert.match(await text(codes.locator('[data-copy-status]')), /^Copied 871661000000106/);
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), '871661000000106');
    });
  });

  test('a Manchester adviser cannot see the Leeds referral', async () => {
    const { id, reference } = needReferral();
    await as('adviser.manchester@demo.test', async (p) => {
      const { page } = p;
      assert.equal(p.path, '/worklist');
      assert.equal(await rowFor(page, reference).count(), 0, `${reference} is on Manchester's worklist`);
      await p.click(page.getByRole('link', { name: 'All', exact: true }));
      assert.equal(p.path, '/worklist?status=all');
      // Manchester's own referrals are there, so the list is not simply empty.
      assert.ok(
        await page.getByRole('link', { name: 'Robin Ashworth' }).isVisible(),
        "Manchester's own referral is listed",
      );
      assert.equal(await rowFor(page, reference).count(), 0, `${reference} is on Manchester's "All" list`);
      assert.doesNotMatch(await text(page.locator('main')), new RegExp(person.familyName));

      const res = await p.visit(`/worklist/${id}`);
      assert.equal(res.status(), 404);
      assert.equal(await text(page.getByRole('heading', { level: 1 })), 'Page not found');
      assert.doesNotMatch(await page.content(), new RegExp(`${reference}|${person.familyName}`));
    });
  });

  test('a referrer records advice for someone who does not want a referral', async () => {
    await as('referrer.gp@demo.test', async (p) => {
      const { page } = p;
      assert.equal(p.path, '/referrals/new');
      await fillAskAndAdvise(page, 'No, they do not want a referral');
      await p.submit(page.getByRole('button', { name: 'Send' }));
      assert.match(p.path, /^\/referrals\/advice-recorded\/[0-9a-f-]{36}$/);
      assert.equal(
        await text(page.locator('.nhsuk-panel').getByRole('heading', { level: 1 })),
        'Advice recorded',
      );

      // They would like the details for later: a text to a landline is refused, then a mobile works.
      await p.click(page.getByRole('link', { name: 'Send them the details' }));
      await group(page, 'How would they like to get the details?').getByLabel('Text message').check();
      await page.getByLabel('Their mobile number').fill('0113 496 0000');
      await page.getByLabel('Their postcode (optional)').fill('LS6 1AN');
      await p.submit(page.getByRole('button', { name: 'Send the details' }));
      assert.match(
        await text(page.locator('.nhsuk-error-summary')),
        /Enter a UK mobile number that can get texts/,
      );
      assert.match(
        await text(page.locator('.nhsuk-error-summary')),
        /Confirm that they asked for the details/,
      );
      assert.equal(await page.getByLabel('Their postcode (optional)').inputValue(), 'LS6 1AN');
      await page.getByLabel('Their mobile number').fill('07700 900982');
      await page.getByLabel('They asked me to send them these details').check();
      await p.submit(page.getByRole('button', { name: 'Send the details' }));
      assert.match(p.path, /^\/referrals\/advice-recorded\/[0-9a-f-]{36}$/);
      assert.match(await text(page.locator('main')), /The details have been sent/);
      assert.match(await text(page.locator('main')), /Text message: sent/);
    });
  });

  test('a referrer asks to be emailed about the referrals they send', async () => {
    await as('referrer.gp@demo.test', async (p) => {
      const { page } = p;
      await p.visit('/account');
      const choice = group(
        page,
        'Email me when a referral I sent is accepted, declined or we cannot reach the person',
      );
      assert.equal(await choice.getByLabel('No').isChecked(), true, 'off until they ask');
      await choice.getByLabel('Yes').check();
      await p.submit(page.getByRole('button', { name: 'Save', exact: true }));
      assert.equal(p.path, '/account');
      assert.match(
        await text(page.locator('main')),
        /We will email you when something happens to a referral you sent/,
      );
      assert.equal(await choice.getByLabel('Yes').isChecked(), true);
    });
  });

  test('a referrer records that they asked someone who has never smoked, with nothing else to answer', async () => {
    await as('referrer.gp@demo.test', async (p) => {
      const { page } = p;
      assert.equal(p.path, '/referrals/new');
      await group(page, 'Does the person smoke?').getByLabel('Has never smoked', { exact: true }).check();
      await group(page, 'Does the person vape?').getByLabel('Has never vaped', { exact: true }).check();
      await p.submit(page.getByRole('button', { name: 'Send' }));
      assert.equal(p.path, '/referrals/asked-recorded?status=4');
      assert.equal(
        await text(page.locator('.nhsuk-panel').getByRole('heading', { level: 1 })),
        'Recorded that you asked',
      );
      assert.match(await text(page.locator('main')), /they have never smoked/);
    });
  });

  test('signing in and referring work without JavaScript', async () => {
    await as(
      'referrer.foodbank@demo.test',
      async (p) => {
        const { page } = p;
        assert.equal(p.path, '/referrals/new');
        assert.equal(
          await page.evaluate(() => document.body.classList.contains('js-enabled')),
          false,
          'scripts should not have run',
        );

        await p.submit(page.getByRole('button', { name: 'Send' }));
        const errors = await errorSummary(page);
        assert.ok(errors.length > 0);
        await assertLinksToFields(page, errors);

        await fillReferral(page, { givenName: 'Nadia', familyName: 'Okoro', postcode: 'LS7 3JB' });
        await p.submit(page.getByRole('button', { name: 'Send' }));
        assert.match(p.path, /^\/referrals\/[0-9a-f-]{36}\/sent$/);
        assert.match(await text(page.locator('.nhsuk-panel')), /Referral sent.*MOR-\d{6}/);
      },
      { javaScriptEnabled: false },
    );
  });

  test('the Sign out button in the header signs out, without JavaScript too', async () => {
    await as(
      'referrer@demo.test',
      async (p) => {
        await p.submit(p.page.getByRole('button', { name: 'Sign out' }));
        assert.equal(p.path, '/signed-out');
        await p.visit('/referrals');
        assert.match(p.path, /^\/sign-in\?returnTo=/, 'signed out, so the referrals page asks to sign in');
      },
      { javaScriptEnabled: false },
    );
  });

  test('the accessibility check fails a step on a page with violations', async () => {
    // Guards the guard: if axe stopped running or reporting, every test above would pass regardless.
    const p = await e2e.newPage();
    try {
      const broken =
        '<!doctype html><title>Broken</title><img src="x.png"><input id="q"><p style="color:#ccc">Faint</p>';
      await assert.rejects(p.visit(`data:text/html,${encodeURIComponent(broken)}`), (err: Error) => {
        for (const rule of ['html-has-lang', 'image-alt', 'label', 'color-contrast', 'region'])
          assert.match(err.message, new RegExp(`- ${rule} \\[`));
        assert.match(err.message, /at img/);
        return true;
      });
    } finally {
      await p.close();
    }
  });

  test('the width check fails a step on a page that scrolls sideways on a phone, and names what is too wide', async () => {
    // Guards the phone check: a table 600 px wide in a page that is otherwise fine.
    const p = await e2e.newPage();
    try {
      const wide =
        '<!doctype html><html lang="en"><title>Wide</title><main><h1>Wide</h1>' +
        '<table id="wide" style="width:600px"><caption>Figures</caption><tr><th scope="col">A</th></tr><tr><td>1</td></tr></table></main></html>';
      await assert.rejects(p.visit(`data:text/html,${encodeURIComponent(wide)}`), (err: Error) => {
        assert.match(err.message, new RegExp(`Sideways scrolling on data:.*, ${PHONE.width} px wide`));
        assert.match(err.message, /at table#wide \(\d+ px too wide\): "Figures/);
        assert.doesNotMatch(err.message, new RegExp(`${DESKTOP.width} px wide`), 'it fits a desktop');
        assert.doesNotMatch(err.message, /Accessibility violations/);
        return true;
      });
    } finally {
      await p.close();
    }
  });
});
