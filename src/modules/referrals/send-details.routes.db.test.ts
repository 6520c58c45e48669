// "Send them the details" through HTTP on the real database: after a declined referral the referrer texts
// or emails the person their local service's details; mistakes come back in the error summary with what
// was typed; the number or address is used for the send and kept nowhere, only the advice record and a
// receipt; sends stop after two; nobody else can send for another's advice record.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import { startMortarNotify, type MortarNotify } from '../../../test/helpers/mortar-notify.ts';

const declined = {
  smokingStatus: '1',
  vapingStatus: 'never',
  adviceGiven: 'yes',
  acceptsReferral: 'no',
};
const MOBILE = '07700 900457';
const EMAIL = 'kit.private@example.com';

let t: TestApp;
let referrer: HttpSession;
let notify: MortarNotify;

before(async () => {
  notify = await startMortarNotify();
  t = await buildTestApp({ demo: true, notifier: notify.notifier });
  referrer = await signIn(t.app, 'referrer.gp@demo.test');
});
after(async () => {
  await t.close();
  await notify.fake.close();
});

async function recordDeclined(): Promise<string> {
  const res = await referrer.post('/referrals', declined, { from: '/referrals/new' });
  const id = /^\/referrals\/advice-recorded\/([0-9a-f-]{36})$/.exec(String(res.headers.location))?.[1];
  assert.ok(id, `expected the advice page, got ${res.statusCode} ${res.headers.location}`);
  return id;
}

const errorSummary = (html: string) =>
  /nhsuk-error-summary__list[\s\S]*?<\/ul>/
    .exec(html)?.[0]
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ') ?? '';

const receipts = (adviceId: string) =>
  t.db
    .selectFrom('outbound_messages')
    .selectAll()
    .where('kind', '=', 'self_referral_link')
    .where(sql<boolean>`facts->>'advice_record_id' = ${adviceId}`)
    .orderBy('created_at')
    .execute();

/** Every row of the tables a send could have written to, as text. */
async function storedText(): Promise<string> {
  const tables = ['outbound_messages', 'advice_records', 'audit_events', 'message_links', 'referrals'];
  const dumps = await Promise.all(
    tables.map((name) =>
      sql<{ t: string }>`select coalesce(json_agg(x)::text, '') as t from ${sql.table(name)} x`.execute(t.db),
    ),
  );
  return dumps.map((d) => d.rows[0]!.t).join('\n');
}

test('the advice page offers to send the details; the form explains mistakes and keeps what was typed', async () => {
  const id = await recordDeclined();
  const page = await referrer.get(`/referrals/advice-recorded/${id}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, new RegExp(`href="/referrals/advice-recorded/${id}/send-details"`));

  const url = `/referrals/advice-recorded/${id}/send-details`;
  const bad = await referrer.post(
    url,
    { how: 'sms', phone: '0113 496 0000', postcode: 'LS6 1AN' },
    { from: url },
  );
  assert.equal(bad.statusCode, 400);
  const summary = errorSummary(bad.body);
  assert.match(summary, /Enter a UK mobile number that can get texts/);
  assert.match(summary, /Confirm that they asked for the details/);
  assert.match(bad.body, /value="0113 496 0000"/);
  assert.match(bad.body, /value="LS6 1AN"/);
  const none = await referrer.post(url, {}, { from: url });
  assert.match(errorSummary(none.body), /Select how to send them the details/);
  assert.match(none.body, /href="#how"/);
  assert.deepEqual(await receipts(id), [], 'nothing sent or kept for a form with mistakes');
});

test('a text goes with the local service and the self-referral link; only a receipt is kept', async () => {
  const id = await recordDeclined();
  const before = notify.fake.notifications.length;
  const url = `/referrals/advice-recorded/${id}/send-details`;
  const res = await referrer.post(
    url,
    { how: 'sms', phone: MOBILE, postcode: 'ls6 1an', agreed: 'yes' },
    { from: url },
  );
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, `/referrals/advice-recorded/${id}`);
  assert.equal(notify.fake.notifications.length, before + 1);
  const [receipt, ...more] = await receipts(id);
  assert.equal(more.length, 0);
  const [sent, ...again] = notify.fake.byReference(receipt!.id);
  assert.equal(again.length, 0, "sent once, with the receipt as Notify's reference");
  assert.equal(sent!.type, 'sms');
  assert.equal(sent!.to, MOBILE);
  assert.match(sent!.body, /available from Leeds/);
  assert.match(sent!.body, new RegExp(`${t.config.publicUrl}/self-referral`));
  assert.equal(receipt!.status, 'sent');
  assert.equal(receipt!.channel, 'sms');
  assert.equal(receipt!.notify_id, sent!.id);
  assert.equal(receipt!.person_id, null);
  const stored = await storedText();
  assert.doesNotMatch(stored, /07700 ?900 ?457|\+447700900457/, 'the number is kept nowhere');
  const page = await referrer.get(`/referrals/advice-recorded/${id}`);
  assert.match(page.body, /Text message: sent/);
});

test('an email the second time; a third send is refused and not offered', async () => {
  const id = await recordDeclined();
  const url = `/referrals/advice-recorded/${id}/send-details`;
  await referrer.get(url);
  notify.fake.failNext(1, 503);
  const first = await referrer.post(url, { how: 'email', email: EMAIL, agreed: 'yes' });
  assert.equal(first.statusCode, 303);
  assert.equal((await receipts(id))[0]!.status, 'failed', 'a send Notify refused is a failed receipt');
  assert.match(
    (await referrer.get(`/referrals/advice-recorded/${id}`)).body,
    /The details could not be sent|Email: could not be delivered/,
  );
  const second = await referrer.post(url, { how: 'email', email: EMAIL, agreed: 'yes' }, { from: url });
  assert.equal(second.statusCode, 303);
  const [sent] = notify.fake.byReference((await receipts(id))[1]!.id);
  assert.equal(sent!.to, EMAIL);
  assert.match(sent!.body, /National Smokefree Helpline/, 'no postcode: the helpline');
  assert.match(sent!.body, /\/find-support/);
  assert.deepEqual(
    (await receipts(id)).map((r) => [r.channel, r.status]),
    [
      ['email', 'failed'],
      ['email', 'sent'],
    ],
  );
  assert.doesNotMatch(await storedText(), /kit\.private/, 'the address is kept nowhere');

  const third = await referrer.post(url, { how: 'email', email: EMAIL, agreed: 'yes' });
  assert.equal(third.statusCode, 409);
  assert.match(errorSummary(third.body), /sent 2 times already/);
  assert.equal((await receipts(id)).length, 2);
  assert.doesNotMatch((await referrer.get(`/referrals/advice-recorded/${id}`)).body, /send-details"/);
});

test("another referrer cannot send for someone else's advice record", async () => {
  const id = await recordDeclined();
  const other = await signIn(t.app, 'referrer@demo.test');
  assert.equal((await other.get(`/referrals/advice-recorded/${id}`)).statusCode, 404);
  const url = `/referrals/advice-recorded/${id}/send-details`;
  const res = await other.post(url, { how: 'sms', phone: MOBILE, agreed: 'yes' });
  assert.equal(res.statusCode, 404);
  assert.deepEqual(await receipts(id), []);
  assert.equal((await referrer.get('/referrals/advice-recorded/not-a-uuid')).statusCode, 404);
});
