import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { QUESTIONS } from '../../src/modules/vba-training/vba-check.ts';
import { PAGES } from '../../src/modules/vba-training/vba-pages.ts';
import { startE2E, type E2E } from './support.ts';

// Issue 12: a foodbank volunteer is offered the Very Brief Advice training on the referral form, reads
// it, leaves a question out (the error summary), passes the check, then refers someone, and the offer
// has gone. Without JavaScript, as on an old phone; every page is checked with axe at desktop and 375 px.

const text = async (l: Locator) => (await l.innerText()).replace(/\s+/g, ' ').trim();
const group = (page: Page, name: string | RegExp) => page.getByRole('group', { name });
const offer = (page: Page) => page.locator('#training-offer');

describe('Very Brief Advice training in the browser', () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E();
  });
  after(async () => {
    await e2e?.close();
  });

  test('a foodbank worker takes the training, passes, then refers', { timeout: 300_000 }, async () => {
    await e2e.withUser(
      'referrer.foodbank@demo.test',
      async (p) => {
        const { page } = p;
        // The form offers the training but does not stand in the way.
        await p.click(page.getByRole('link', { name: 'Refer someone' }).first());
        assert.equal(p.path, '/referrals/new');
        assert.match(await text(offer(page)), /Five minutes of training before you refer/);
        assert.equal(await page.getByRole('button', { name: 'Send' }).count(), 1);
        await p.click(offer(page).getByRole('link', { name: 'Take the Very Brief Advice training' }));
        assert.equal(p.path, '/very-brief-advice');

        // Every page, in order, by the design system's "next" link.
        await p.click(page.getByRole('button', { name: 'Start the training' }));
        for (const [i, pg] of PAGES.entries()) {
          assert.equal(p.path, `/very-brief-advice/${pg.slug}`);
          assert.equal(await text(page.getByRole('heading', { level: 1 })), pg.title);
          const next = PAGES[i + 1]?.title ?? 'Check what you know';
          await p.click(
            page
              .getByRole('navigation', { name: 'Previous and next page' })
              .getByRole('link', { name: new RegExp(next) }),
          );
        }
        assert.equal(p.path, '/very-brief-advice/check');

        // One question left out: the error summary links to it and the other answers are kept.
        const answer = async (skip?: string) => {
          for (const [i, q] of QUESTIONS.entries()) {
            if (q.id === skip) continue;
            const right = q.options.find((o) => o.value === q.answer)!.text;
            await group(page, `${i + 1}. ${q.text}`)
              .getByLabel(right, { exact: true })
              .check();
          }
        };
        await answer('low');
        await p.submit(page.getByRole('button', { name: 'Check my answers' }));
        const summary = page.locator('.nhsuk-error-summary');
        assert.match(await text(summary), /Select an answer to question 4/);
        assert.match(await page.title(), /^Error: /);
        assert.equal(await page.locator('#steps-2').isChecked(), true, 'the first answer was kept');
        await answer();
        await p.submit(page.getByRole('button', { name: 'Check my answers' }));

        assert.equal(p.path, '/very-brief-advice/result');
        assert.match(await text(page.locator('.nhsuk-panel')), /You passed.*5 out of 5/);
        assert.match(
          await text(page.locator('.nhsuk-notification-banner')),
          /counts towards the trained staff of Leeds North Foodbank/,
        );

        // Then refers someone: the offer has gone.
        await p.click(page.getByRole('link', { name: 'Refer someone now' }));
        assert.equal(p.path, '/referrals/new');
        assert.equal(await offer(page).count(), 0);
        await group(page, 'Does the person smoke?').getByLabel('Smokes now', { exact: true }).check();
        await group(page, 'Does the person vape?').getByLabel('Has never vaped', { exact: true }).check();
        await page.getByLabel('I gave this advice').check();
        await group(page, 'Does the person want to be referred')
          .getByLabel('Yes, refer them', { exact: true })
          .check();
        await page.getByLabel('First name').fill('Rowan');
        await page.getByLabel('Last name').fill('Hale');
        const dob = group(page, 'Date of birth');
        await dob.getByLabel('Day').fill('3');
        await dob.getByLabel('Month').fill('9');
        await dob.getByLabel('Year').fill('1979');
        await page.getByLabel('Postcode').fill('LS7 3JB');
        await page.getByRole('textbox', { name: /^Phone number/ }).fill('07700 900123');
        await group(page, 'How would they like to be contacted?').getByLabel('Phone call').check();
        await group(page, 'When is best to contact them?').getByLabel('Mornings').check();
        await group(page, 'What do you know about their mental health?')
          .getByLabel('Anxiety', { exact: true })
          .check();
        await group(page, 'Are they getting help from NHS Talking Therapies?')
          .getByLabel('No', { exact: true })
          .check();
        await group(page, 'Do they agree to the service telling you how their referral is going?')
          .getByLabel('Yes', { exact: true })
          .check();
        await p.submit(page.getByRole('button', { name: 'Send' }));
        assert.match(await text(page.locator('.nhsuk-panel')), /Referral sent.*MOR-\d{6}/);
      },
      { javaScriptEnabled: false },
    );
  });
});
