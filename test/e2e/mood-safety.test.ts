import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { formatDate } from '../../src/platform/dates.ts';
import { startE2E, type E2E, type E2EPage } from './support.ts';

// Mood questionnaires and the PHQ-9 item 9 safety response, through the browser with scripts off (every
// page must work without JavaScript) and on. Every page on the way is checked with axe by the support code.

const SCREENSHOTS = {
  alert: '/tmp/e2e-mood-safety-alert.png',
  mood: '/tmp/e2e-mood-section.png',
  form: '/tmp/e2e-mood-form.png',
};

let today: string;

let e2e: E2E;
before(async () => {
  e2e = await startE2E();
  today = e2e.testApp.clock.today();
});
after(() => e2e?.close());

const group = (page: Page, name: string | RegExp) => page.getByRole('group', { name });

/** Types a date into the three boxes of the date field with this legend. */
async function fillDate(page: Page, legend: string, iso: string) {
  const [y, m, d] = iso.split('-');
  const g = group(page, legend);
  await g.getByLabel('Day').fill(String(Number(d)));
  await g.getByLabel('Month').fill(String(Number(m)));
  await g.getByLabel('Year').fill(y!);
}

/** The episode's plan form: the quit date and the type and place of support. */
async function submitPlan(p: E2EPage, episode: string, quitDate: string) {
  await p.visit(`${episode}/plan`);
  await fillDate(p.page, 'Quit date', quitDate);
  await group(p.page, 'Type of support').getByLabel('One-to-one, several sessions, in person').check();
  await p.page.getByLabel('Where is the support given?').selectOption({ label: 'Community' });
  await p.submit(p.page.getByRole('button', { name: 'Save plan' }));
}

async function addPerson(p: E2EPage, givenName: string, familyName: string) {
  await p.visit('/people/new');
  await p.page.getByLabel('First name').fill(givenName);
  await p.page.getByLabel('Last name').fill(familyName);
  const dob = group(p.page, 'Date of birth');
  await dob.getByLabel('Day').fill('3');
  await dob.getByLabel('Month').fill('4');
  await dob.getByLabel('Year').fill('1979');
  await p.page.getByLabel('Postcode').fill('LS2 9JT');
  await p.page.getByLabel('Phone number').fill('07700 900222');
  await group(p.page, 'Mental health').getByLabel('Depression', { exact: true }).check();
  await group(p.page, /Talking Therapies/)
    .getByLabel('No', { exact: true })
    .check();
  await p.submit(p.page.getByRole('button', { name: 'Start treatment' }));
  assert.match(p.path, /^\/episodes\/[0-9a-f-]{36}$/);
  return p.path;
}

/** Answers each question of the form on the page, by its position. */
async function answer(
  page: Page,
  answers: readonly ('Not at all' | 'Several days' | 'More than half the days' | 'Nearly every day')[],
) {
  for (const [i, a] of answers.entries()) {
    await group(page, new RegExp(`^Over the last 2 weeks.* ${i + 1}\\. `))
      .getByLabel(a, { exact: true })
      .check();
  }
}

