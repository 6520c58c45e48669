import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { LogNotifier } from '../../src/platform/notify.ts';
import { signIn, startE2E, type E2E } from './support.ts';

// Changing a password when signed in, and resetting a forgotten one by the emailed link, in a browser.
// Every page on the way is checked with axe by the support code.

const outbox = new LogNotifier({ info: () => undefined, warn: () => undefined });

const text = async (page: Page, selector: string) =>
  (await page.locator(selector).innerText()).replace(/\s+/g, ' ').trim();

/** The error summary's links as [text, href], after checking the page title says there is an error. */
async function errorSummary(page: Page): Promise<[string, string][]> {
  assert.match(await page.title(), /^Error: /);
  const links = await page.locator('.nhsuk-error-summary').getByRole('link').all();
  return Promise.all(
    links.map(
      async (l) => [(await l.innerText()).trim(), (await l.getAttribute('href')) ?? ''] as [string, string],
    ),
  );
}

describe('passwords in the browser', () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E({ notifier: outbox });
  });
  after(async () => {
    await e2e?.close();
  });

  test('a member of staff changes their password from their account, signs out and signs in with it', async () => {
    const NEW = 'correct horse battery staple';
    const p = await e2e.as('referrer.foodbank@demo.test');
    try {
      const { page } = p;
      await p.click(page.getByRole('link', { name: 'Fran Okafor' }));
      assert.equal(p.path, '/account');
      await p.click(page.getByRole('link', { name: 'Change your password' }));
      assert.equal(await text(page, 'h1'), 'Change your password');

      await page.getByLabel('Current password').fill('not my password');
      await page.getByLabel('New password', { exact: true }).fill(NEW);
      await page.getByLabel('Enter the new password again').fill(NEW);
      await p.submit(page.getByRole('button', { name: 'Change password' }));
      assert.deepEqual(await errorSummary(page), [
        ['Your current password is not right', '#currentPassword'],
      ]);
      assert.equal(
        await page.getByLabel('New password', { exact: true }).inputValue(),
        '',
        'passwords are not kept',
      );

      await page.getByLabel('Current password').fill('demo-password-123');
      await page.getByLabel('New password', { exact: true }).fill(NEW);
      await page.getByLabel('Enter the new password again').fill(NEW);
      await p.submit(page.getByRole('button', { name: 'Change password' }));
      assert.equal(p.path, '/account');
      assert.match(await text(page, '.nhsuk-notification-banner'), /Your password has been changed/);

      // The header's Sign out button carries its token in the form, not in the address.
      await p.click(page.getByRole('button', { name: 'Sign out' }));
      assert.equal(p.path, '/signed-out');
      await signIn(p, 'referrer.foodbank@demo.test', NEW);
    } finally {
      await p.close();
    }
  });

  test('someone who has forgotten their password resets it by the emailed link, without JavaScript', async () => {
    const NEW = 'a reset password for the adviser';
    const p = await e2e.newPage({ javaScriptEnabled: false });
    try {
      const { page } = p;
      await p.visit('/sign-in');
      await p.click(page.getByRole('link', { name: 'Forgotten your password?' }));
      assert.equal(await text(page, 'h1'), 'Reset your password');

      await page.getByLabel('Email address').fill('adviser.manchester');
      await p.submit(page.getByRole('button', { name: 'Send link' }));
      assert.deepEqual(await errorSummary(page), [
        ['Enter an email address in the correct format, like name@example.com', '#email'],
      ]);
      assert.equal(await page.getByLabel('Email address').inputValue(), 'adviser.manchester');

      const since = outbox.outbox.length;
      await page.getByLabel('Email address').fill('adviser.manchester@demo.test');
      await p.submit(page.getByRole('button', { name: 'Send link' }));
      assert.equal(await text(page, 'h1'), 'Check your email');

      let link: string | undefined;
      for (let i = 0; i < 400 && !link; i++) {
        link = outbox.outbox
          .slice(since)
          .find((m) => m.to.email === 'adviser.manchester@demo.test')
          ?.email.match(/https?:\/\/\S+\/reset-password\?token=\S+/)?.[0];
        if (!link) await new Promise((r) => setTimeout(r, 25));
      }
      assert.ok(link, 'the reset email was sent');
      const url = new URL(link);
      await p.visit(`${url.pathname}${url.search}`);
      assert.equal(await text(page, 'h1'), 'Choose a new password');

      await page.getByLabel('New password', { exact: true }).fill(NEW);
      await page.getByLabel('Enter the new password again').fill('something else entirely');
      await p.submit(page.getByRole('button', { name: 'Set new password' }));
      assert.deepEqual(await errorSummary(page), [
        ['The passwords do not match. Enter the same password twice', '#confirmPassword'],
      ]);

      await page.getByLabel('New password', { exact: true }).fill(NEW);
      await page.getByLabel('Enter the new password again').fill(NEW);
      await p.submit(page.getByRole('button', { name: 'Set new password' }));
      assert.equal(p.path, '/sign-in');
      assert.match(await text(page, '.nhsuk-notification-banner'), /Sign in with your new password/);
      await signIn(p, 'adviser.manchester@demo.test', NEW);

      // The link worked once.
      await p.visit(`${url.pathname}${url.search}`);
      assert.equal(await text(page, 'h1'), 'This link cannot be used');
    } finally {
      await p.close();
    }
  });
});
