import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { addDays, type IsoDate } from '../../src/platform/dates.ts';
import { OUTCOME_LABELS } from '../../src/modules/episodes/four-week-outcome.ts';
import { createIntegratedAccounts } from '../../src/demo/demo-integrated.ts';
import { DEMO_PASSWORD, startE2E, type E2E, type E2EPage } from './support.ts';

// Stop smoking support inside NHS Talking Therapies, through the browser (issue 12): a practitioner in
// Leeds NHS Talking Therapies runs a quit attempt alongside therapy, from the assessment to a CO-verified
// quit at four weeks; the service's manager signs off its own integrated-delivery return and a national
// analyst submits it. The national view counts the quit once, and Leeds's own return does not count it.
// Every page on the way is checked with axe by the support code.
//
// The clock stands in June 2026, so the whole attempt (recorded after the event, as no form takes a date
// in the future) falls in the quarter April to June, whose return is made on the day.

const NOW = '2026-06-20T10:00:00Z';
let today: string;
const ago = (days: number) => addDays(today, -days);

const group = (page: Page, name: string | RegExp) => page.getByRole('group', { name });
const text = async (l: Locator) => (await l.innerText()).replace(/\s+/g, ' ').trim();
const flash = (page: Page) => text(page.locator('.nhsuk-notification-banner'));

async function fillDate(page: Page, legend: string, iso: IsoDate) {
  const [y, m, d] = iso.split('-');
  const g = group(page, legend);
  await g.getByLabel('Day').fill(String(Number(d)));
  await g.getByLabel('Month').fill(String(Number(m)));
  await g.getByLabel('Year').fill(y!);
}

const ANSWERS = ['Not at all', 'Several days', 'More than half the days', 'Nearly every day'] as const;

async function questionnaire(p: E2EPage, button: string, scores: readonly number[], on: IsoDate) {
  await p.click(p.page.getByRole('button', { name: button }));
  for (const [i, score] of scores.entries()) {
    await group(p.page, new RegExp(`^Over the last 2 weeks.* ${i + 1}\\. `))
      .getByLabel(ANSWERS[score]!, { exact: true })
      .check();
  }
  await fillDate(p.page, 'Date completed', on);
  await p.submit(p.page.getByRole('button', { name: /^Save (PHQ-9|GAD-7)$/ }));
}

/** Generates the return on the page, writes any exception reasons it asks for, and signs it off. */
async function generateAndSignOff(p: E2EPage) {
  await p.submit(p.page.getByRole('button', { name: 'Generate the return' }));
  const reasons = p.page.locator('textarea[name^="reason-"]');
  if ((await reasons.count()) > 0) {
    for (const r of await reasons.all()) await r.fill('Few people in this quarter so far.');
    await p.submit(p.page.getByRole('button', { name: /^Save/ }).first());
  }
  await p.submit(p.page.getByRole('button', { name: /^Sign off version/ }));
}

