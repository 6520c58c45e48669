import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generateSync } from 'otplib';
import { hashPassword } from '../../src/platform/passwords.ts';
import { DEMO_PASSWORD } from '../helpers/test-app.ts';
import { startE2E, type E2E, type E2EPage } from './support.ts';

// An administrator must set up two-factor sign-in: scanning is replaced by the key shown on the page,
// from which the test works out each code as an authenticator app would, at the app's clock. Every page
// on the way is checked with axe by the support code.

describe('two-factor sign-in in the browser', () => {
  let e2e: E2E;
  const email = 'robin.admin@leeds.example';
  before(async () => {
    e2e = await startE2E();
    const { db } = e2e.testApp;
    const org = await db
      .selectFrom('users')
      .select('organisation_id')
      .where('email', '=', 'admin@demo.test')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('users')
      .values({
        email,
        name: 'Robin Shaw',
        role: 'administrator',
        organisation_id: org.organisation_id,
        password_hash: await hashPassword(DEMO_PASSWORD),
      })
      .execute();
  });
  after(async () => {
    await e2e?.close();
  });

  const codeFor = (secret: string, steps: number) =>
    generateSync({ secret, epoch: Math.floor(e2e.testApp.clock.now().getTime() / 1000) + steps * 30 });

  async function password(p: E2EPage) {
    await p.visit('/sign-in');
    await p.page.getByLabel('Email address').fill(email);
    await p.page.getByLabel('Password').fill(DEMO_PASSWORD);
    await p.submit(p.page.getByRole('button', { name: 'Sign in' }));
  }

  test('an administrator sets up two factors after their password, then signs in with a code', async () => {
    const p = await e2e.newPage();
    const { page } = p;
    await password(p);
    assert.match(p.path, /^\/sign-in\/set-up\?/);
    assert.equal((await page.locator('h1').innerText()).trim(), 'Set up two-factor sign-in');
    assert.ok(await page.getByRole('img', { name: /QR code/ }).isVisible());
    const secret = (await page.locator('#secret').innerText()).replace(/\s/g, '');
    assert.match(secret, /^[A-Z2-7]{32}$/);

    await page.getByLabel('Security code').fill('12345');
    await p.submit(page.getByRole('button', { name: 'Turn on two-factor sign-in' }));
    assert.match(await page.title(), /^Error: /);
    assert.equal(
      await page
        .locator('#secret')
        .innerText()
        .then((s) => s.replace(/\s/g, '')),
      secret,
    );

    await page.getByLabel('Security code').fill(codeFor(secret, 0));
    await p.submit(page.getByRole('button', { name: 'Turn on two-factor sign-in' }));
    assert.equal((await page.locator('h1').innerText()).trim(), 'Your recovery codes');
    assert.equal(await page.locator('#recovery-codes li').count(), 10);
    await p.click(page.getByRole('button', { name: 'Continue' }));
    await p.visit('/account');
    assert.match(await page.locator('#two-factor + p').innerText(), /^On\./);

    await p.submit(page.getByRole('button', { name: 'Sign out' }));
    await password(p);
    assert.match(p.path, /^\/sign-in\/code\?/);
    await page.getByLabel('Security code').fill(codeFor(secret, 0));
    await p.submit(page.getByRole('button', { name: 'Continue' }));
    assert.deepEqual(
      await page.locator('.nhsuk-error-summary a').allInnerTexts(),
      ['The code you entered is not right. Check it and try again'],
      'the code used to set up is not accepted again',
    );
    await page.getByLabel('Security code').fill(codeFor(secret, 1));
    await p.submit(page.getByRole('button', { name: 'Continue' }));
    assert.ok(!p.path.startsWith('/sign-in'), `signed in, at ${p.path}`);
    await p.close();
  });
});
