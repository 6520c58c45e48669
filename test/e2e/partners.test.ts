import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { addDays, type IsoDate } from '../../src/platform/dates.ts';
import { startE2E, type E2E } from './support.ts';

// Partners in the browser: a commissioner adds a partner, records a member of its staff's training, sets
// its smokefree policy to adopted, and sees the authority's counts go up by one each. A form sent with a
// mistake shows the error summary and keeps what was typed. Every page is checked with axe.

let today: string;
const group = (page: Page, name: string | RegExp) => page.getByRole('group', { name });
const text = async (l: Locator) => (await l.innerText()).replace(/\s+/g, ' ').trim();
const flash = (page: Page) => text(page.locator('.nhsuk-notification-banner'));

async function fillDate(page: Page, legend: string | RegExp, iso: IsoDate) {
  const [y, m, d] = iso.split('-');
  const g = group(page, legend);
  await g.getByLabel('Day').fill(String(Number(d)));
  await g.getByLabel('Month').fill(String(Number(m)));
  await g.getByLabel('Year').fill(y!);
}

/** The summary table's figures on /partners, by measure. */
async function counts(page: Page): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const cell of await page.locator('#summary td[data-count]').all()) {
    out[(await cell.getAttribute('data-count'))!] = Number(await cell.innerText());
  }
  return out;
}

describe('partners in the browser', () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E();
    today = e2e.testApp.clock.today();
  });
  after(async () => {
    await e2e?.close();
  });

  test('a commissioner adds a partner, records training, adopts its policy and sees the counts update', async () => {
    await e2e.withUser('commissioner@demo.test', async (p) => {
      const { page } = p;
      await p.followMenu('Partners');
      assert.equal(p.path, '/partners');
      const before = await counts(page);
      assert.deepEqual(before, {
        activePartners: 4,
        partnersWithAdoptedPolicy: 2,
        vbaTrainedStaff: 7,
        ncsctTrainedStaff: 1,
        mentalHealthModuleStaff: 1,
      });

      // A partner not in Mortar, first sent without a sector: the error is shown and the name kept.
      await p.click(page.getByRole('button', { name: 'Add a partner' }));
      assert.equal(p.path, '/partners/new');
      await page.getByLabel('Partner’s name').fill('Kirkstall Family Hub');
      await group(page, 'Status in the partnership').getByLabel('Active').check();
      await fillDate(page, /^Date they joined the partnership/, today);
      await p.submit(page.getByRole('button', { name: 'Save partner' }));
      assert.match(await text(page.locator('.nhsuk-error-summary')), /Select the sector/);
      assert.equal(await page.getByLabel('Partner’s name').inputValue(), 'Kirkstall Family Hub');
      await group(page, 'Sector').getByLabel('Community').check();
      await page
        .getByLabel('Kind of organisation (optional)')
        .selectOption({ label: 'Family and income support' });
      await p.submit(page.getByRole('button', { name: 'Save partner' }));
      assert.match(p.path, /^\/partners\/[0-9a-f-]{36}$/);
      assert.match(await flash(page), /Kirkstall Family Hub has been added as a partner/);
      const partnerPath = p.path;

      // A member of staff completed Very Brief Advice today; no renewal date, so the default is used.
      await p.click(page.getByRole('button', { name: 'Record training' }));
      await page.getByLabel('Name of the member of staff').fill('Nia Roberts');
      await page.getByLabel('Job title (optional)').fill('Family support worker');
      await p.submit(page.getByRole('button', { name: 'Save training record' }));
      assert.match(
        await text(page.locator('.nhsuk-error-summary')),
        /Select the training they completed.*Enter the date they completed it/,
      );
      assert.equal(await page.getByLabel('Name of the member of staff').inputValue(), 'Nia Roberts');
      await group(page, 'Training completed').getByLabel('Very Brief Advice').check();
      await fillDate(page, 'Date they completed it', today);
      await p.submit(page.getByRole('button', { name: 'Save training record' }));
      assert.equal(p.path, partnerPath);
      assert.match(
        await flash(page),
        /Renewal is due on .* \(every 2 years for Very Brief Advice, as no date was given\)/,
      );
      const row = page.locator('#training ~ table').getByRole('row').filter({ hasText: 'Nia Roberts' });
      assert.match(await text(row), /Very Brief Advice.*Current/);

      // Its smokefree policy, adopted today and due for review in a year.
      await p.click(page.getByRole('link', { name: /Record the smokefree policy/ }));
      await group(page, 'Status of their smokefree policy').getByLabel('Adopted').check();
      await fillDate(page, /^Date it was adopted/, today);
      await fillDate(page, /^Review date/, addDays(today, 365));
      await p.submit(page.getByRole('button', { name: 'Save policy' }));
      assert.equal(p.path, partnerPath);
      assert.match(await flash(page), /smokefree policy of Kirkstall Family Hub has been saved: adopted/);

      await p.followMenu('Partners');
      assert.deepEqual(await counts(page), {
        ...before,
        activePartners: before.activePartners! + 1,
        partnersWithAdoptedPolicy: before.partnersWithAdoptedPolicy! + 1,
        vbaTrainedStaff: before.vbaTrainedStaff! + 1,
      });
      const listed = page.locator('#partners').getByRole('row').filter({ hasText: 'Kirkstall Family Hub' });
      assert.match(await text(listed), /Community Active Adopted/);

      // The workforce page lists her, and the filter by status still works without JavaScript's help.
      await p.click(page.getByRole('link', { name: 'trained staff' }));
      assert.equal(p.path, '/training');
      assert.match(await text(page.locator('#records')), /Nia Roberts/);
      await p.visit('/partners?status=prospective');
      assert.match(await text(page.locator('#partners caption')), /1 partner matching the filter/);
    });
  });

  test('a national analyst reads partners of every authority without change links', async () => {
    await e2e.withUser('analyst@demo.test', async (p) => {
      const { page } = p;
      await p.visit('/partners');
      assert.match(await text(page.locator('#partners')), /Manchester NHS Talking Therapies/);
      assert.equal(await page.getByRole('button', { name: 'Add a partner' }).count(), 0);
      await p.click(page.getByRole('link', { name: 'Hyde Park Surgery' }));
      assert.equal(await page.getByRole('link', { name: /Change the details/ }).count(), 0);
      await p.visit('/training?authority=E08000003');
      assert.match(await page.locator('h1').innerText(), /Trained staff in Manchester/);
    });
  });
});