test('item 9 raises a safety response that stays until it is completed, without JavaScript', async () => {
  const csp: string[] = [];
  await e2e.withUser(
    'adviser@demo.test',
    async (p) => {
      p.page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) csp.push(m.text());
      });
      const episode = await addPerson(p, 'Morwenna', 'Safetytest');
      await p.click(p.page.getByRole('button', { name: 'Record a PHQ-9 (depression)' }));
      await p.screenshot(SCREENSHOTS.form);
      await answer(p.page, [
        'Not at all',
        'Not at all',
        'Not at all',
        'Not at all',
        'Not at all',
        'Not at all',
        'Not at all',
        'Not at all',
        'Several days',
      ]);
      await p.submit(p.page.getByRole('button', { name: 'Save PHQ-9' }));
      assert.equal(p.path, episode);
      const alert = p.page.locator('#safety');
      assert.match(await alert.innerText(), /Safety response needed today/);
      assert.match(await alert.innerText(), /NHS 111/);
      // At the top of the page: the first heading under the name (after the "saved" banner), above the
      // person's details and their treatment.
      assert.match(
        await p.page.locator('main h2:not(.nhsuk-notification-banner__title)').first().innerText(),
        /Safety response needed today/,
      );
      const top = async (selector: string) =>
        (await p.page.locator(selector).first().boundingBox())?.y ?? Number.NaN;
      assert.ok(
        (await top('#safety')) < (await top('main .nhsuk-summary-list')),
        'the safety response is above the episode details',
      );
      await p.screenshot(SCREENSHOTS.alert);

      // The episode cannot move on: the assessment is kept (nothing assessed is ever lost), but setting
      // the quit date is refused until the safety task is completed.
      await p.click(p.page.getByRole('link', { name: 'Record the pre-quit assessment' }));
      await p.page.getByLabel('How many cigarettes do they smoke a day?').fill('15');
      await group(p.page, 'How soon after waking do they have their first cigarette?')
        .getByLabel('31 to 60 minutes')
        .check();
      await group(p.page, 'Do they vape?').getByLabel('Has never vaped').check();
      await group(p.page, 'Is this a diagnosis, or their own description?')
        .getByRole('radio', { name: /^Their own description/ })
        .check();
      await p.submit(p.page.getByRole('button', { name: 'Save assessment' }));
      assert.equal(p.path, `${episode}/assessment?saved=1`);
      await submitPlan(p, episode, today);
      assert.equal(p.path, `${episode}/plan`, 'still on the plan page');
      assert.match(await p.page.title(), /^Error: /);
      const summary = p.page.locator('.nhsuk-error-summary');
      assert.match(await summary.innerText(), /Complete the safety task first/);
      assert.equal(
        await summary.getByRole('link', { name: 'Complete the safety task first' }).getAttribute('href'),
        '#safety',
      );
      assert.match(
        await p.page.locator('#safety').innerText(),
        /Until it is completed you cannot set the quit date/,
      );
      await p.click(
        p.page
          .locator('#safety')
          .getByRole('link', { name: 'Go to the episode to complete the safety task' }),
      );
      assert.equal(p.path, episode);
      assert.match(
        await p.page.locator('main .nhsuk-summary-list').first().innerText(),
        /Quit date\s+Not set yet/,
      );

      // Nothing typed: refused, with the error summary, and still open.
      await p.submit(alert.getByRole('button', { name: 'Complete safety task' }));
      assert.match(await p.page.title(), /^Error: /);
      assert.match(await p.page.locator('.nhsuk-error-summary').innerText(), /Enter what you did/);
      await p.page
        .getByLabel('What did you do?')
        .fill('Asked directly. No thoughts of acting on it today; agreed a plan.');
      await p.page.getByLabel('Who did you contact?').fill('Their GP practice, who will call back today.');
      await p.submit(p.page.getByRole('button', { name: 'Complete safety task' }));
      assert.equal(p.path, episode);
      assert.equal(await p.page.locator('#safety').count(), 0, 'the alert has gone');
      assert.match(await p.page.locator('#mood').innerText(), /Safety responses[\s\S]*agreed a plan/);

      // With the task completed, the quit date can be set.
      await submitPlan(p, episode, today);
      assert.equal(p.path, episode);
      assert.match(
        await p.page.locator('main .nhsuk-summary-list').first().innerText(),
        new RegExp(`Quit date\\s+${formatDate(today)}`),
      );
      assert.equal(await p.page.locator('#safety').count(), 0);
    },
    { javaScriptEnabled: false },
  );
  assert.deepEqual(csp, []);
});

test('scores over time, with a chart and a table, and error messages that link to their questions', async () => {
  await e2e.withUser('adviser@demo.test', async (p) => {
    const episode = await addPerson(p, 'Idris', 'Charttest');
    await p.visit(`${episode}/mood?instrument=gad7`);
    await answer(p.page, ['Several days', 'Several days']);
    await p.submit(p.page.getByRole('button', { name: 'Save GAD-7' }));
    const summary = p.page.locator('.nhsuk-error-summary');
    assert.match(await summary.innerText(), /Select an answer to GAD-7 question 3/);
    await summary.getByRole('link', { name: 'Select an answer to GAD-7 question 3' }).click();
    await answer(p.page, [
      'Several days',
      'Several days',
      'Nearly every day',
      'Nearly every day',
      'More than half the days',
      'Several days',
      'Several days',
    ]);
    await p.submit(p.page.getByRole('button', { name: 'Save GAD-7' }));
    assert.equal(p.path, episode);
    await p.visit(`${episode}/mood?instrument=phq9`);
    await answer(p.page, [
      'Several days',
      'Several days',
      'Several days',
      'Several days',
      'Several days',
      'Not at all',
      'Not at all',
      'Not at all',
      'Not at all',
    ]);
    await p.submit(p.page.getByRole('button', { name: 'Save PHQ-9' }));
    const chart = p.page.getByRole('img', { name: 'PHQ-9 and GAD-7 scores over time' });
    assert.equal(await chart.count(), 1);
    assert.ok(((await chart.boundingBox())?.height ?? 0) > 100, 'the chart is drawn at a readable size');
    assert.equal(
      await p.page
        .getByRole('table', { name: 'PHQ-9 and GAD-7 scores, oldest first' })
        .getByRole('row')
        .count(),
      3,
    );
    await p.screenshot(SCREENSHOTS.mood);
  });
});
