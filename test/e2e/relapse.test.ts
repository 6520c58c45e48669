import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addDays } from '../../src/platform/dates.ts';
import { startE2E, type E2E } from './support.ts';

// Coming back after a relapse, through the browser with scripts off: from the finished episode, the form,
// its error summary, then the new attempt and the caseload. Every page on the way is checked with axe by
// the support code.

let e2e: E2E;
before(async () => {
  e2e = await startE2E();
});
after(() => e2e?.close());

test('an adviser starts a new quit attempt after a relapse without JavaScript', async () => {
  const { db, clock } = e2e.testApp;
  const today = clock.today();
  const finished = await db
    .selectFrom('episodes as e')
    .innerJoin('episode_outcomes as o', 'o.episode_id', 'e.id')
    .innerJoin('users as u', 'u.id', 'e.adviser_user_id')
    .select(['e.id', 'e.quit_date'])
    .where('u.email', '=', 'adviser@demo.test')
    .where('e.quit_date', 'is not', null)
    .where('e.quit_date', '<', addDays(today, -2))
    .executeTakeFirstOrThrow();
  await e2e.withUser(
    'adviser@demo.test',
    async (p) => {
      await p.visit(`/episodes/${finished.id}`);
      await p.click(p.page.getByRole('link', { name: 'Start a new quit attempt after a relapse' }));
      await p.submit(p.page.getByRole('button', { name: 'Start a new quit attempt' }));
      const summary = await p.page.locator('.nhsuk-error-summary').innerText();
      assert.match(summary, /Enter the date they started smoking again/);
      const yesterday = addDays(today, -1).split('-');
      const g = p.page.getByRole('group', { name: 'When did they start smoking again?' });
      await g.getByLabel('Day').fill(String(Number(yesterday[2])));
      await g.getByLabel('Month').fill(String(Number(yesterday[1])));
      await g.getByLabel('Year').fill(yesterday[0]!);
      await p.page.getByLabel('What led to smoking again?').fill('A hard week');
      await p.page.getByLabel('Plan to stay smokefree this time').fill('Call the adviser first');
      await p.submit(p.page.getByRole('button', { name: 'Start a new quit attempt' }));
      assert.match(await p.page.locator('main').innerText(), /Came back after a relapse/);
      await p.visit('/episodes');
      assert.match(await p.page.locator('main').innerText(), /Back after relapse/);
    },
    { javaScriptEnabled: false },
  );
});