describe('stop smoking support inside NHS Talking Therapies', () => {
  let e2e: E2E;

  before(async () => {
    e2e = await startE2E({ now: NOW });
    today = e2e.testApp.clock.today();
    await createIntegratedAccounts(e2e.testApp.db, DEMO_PASSWORD);
  });

  after(async () => {
    await e2e?.close();
  });

  test('a practitioner runs a quit attempt inside therapy to a CO-verified quit, counted once in the service’s return', async () => {
    const assessedOn = ago(35);
    const quitDate = ago(30);
    const followUpOn = addDays(quitDate, 28);
    let episodeId = '';

    await e2e.withUser('practitioner.tt@demo.test', async (p) => {
      const { page } = p;
      // Called what they are at work, with the same role.
      assert.match(await text(page.locator('header')), /Practitioner, Leeds NHS Talking Therapies/);

      await p.followMenu('Caseload');
      await p.click(page.getByRole('link', { name: 'Add someone you met directly' }));
      await page.getByLabel('First name').fill('Jordan');
      await page.getByLabel('Last name').fill('Ashworth');
      await fillDate(page, 'Date of birth', '1990-03-12');
      await page.getByLabel('Postcode').fill('LS6 2AB');
      await page.getByLabel('Phone number').fill('07700 900814');
      await group(page, 'Mental health').getByLabel('Anxiety', { exact: true }).check();
      await group(page, /Talking Therapies/)
        .getByLabel('Yes', { exact: true })
        .check();
      await p.submit(page.getByRole('button', { name: 'Start treatment' }));
      const episodePath = /^\/episodes\/[0-9a-f-]{36}$/.exec(p.path)?.[0];
      assert.ok(episodePath, `expected the new episode, got ${p.path}`);
      episodeId = episodePath.slice('/episodes/'.length);
      assert.match(await text(page.locator('main')), /Practitioner Priya Shah|Practitioner Not assigned/);

      // Before the quit date the attempt could go to the stop smoking service; it stays in therapy.
      await p.click(page.getByRole('link', { name: 'Hand Jordan over to the stop smoking service' }));
      assert.match(await text(page.locator('main')), /Leeds Stop Smoking Service/);
      await p.click(page.getByRole('link', { name: /^Back to Jordan’s episode/ }));

      // The pre-quit assessment.
      await p.click(page.getByRole('link', { name: 'Record the pre-quit assessment' }));
      await fillDate(page, 'Date of the assessment', assessedOn);
      await page.getByLabel('How many cigarettes do they smoke a day?').fill('15');
      await group(page, 'How soon after waking do they have their first cigarette?')
        .getByLabel('6 to 30 minutes')
        .check();
      await page
        .getByRole('textbox', { name: /^Carbon monoxide \(CO\) reading in parts per million/ })
        .fill('17');
      await group(page, 'Do they vape?').getByLabel('Has never vaped').check();
      await group(page, 'Is this a diagnosis, or their own description?')
        .getByRole('radio', { name: /^Diagnosed/ })
        .check();
      await p.submit(page.getByRole('button', { name: 'Save assessment' }));
      assert.match(await flash(page), /Assessment saved/);
      await p.click(page.getByRole('link', { name: /^Back to Jordan’s episode/ }));

      // PHQ-9 and GAD-7 alongside therapy.
      await questionnaire(p, 'Record a PHQ-9 (depression)', [2, 1, 1, 2, 1, 1, 1, 1, 0], assessedOn);
      assert.match(await flash(page), /PHQ-9 saved: 10, Moderate/);
      await questionnaire(p, 'Record a GAD-7 (anxiety)', [2, 2, 2, 1, 1, 1, 1], assessedOn);
      assert.match(await flash(page), /GAD-7 saved: 10, Moderate/);

      // The quit date and plan.
      await p.click(page.getByRole('link', { name: 'Set the quit date and plan' }));
      await fillDate(page, 'Quit date', quitDate);
      await group(page, 'Type of support').getByLabel('One-to-one, several sessions, in person').check();
      await page.getByLabel('Where is the support given?').selectOption({ label: 'Community' });
      await p.submit(page.getByRole('button', { name: 'Save plan' }));
      assert.equal(p.path, episodePath);
      assert.equal(await text(page.locator('.nhsuk-caption-l')), 'Quit attempt under way');
      assert.equal(
        await page.getByRole('link', { name: /^Hand Jordan over/ }).count(),
        0,
        'it stays until its outcome',
      );

      // The weekly sessions.
      const sessions: [string, IsoDate, string][] = [
        ['Session 2: quit date', quitDate, '8'],
        ['Session 3: one week after the quit date', addDays(quitDate, 7), '5'],
        ['Session 4: two weeks after the quit date', addDays(quitDate, 14), '3'],
      ];
      for (const [label, heldOn, co] of sessions) {
        await p.click(page.getByRole('link', { name: new RegExp(`^${escapeRegExp(label)}\\s*: record$`) }));
        await group(page, 'Did the session take place?').getByLabel('Yes, it took place').check();
        await fillDate(page, 'Date the session was held', heldOn);
        await group(page, 'How was it held?').getByLabel('In person').check();
        await page.getByLabel('Carbon monoxide (CO) reading in ppm, if taken').fill(co);
        if (heldOn !== quitDate) {
          await group(page, 'Have they smoked since the last session, even a puff?')
            .getByLabel('No', { exact: true })
            .check();
        }
        await p.submit(page.getByRole('button', { name: 'Save session' }));
        assert.equal(p.path, episodePath, `${label} saved`);
      }

      // The four-week follow-up: not a puff from day 15, CO 3 ppm (under 10).
      await p.click(page.getByRole('link', { name: 'Record the four-week outcome' }));
      await fillDate(page, 'Date you followed them up', followUpOn);
      await group(page, 'How did you reach them? (optional)').getByLabel('In person').check();
      await group(page, /^From day 15 to day 28 of the quit attempt/)
        .getByLabel('No', { exact: true })
        .check();
      await page.getByRole('textbox', { name: /^Carbon monoxide \(CO\) reading at the follow-up/ }).fill('3');
      await p.submit(page.getByRole('button', { name: 'Record four-week outcome' }));
      const status = await text(page.locator('#status'));
      assert.match(status, new RegExp(`Four-week outcome ${escapeRegExp(OUTCOME_LABELS.quit_co_verified)}`));
      assert.match(status, /CO reading 3 ppm/);
    });

    // The service's manager makes and signs off its own integrated-delivery return.
    const tt = await e2e.testApp.db
      .selectFrom('organisations')
      .select('id')
      .where('name', '=', 'Leeds NHS Talking Therapies')
      .executeTakeFirstOrThrow();
    const ttQ1 = `/returns/integrated-${tt.id}/2026/1`;
    await e2e.withUser('manager.tt@demo.test', async (p) => {
      const { page } = p;
      await p.followMenu('Quarterly returns');
      await p.click(page.locator(`a[href="${ttQ1}"]`));
      assert.equal(
        await text(page.getByRole('heading', { level: 1 })),
        'Leeds NHS Talking Therapies: integrated-delivery return 2026/27 Q1',
      );
      await generateAndSignOff(p);
      assert.match(await text(page.locator('main')), /A national analyst can now submit it/);
      const totals = await text(page.getByRole('table').filter({ hasText: 'Set a quit date' }).first());
      // Referrals 0; set a quit date, quit, quit CO-verified: 1 each, each leading to the record behind it.
      assert.match(totals, /Everyone 0 1 : list them 1 : list them 1 : list them 0 0 0 100% 100%$/);
    });

    // The local stop smoking service's return for the same quarter leaves it out.
    await e2e.withUser('manager@demo.test', async (p) => {
      await p.visit('/returns/E08000035/2026/1');
      await p.submit(p.page.getByRole('button', { name: 'Generate the return' }));
    });
    const counted = async (where: 'local_authority_code' | 'integrated_service_id', value: string) => {
      const r = await e2e.testApp.db
        .selectFrom('returns as r')
        .innerJoin('return_versions as v', (j) =>
          j.onRef('v.return_id', '=', 'r.id').onRef('v.version', '=', 'r.current_version'),
        )
        .select('v.counted')
        .where(where, '=', value)
        .where('r.financial_year', '=', 2026)
        .where('r.quarter', '=', 1)
        .executeTakeFirstOrThrow();
      return JSON.stringify(r.counted);
    };
    assert.ok((await counted('integrated_service_id', tt.id)).includes(episodeId));
    assert.ok(!(await counted('local_authority_code', 'E08000035')).includes(episodeId));

    // A national analyst submits it; the national view counts it once.
    await e2e.withUser('analyst@demo.test', async (p) => {
      const { page } = p;
      await p.visit('/national/returns?year=2026&quarter=1');
      const integrated = page.locator('#integrated-returns');
      assert.match(
        await text(integrated),
        /Leeds NHS Talking Therapies Yorkshire and The Humber Signed off 1/,
      );
      await p.click(integrated.getByRole('link', { name: 'Leeds NHS Talking Therapies' }));
      await p.submit(page.getByRole('button', { name: 'Submit to the national collection' }));
      assert.match(await flash(page), /submitted to the national collection/);
      await p.visit('/national/returns?year=2026&quarter=1');
      assert.match(await text(page.locator('main')), /1 of 1 integrated-delivery returns submitted/);
      const england = await text(
        page
          .locator('#totals')
          .getByRole('row')
          .filter({ has: page.getByRole('rowheader', { name: 'England', exact: true }) }),
      );
      assert.match(england, /^England \S+ 1 1 1 /);
    });
  });
});

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
