import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixedClock } from '../../src/platform/clock.ts';
import { LogNotifier } from '../../src/platform/notify.ts';
import { sendDueMessages } from '../../src/platform/outbox-sender.ts';
import { PHONE, startE2E, type E2E } from './support.ts';

// Issue 13's journey: an adviser records that the person agrees to texts and books session 3 for 10:30;
// the reminder goes the day before; the week 1 check-in's link is opened on a phone with JavaScript off
// and answered "I've smoked"; the adviser sees that task first on the caseload. The sender runs as the
// job queue would, with its clock moved to each day. Every page is checked with axe by the support code.

const text = (s: string) => s.replace(/\s+/g, ' ').trim();
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('check-in', () => {
  let e2e: E2E;
  const notifier = new LogNotifier(quiet, 1000);
  before(async () => {
    // Monday 7 December 2026, 10:00.
    e2e = await startE2E({ now: '2026-12-07T10:00:00Z', notifier });
  });
  after(async () => {
    await e2e?.close();
  });

  test('the reminder goes the day before; "I\'ve smoked" from the link on a phone heads the caseload', async () => {
    const db = e2e.testApp.db;
    const row = await db
      .selectFrom('episodes as e')
      .innerJoin('organisations as o', 'o.id', 'e.service_organisation_id')
      .innerJoin('people as p', 'p.id', 'e.person_id')
      .leftJoin('episode_outcomes as x', 'x.episode_id', 'e.id')
      .select(['e.id as episodeId', 'e.person_id', 'p.given_name', 'p.family_name'])
      .where('o.name', '=', 'Leeds Stop Smoking Service')
      .where('e.closed_at', 'is', null)
      .where('x.episode_id', 'is', null)
      // Not Morgan Hughes, who agreed to texts in the demonstration: this person has not been asked yet.
      .where('p.given_name', '<>', 'Morgan')
      .orderBy('e.created_at')
      .executeTakeFirstOrThrow();
    // Quit date Wednesday 2 December: session 3 (week 1) and the week 1 check-in fall on 9 December.
    await db
      .updateTable('episodes')
      .set({ started_on: '2026-11-25', quit_date: '2026-12-02' })
      .where('id', '=', row.episodeId)
      .execute();
    await db.updateTable('people').set({ phone: '07700 900601' }).where('id', '=', row.person_id).execute();
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
    // Someone else's undelivered message, raised earlier: the answer still comes first.
    const other = await db
      .selectFrom('episodes as e')
      .innerJoin('organisations as o', 'o.id', 'e.service_organisation_id')
      .select('e.id')
      .where('o.name', '=', 'Leeds Stop Smoking Service')
      .where('e.id', '<>', row.episodeId)
      .executeTakeFirstOrThrow();
    await db
      .insertInto('message_tasks')
      .values({
        episode_id: other.id,
        message_id: null,
        kind: 'not_delivered',
        raised_at: new Date('2026-12-01T09:00:00Z'),
      })
      .execute();
    const name = `${row.given_name} ${row.family_name}`;

    await e2e.withUser('adviser@demo.test', async (p) => {
      const { page } = p;
      await p.visit(`/episodes/${row.episodeId}`);
      await p.click(page.getByRole('link', { name: /Change reminders and check-ins/ }));
      await p.submit(page.getByRole('button', { name: 'Save' }));
      assert.match(text(await page.locator('.nhsuk-error-summary').innerText()), /Select whether they agree/);
      await page.getByRole('radio', { name: 'Yes' }).check();
      await page.getByRole('radio', { name: 'Text message' }).check();
      await p.submit(page.getByRole('button', { name: 'Save' }));
      assert.match(text(await page.locator('main').innerText()), /Text message, 9am to 8pm/);

      await p.click(page.getByRole('link', { name: /Appointment for Session 3/ }));
      await page.getByLabel('Day').fill('9');
      await page.getByLabel('Month').fill('12');
      await page.getByLabel('Year').fill('2026');
      await page.getByLabel('Time').fill('10:30');
      await page.getByRole('radio', { name: 'Face to face' }).check();
      await page
        .getByLabel('Site, for a face to face appointment')
        .selectOption({ label: 'Leeds city centre clinic' });
      await page.getByLabel('Adviser', { exact: true }).selectOption({ label: 'Adam Clarke' });
      await p.submit(page.getByRole('button', { name: /Book appointment/ }));
      assert.match(text(await page.locator('main').innerText()), /9 December at 10:30/);
    });

    const send = (at: string) =>
      sendDueMessages({ db, notifier, clock: fixedClock(at), publicUrl: e2e.baseUrl });
    // Tuesday 8 December, 09:00: the reminder, and nothing else yet.
    // Only this person's messages: others in the demonstration (Morgan Hughes) get theirs too.
    const theirs = () => notifier.outbox.filter((m) => m.to.phone === '+447700900601');
    await send('2026-12-08T08:59:00Z');
    assert.equal(theirs().length, 0);
    await send('2026-12-08T09:00:00Z');
    assert.equal(theirs().length, 1);
    assert.match(
      theirs()[0]!.sms,
      /tomorrow, Wednesday 9 December at 10:30am\. It is at Leeds city centre clinic/,
    );
    // Wednesday 9 December, 09:00: the week 1 check-in, with its link.
    await send('2026-12-09T09:00:00Z');
    const checkIn = theirs().find((m) => m.template === 'check_in');
    assert.ok(checkIn, 'the check-in was sent');
    assert.doesNotMatch(checkIn.sms, new RegExp(row.given_name), 'no name in the text');
    const link = new URL(/(http:\/\/\S+\/m\/[\w-]+)/.exec(checkIn.sms)![1]!);

    // The person, on a phone, with JavaScript off.
    const person = await e2e.newPage({ javaScriptEnabled: false });
    await person.page.setViewportSize(PHONE);
    await person.visit(link.pathname);
    await person.submit(person.page.getByRole('button', { name: 'Send my answer' }));
    assert.match(
      text(await person.page.locator('.nhsuk-error-summary').innerText()),
      /Select how things are going/,
    );
    await person.page.getByLabel('I’ve smoked').check();
    await person.submit(person.page.getByRole('button', { name: 'Send my answer' }));
    const thanks = text(await person.page.locator('main').innerText());
    assert.match(thanks, /Having a cigarette after you have stopped is common/);
    assert.match(thanks, /Samaritans/);
    await person.visit(link.pathname);
    assert.match(text(await person.page.locator('main').innerText()), /You have already answered/);
    await person.close();

    await e2e.withUser('adviser@demo.test', async (p) => {
      const { page } = p;
      await p.visit('/episodes');
      // Answers that need a call come first (Morgan's "Please call me" from the demonstration among them),
      // then the undelivered message, however much older.
      const rows = (await page.locator('#message-tasks tbody tr').allInnerTexts()).map(text);
      const ours = rows.findIndex((r) => r.includes('Said they have smoked') && r.includes(name));
      const undelivered = rows.findIndex((r) => r.includes('A message could not be delivered'));
      assert.ok(ours >= 0 && ours < undelivered, rows.join('\n'));
      assert.ok(
        rows.slice(0, ours).every((r) => /Said they have smoked|Asked to be called/.test(r)),
        rows.join('\n'),
      );
      const first = page.locator('#message-tasks tbody tr').nth(ours);
      await p.click(first.getByRole('link', { name: 'Said they have smoked' }));
      await page.getByLabel('What did you do?').fill('Called; they smoked at a party. Agreed to carry on.');
      await p.submit(page.getByRole('button', { name: 'Mark as done' }));
      assert.match(text(await page.locator('main').innerText()), /Called; they smoked at a party/);
    });
    const outcome = await db
      .selectFrom('episode_outcomes')
      .select('outcome')
      .where('episode_id', '=', row.episodeId)
      .executeTakeFirst();
    assert.equal(outcome, undefined, 'the answer records no four-week outcome');
  });
});
