// Notify calls Mortar back over HTTP: the fake Notify (test/helpers/fake-notify.ts) posts its delivery
// receipts and received texts, exactly as Notify does, to a listening Mortar. Without the bearer token set
// in Notify, both are refused; a receipt marks the message; STOP stops the person's messages.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { buildTestApp, type TestApp } from '../../test/helpers/test-app.ts';
import { signIn, type HttpSession } from '../../test/helpers/http-session.ts';
import { startMortarNotify, type MortarNotify } from '../../test/helpers/mortar-notify.ts';
import { assessAndPlan, giveConsent, messagesOf, newPerson } from '../modules/messages/messages.fixtures.ts';
import { fixedClock } from './clock.ts';
import { sendDueMessages } from './outbox-sender.ts';

const TOKEN = 'a-long-callback-token-for-tests-0123456789';
// Wednesday 25 March 2026, 10:00 GMT.
const NOW = '2026-03-25T10:00:00Z';
let t: TestApp;
let adviser: HttpSession;
let notify: MortarNotify;
let base: string;

before(async () => {
  t = await buildTestApp({ demo: true, now: NOW, env: { NOTIFY_CALLBACK_TOKEN: TOKEN } });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  notify = await startMortarNotify({
    deliveryReceipts: { url: `${base}/notify/receipts`, bearerToken: TOKEN },
    inboundSms: { url: `${base}/notify/inbound`, bearerToken: TOKEN },
  });
  adviser = await signIn(t.app, 'adviser@demo.test');
});
after(async () => {
  await notify.fake.close();
  await t.close();
});

const send = (at: string) =>
  sendDueMessages({ db: t.db, notifier: notify.notifier, clock: fixedClock(at), publicUrl: base });

test('without the token, or with a wrong one, both callbacks are refused with a problem document', async () => {
  for (const path of ['/notify/receipts', '/notify/inbound']) {
    for (const authorization of [undefined, 'Bearer wrong', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`]) {
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({
          id: 'x',
          status: 'delivered',
          source_number: '447700900123',
          message: 'STOP',
        }),
      });
      assert.equal(res.status, 401, `${path} ${authorization}`);
      assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
    }
  }
  const bad = await fetch(`${base}/notify/receipts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ nothing: true }),
  });
  assert.equal(bad.status, 400);
});

test('receipts from Notify mark messages delivered or failed; a failed text becomes a task', async () => {
  const ok = await newPerson(adviser, 'Receiptok', { phone: '07700 900501' });
  const gone = await newPerson(adviser, 'Receiptgone', { phone: '07700 900502' });
  for (const p of [ok, gone]) {
    await giveConsent(adviser, p.episodeId);
    await assessAndPlan(adviser, p.episodeId, '2026-03-25', '2026-03-26');
  }
  notify.fake.failRecipient('07700 900502', 'permanent-failure');
  // The week 1 check-in falls due on 2 April at 09:00 in England (08:00 UTC, summer time).
  const counts = await send('2026-04-02T08:30:00Z');
  assert.ok(counts.sent >= 2, JSON.stringify(counts));
  await notify.fake.deliverAll();
  await notify.fake.settled();
  const receipts = notify.fake.callbacks.filter((c) => c.kind === 'receipt');
  assert.ok(receipts.length >= 2 && receipts.every((c) => c.status === 204), JSON.stringify(receipts));
  const okMessage = (await messagesOf(t.db, ok.episodeId)).find(
    (m) => m.kind === 'check_in' && m.status !== 'scheduled',
  );
  assert.equal(okMessage?.status, 'delivered');
  const goneMessage = (await messagesOf(t.db, gone.episodeId)).find(
    (m) => m.kind === 'check_in' && m.status !== 'scheduled',
  );
  assert.equal(goneMessage?.status, 'failed');
  const tasks = await t.db
    .selectFrom('message_tasks')
    .select('kind')
    .where('episode_id', '=', gone.episodeId)
    .execute();
  assert.deepEqual(
    tasks.map((x) => x.kind),
    ['not_delivered'],
  );
});

test('a STOP reply through Notify stops the person and cancels what is planned; other words change nothing', async () => {
  const p = await newPerson(adviser, 'Replystop', { phone: '07700 900503' });
  await giveConsent(adviser, p.episodeId);
  await assessAndPlan(adviser, p.episodeId, '2026-03-25', '2026-03-27');
  await notify.fake.receiveText('447700900503', 'Thanks, see you Friday');
  assert.ok((await messagesOf(t.db, p.episodeId)).some((m) => m.status === 'scheduled'));
  const stopped = await notify.fake.receiveText('447700900503', 'Stop');
  assert.equal(stopped?.status, 204);
  assert.ok((await messagesOf(t.db, p.episodeId)).every((m) => m.status === 'cancelled'));
  const prefs = await t.db
    .selectFrom('message_preferences')
    .select('stopped_how')
    .where('person_id', '=', p.personId)
    .executeTakeFirstOrThrow();
  assert.equal(prefs.stopped_how, 'reply');
});

test('with no token configured, callbacks are refused', async () => {
  const plain = await buildTestApp();
  try {
    const res = await plain.app.inject({
      method: 'POST',
      url: '/notify/receipts',
      headers: { authorization: 'Bearer ', 'content-type': 'application/json' },
      payload: { id: 'x', status: 'delivered' },
    });
    assert.equal(res.statusCode, 401);
  } finally {
    await plain.close();
  }
});
