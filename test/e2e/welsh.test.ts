import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { startE2E, type E2E } from './support.ts';

// A person who reads Welsh, in a browser: they choose Cymraeg on the finder, a Cardiff postcode gives
// them Help Me Quit by its Welsh name (Helpa Fi i Stopio); then, still in Welsh, someone with a Leeds
// postcode fills in the self-referral form, makes one mistake (a Welsh error summary, what they typed
// kept), sends it and sees the Welsh confirmation. With scripts off and on; every page is checked with
// axe, on a desktop and a phone, by the support code.

const text = async (l: Locator) => (await l.innerText()).replace(/\s+/g, ' ').trim();
const group = (page: Page, legend: string | RegExp) => page.getByRole('group', { name: legend });

describe('the public pages in Welsh', () => {
  let e2e: E2E;

  before(async () => {
    e2e = await startE2E();
  });
  after(async () => {
    await e2e?.close();
  });

  for (const javaScriptEnabled of [false, true]) {
    test(`choosing Cymraeg, Cardiff then a Leeds self-referral (scripts ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      const p = await e2e.newPage({ javaScriptEnabled });
      try {
        const { page } = p;
        await p.visit('/find-support');
        assert.equal(await page.locator('html').getAttribute('lang'), 'en');
        await p.click(
          page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: 'Cymraeg' }),
        );
        assert.equal(await page.locator('html').getAttribute('lang'), 'cy');
        assert.equal(
          await text(page.getByRole('heading', { level: 1 })),
          'Dod o hyd i help i roi’r gorau i smygu yn agos atoch chi',
        );

        // Cardiff: Help Me Quit, as it names itself in Welsh.
        await page.getByLabel('Rhowch eich cod post').fill('CF10 1EP');
        await p.submit(page.getByRole('button', { name: 'Chwilio' }));
        assert.match(
          await text(page.locator('main')),
          /Rydych chi’n byw yng Nghymru\. Gwasanaeth rhoi’r gorau i smygu am ddim GIG Cymru yw Helpa Fi i Stopio\./,
        );
        const wales = page.locator('#service-contact');
        assert.equal(await text(wales.getByRole('heading', { level: 2 })), 'Helpa Fi i Stopio');
        assert.equal(
          await wales.getByRole('link', { name: '0800 085 2219' }).getAttribute('href'),
          'tel:08000852219',
        );
        assert.equal(
          await wales.getByRole('link', { name: 'www.helpafiistopio.cymru' }).getAttribute('href'),
          'https://www.helpafiistopio.cymru',
        );
        assert.equal(await page.getByRole('button', { name: 'Atgyfeirio eich hun' }).count(), 0);

        // Leeds, still in Welsh: the finder, then the form.
        await page.getByLabel('Cod post', { exact: true }).fill('LS6 1AN');
        await p.submit(page.getByRole('button', { name: 'Chwilio' }));
        assert.match(
          await text(page.locator('main')),
          /Eich gwasanaeth lleol yw Leeds Stop Smoking Service\./,
        );
        await p.click(page.getByRole('button', { name: 'Atgyfeirio eich hun' }));
        assert.equal(p.path, '/self-referral?postcode=LS6%201AN');
        assert.equal(await page.locator('html').getAttribute('lang'), 'cy');
        assert.equal(
          await text(page.getByRole('heading', { level: 1 })),
          'Gofyn am help i roi’r gorau i smygu',
        );
        assert.equal(await page.getByLabel('Cod post', { exact: true }).inputValue(), 'LS6 1AN');

        // One mistake: no last name. The summary is in Welsh, and what was typed is kept.
        await page.getByLabel('Enw cyntaf').fill('Rhys');
        const dob = group(page, 'Dyddiad geni');
        await dob.getByLabel('Diwrnod').fill('21');
        await dob.getByLabel('Mis').fill('7');
        await dob.getByLabel('Blwyddyn').fill('1990');
        await page.getByRole('textbox', { name: /^Rhif ffôn/ }).fill('07700 900654');
        await group(page, 'Sut hoffech chi i’r gwasanaeth gysylltu â chi?')
          .getByLabel('Neges destun')
          .check();
        await group(page, 'Pryd mae’n well cysylltu â chi?').getByLabel('Gyda’r nos').check();
        await group(page, 'Gyda beth hoffech chi gael help?').getByLabel('Rhoi’r gorau i smygu').check();
        await group(page, /Oes gennych chi orbryder neu iselder/)
          .getByLabel('Oes, gorbryder')
          .check();
        await group(page, /therapi siarad y GIG/)
          .getByLabel('Ydw', { exact: true })
          .check();
        await group(page, 'Ydych chi’n cytuno?').getByLabel('Rydw i’n cytuno').check();
        await p.submit(page.getByRole('button', { name: 'Anfon' }));
        assert.equal(p.path, '/self-referral');
        assert.match(await page.title(), /^Gwall: /);
        const summary = page.locator('.nhsuk-error-summary');
        assert.equal(await text(summary.getByRole('heading')), 'Mae problem');
        assert.equal(await text(summary.getByRole('link')), 'Rhowch eich cyfenw');
        assert.equal(await page.getByLabel('Enw cyntaf').inputValue(), 'Rhys');
        assert.ok(
          await group(page, /therapi siarad y GIG/)
            .getByLabel('Ydw', { exact: true })
            .isChecked(),
        );

        await page.getByLabel('Cyfenw').fill('Llywelyn');
        await page.getByLabel('Rydw i’n cytuno').check();
        await p.submit(page.getByRole('button', { name: 'Anfon' }));
        const sentPath: string = p.path;
        assert.match(sentPath, /^\/self-referral\/sent\/MOR-\d{6}$/);
        assert.equal(await page.locator('html').getAttribute('lang'), 'cy');
        assert.equal(await text(page.getByRole('heading', { level: 1 })), 'Mae eich cais wedi cael ei anfon');
        const body = await text(page.locator('main'));
        assert.match(
          body,
          /Bydd Leeds Stop Smoking Service yn cysylltu â chi o fewn 3 diwrnod gwaith, drwy neges destun, gyda’r nos\./,
        );
        assert.match(body, /ffoniwch NHS 111 a dewis opsiwn 2/);
        assert.doesNotMatch(body, /will contact you|working days/);

        // English can be chosen back on the same page.
        await p.click(page.getByRole('navigation', { name: 'Iaith' }).getByRole('link', { name: 'English' }));
        assert.equal(await text(page.getByRole('heading', { level: 1 })), 'Your request has been sent');
      } finally {
        await p.close();
      }
    });
  }
});
