import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startE2E, type E2E } from './support.ts';

// The national toolkit in Chromium: axe (run by the support code on every page load) checks the list,
// a document, the adapt form with its error summary, the newer-version notice and the print page.

describe('the national toolkit in the browser', () => {
  let e2e: E2E;

  before(async () => {
    e2e = await startE2E();
  });

  after(async () => {
    await e2e?.close();
  });

  test('Leeds adopts a script, adapts it, and prints it filled with its service; the national team publishes a change', async () => {
    await e2e.withUser('commissioner@demo.test', async (p) => {
      await p.visit('/toolkit');
      await p.click(p.page.getByRole('link', { name: 'Very Brief Advice script: GP practice' }));
      await p.submit(p.page.getByRole('button', { name: 'Adopt this document' }));
      await p.click(p.page.getByRole('button', { name: 'Adapt the text' }));
      await p.page.getByLabel('Text', { exact: true }).fill('Call {{clinic hours}}');
      await p.submit(p.page.getByRole('button', { name: 'Save as a new version' }));
      assert.match(await p.page.locator('.nhsuk-error-summary').innerText(), /Mortar cannot fill/);
      await p.page
        .getByLabel('Text', { exact: true })
        .fill('# Leeds\n\nRing {{service name}} on {{service phone}}.');
      await p.submit(p.page.getByRole('button', { name: 'Save as a new version' }));
      await p.click(p.page.getByRole('link', { name: /print-friendly page/ }));
      assert.match(await p.page.locator('main').innerText(), /Ring Leeds Stop Smoking Service on/);
    });
    await e2e.withUser('national.admin@demo.test', async (p) => {
      await p.visit('/toolkit');
      await p.click(p.page.getByRole('link', { name: 'Very Brief Advice script: GP practice' }));
      await p.click(p.page.getByRole('button', { name: 'Draft a new version' }));
      await p.page.getByLabel('What changed (optional)').fill('A new closing line');
      const text = p.page.getByLabel('Text', { exact: true });
      await text.fill(`${await text.inputValue()}\n\nThank you for asking.`);
      await p.submit(p.page.getByRole('button', { name: 'Save draft' }));
      await p.submit(p.page.getByRole('button', { name: 'Publish version 2' }));
    });
    await e2e.withUser('commissioner@demo.test', async (p) => {
      await p.visit('/toolkit');
      await p.click(p.page.getByRole('link', { name: 'Very Brief Advice script: GP practice' }));
      assert.match(
        await p.page.locator('main').innerText(),
        /A newer national version exists[\s\S]*Thank you for asking/,
      );
    });
  });
});
