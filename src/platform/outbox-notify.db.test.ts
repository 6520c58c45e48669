import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DatabaseHandle } from '../db/database.ts';
import { createTestDatabase } from '../../test/helpers/test-db.ts';
import { startMortarNotify, type MortarNotify } from '../../test/helpers/mortar-notify.ts';
import { londonDate, type Clock } from './clock.ts';
import { planMessage, registerMessageKind } from './outbox.ts';
import { recordReceipt } from './outbox-receipts.ts';
import { sendMessage, TryAgainLater, type SenderDeps } from './outbox-sender.ts';
import { createPacer } from './pacer.ts';

// The sender against the fake Notify (test/helpers/fake-notify.ts), which speaks Notify's HTTP API:
// signed tokens, its validation, its rate limit and its errors. Nothing here mocks Mortar's own client.
let handle: DatabaseHandle;
let notify: MortarNotify;
let fakeNow = Date.parse('2027-01-11T09:00:00Z');
const instant = new Date('2027-01-11T09:00:00Z');
const clock: Clock = { now: () => new Date(instant), today: () => londonDate(instant) };
const failures: string[] = [];
let deps: SenderDeps;

registerMessageKind({
  kind: 'notify_test',
  compose: async (_trx, m) => ({
    action: 'send',
    to: String(m.facts.to ?? '07700 900123'),
    template: 'check_in',
    personalisation: {
      weeks: '2 weeks',
      service_name: 'Leeds Stop Smoking Service',
      link: 'https://m.test/m/x',
    },
  }),
  onFailed: async (_trx, m) => void failures.push(m.id),
});
const plan = (to?: string) =>
  planMessage(handle.db, { kind: 'notify_test', channel: 'sms', dueAt: instant, facts: to ? { to } : {} });
const rowOf = (id: string) =>
  handle.db.selectFrom('outbound_messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const queued = async (id: string) => {
  await handle.db.updateTable('outbound_messages').set({ status: 'queued' }).where('id', '=', id).execute();
  return id;
};

before(async () => {
  handle = await createTestDatabase();
});
after(() => handle.close());
beforeEach(async () => {
  await notify?.fake.close();
  notify = await startMortarNotify({ now: () => fakeNow, rateLimit: 3 });
  deps = { db: handle.db, notifier: notify.notifier, clock, publicUrl: 'https://m.test' };
  failures.length = 0;
});
after(() => notify?.fake.close());

test('a message reaches Notify once, with its id as the reference, and Notify id is recorded', async () => {
  const id = await queued(await plan());
  assert.equal(await sendMessage(deps, id), 'sent');
  const [sent, ...more] = notify.fake.byReference(id);
  assert.equal(more.length, 0);
  assert.equal(sent!.type, 'sms');
  assert.match(sent!.body, /^It is 2 weeks since your quit date/);
  assert.equal((await rowOf(id)).notify_id, sent!.id);
});

test('over the rate limit: tried again later, then sent once when the window allows', async () => {
  const ids = [await queued(await plan()), await queued(await plan()), await queued(await plan())];
  for (const id of ids) assert.equal(await sendMessage(deps, id), 'sent');
  const fourth = await queued(await plan());
  await assert.rejects(sendMessage(deps, fourth), (err: unknown) => {
    assert.ok(err instanceof TryAgainLater);
    assert.equal(err.rateLimited, true);
    return true;
  });
  assert.equal(notify.fake.rateLimited.length, 1);
  assert.equal((await rowOf(fourth)).status, 'sending');
  fakeNow += 61_000;
  assert.equal(await sendMessage(deps, fourth), 'sent');
  assert.equal(notify.fake.byReference(fourth).length, 1);
});

test('the pacer keeps the sender under the limit, so Notify never refuses it', async () => {
  // A pacer at the fake's limit, on the fake's clock: each wait moves the fake's time.
  const pacer = createPacer(3, { now: () => fakeNow, sleep: async (ms) => void (fakeNow += ms) });
  for (let i = 0; i < 10; i++) {
    const id = await queued(await plan());
    assert.equal(await sendMessage({ ...deps, pacer }, id), 'sent');
  }
  assert.equal(notify.fake.rateLimited.length, 0);
  assert.equal(notify.fake.notifications.length, 10);
});

test('Notify answered 500 after taking the message: the next try finds it by reference and sends nothing', async () => {
  const id = await queued(await plan());
  notify.fake.failNext(1, 500, { afterProcessing: true });
  await assert.rejects(sendMessage(deps, id), TryAgainLater);
  assert.equal(notify.fake.byReference(id).length, 1);
  assert.equal(await sendMessage(deps, id), 'sent');
  assert.equal(notify.fake.byReference(id).length, 1);
  assert.equal((await rowOf(id)).notify_id, notify.fake.byReference(id)[0]!.id);
});

test('Notify unavailable (503, nothing taken): tried again, then sent once', async () => {
  const id = await queued(await plan());
  notify.fake.failNext(1, 503);
  await assert.rejects(sendMessage(deps, id), TryAgainLater);
  assert.equal(notify.fake.byReference(id).length, 0);
  assert.equal(await sendMessage(deps, id), 'sent');
  assert.equal(notify.fake.byReference(id).length, 1);
});

test('a number Notify refuses fails the message at once and hands it to its kind', async () => {
  const id = await queued(await plan('01632 960001'));
  assert.equal(await sendMessage(deps, id), 'failed');
  const row = await rowOf(id);
  assert.equal(row.status, 'failed');
  assert.match(row.reason ?? '', /Notify refused it \(400\)/);
  assert.ok(!(row.reason ?? '').includes('01632'), 'no number in the reason');
  assert.deepEqual(failures, [id]);
});

test("Notify's failure receipt for a sent message: failed, once", async () => {
  const id = await queued(await plan('07700 900999'));
  notify.fake.failRecipient('07700 900999', 'permanent-failure');
  assert.equal(await sendMessage(deps, id), 'sent');
  const [n] = notify.fake.byReference(id);
  const receipt = await notify.fake.deliver(n!.id);
  assert.equal(receipt.status, 'permanent-failure');
  assert.equal(
    await recordReceipt(handle.db, { id: n!.id, reference: id, status: receipt.status }, instant),
    'failed',
  );
  assert.deepEqual(failures, [id]);
});
