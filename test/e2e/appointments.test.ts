import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startE2E, type E2E } from './support.ts';

// An adviser books session 3 (a week after the quit date) for 10:30, face to face at the clinic, from
// the episode page; tries Christmas Day first and is told the service is closed; then sees the booking
// in the day's clinic list. Every page is checked with axe, on a desktop and a phone, by the support code.

const text = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('appointments', () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E({ now: '2026-12-07T10:00:00Z' });
  });
  after(async () => {
    await e2e?.close();
  });

  test('an adviser books session 3 for 10:30 and sees it in the diary', async () => {
    const db = e2e.testApp.db;
    // An open Leeds episode with no outcome; its session 3 added if the demonstration has none to book.
    const row = await db
      .selectFrom('episodes as e')
      .innerJoin('organisations as o', 'o.id', 'e.service_organisation_id')
      .innerJoin('people as p', 'p.id', 'e.person_id')
      .leftJoin('episode_outcomes as x', 'x.episode_id', 'e.id')
      .select(['e.id as episodeId', 'p.given_name', 'p.family_name'])
      .where('o.name', '=', 'Leeds Stop Smoking Service')
      .where('e.closed_at', 'is', null)
      .where('x.episode_id', 'is', null)
      .orderBy('e.created_at')
      .executeTakeFirstOrThrow();
    await db
      .deleteFrom('episode_sessions')
      .where('episode_id', '=', row.episodeId)
      .where('kind', '=', 'week_1')
      .where('attended', 'is', null)
      .execute();
    await db
      .insertInto('episode_sessions')
      .values({ episode_id: row.episodeId, kind: 'week_1', scheduled_on: '2026-12-09' })
      .execute();
    const name = `${row.given_name} ${row.family_name}`;
    await e2e.withUser('adviser@demo.test', async (p) => {
      const { page } = p;
      await p.visit(`/episodes/${row.episodeId}`);
      await p.click(page.getByRole('link', { name: /Appointment for Session 3/ }));
      const book = async (day: string) => {
        await page.getByLabel('Day').fill(day);
        await page.getByLabel('Month').fill('12');
        await page.getByLabel('Year').fill('2026');
        await page.getByLabel('Time').fill('10:30');
        await page.getByRole('radio', { name: 'Face to face' }).check();
        await page
          .getByLabel('Site, for a face to face appointment')
          .selectOption({ label: 'Leeds city centre clinic' });
        await page.getByLabel('Adviser', { exact: true }).selectOption({ label: 'Adam Clarke' });
        await p.submit(page.getByRole('button', { name: /Book appointment|Move appointment/ }));
      };
      await book('25');
      assert.match(
        text(await page.locator('.nhsuk-error-summary').innerText()),
        /Christmas Day \(bank holiday\)/,
      );
      assert.equal(await page.getByLabel('Time').inputValue(), '10:30', 'what was typed is kept');
      await book('9');
      assert.match(text(await page.locator('main').innerText()), /9 December at 10:30/);

      await p.visit('/diary/appointments?date=2026-12-09');
      const main = text(await page.locator('main').innerText());
      assert.match(main, /Clinic list: Leeds city centre clinic/);
      assert.ok(main.includes(`10:30 ${name}`) || main.includes(name), main.slice(0, 400));
      await p.visit('/diary/appointments?view=week&date=2026-12-09');
      assert.match(
        text(await page.locator('main').innerText()),
        new RegExp(`Wednesday 9 December[\\s\\S]*${name}`),
      );
    });
  });
});
