import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../db/database.ts';
import { createTestDatabase } from '../../test/helpers/test-db.ts';
import { londonDate, type Clock } from './clock.ts';
import { migrateJobQueue, startJobQueue } from './job-queue.ts';
import { LogNotifier, SmtpNotifier } from './notify.ts';
import { findMessageLink, planMessage, registerMessageKind, type OutboundMessage } from './outbox.ts';
import { recordReceipt } from './outbox-receipts.ts';
import { sendDueMessages, sendMessage, sendNow, type SenderDeps } from './outbox-sender.ts';
import { messageWorkQueue } from './outbox-worker.ts';
import { startMortarNotify } from '../../test/helpers/mortar-notify.ts';

// The sender through the real database engine, with the log transport (Notify's own behaviour, its
// rate limit and errors, is exercised against the fake Notify server in outbox-notify.db.test.ts).
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
let handle: DatabaseHandle;
const instant = new Date('2027-01-11T09:00:00Z');
const clock: Clock = { now: () => new Date(instant), today: () => londonDate(instant) };
let notifier: LogNotifier;
const deps = (): SenderDeps => ({ db: handle.db, notifier, clock, publicUrl: 'https://mortar.test' });

// A kind for these tests only: its facts say what the composer decides.
const failures: string[] = [];
registerMessageKind({
  kind: 'sender_test',
  compose: async (_trx, m: OutboundMessage, ctx) => {
    if (m.facts.skip) return { action: 'skip', reason: 'the test said skip' };
    if (m.facts.later) return { action: 'later', dueAt: new Date(ctx.now.getTime() + 3_600_000) };
    const link = m.facts.link ? await ctx.link('/m/', new Date(ctx.now.getTime() + 86_400_000)) : '';
    return {
      action: 'send',
      to: m.channel === 'sms' ? '07700 900123' : 'sam@example.com',
      template: 'check_in',
      personalisation: { weeks: '1 week', service_name: 'Test Service', link },
    };
  },
  onFailed: async (trx, m) => {
    failures.push(m.id);
    await trx
      .insertInto('job_runs')
      .values({
        job: `failed ${m.id}`,
        started_at: new Date(),
        finished_at: new Date(),
        affected: 0,
        error: null,
      })
      .execute();
  },
});

const plan = (
  facts: Record<string, string | number | boolean> = {},
  dueAt = instant,
  channel: 'sms' | 'email' = 'sms',
) => planMessage(handle.db, { kind: 'sender_test', channel, dueAt, facts });
const statusOf = async (id: string) =>
  handle.db.selectFrom('outbound_messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

before(async () => {
  handle = await createTestDatabase();
  await migrateJobQueue(handle.db);
});
after(() => handle.close());
beforeEach(() => {
  notifier = new LogNotifier(quiet, 1000);
  failures.length = 0;
});

describe('sending what is due', () => {
  test('a due message is composed from the record and sent with its id as the reference; one not due waits', async () => {
    const due = await plan();
    const notYet = await plan({}, new Date(instant.getTime() + 60_000));
    const counts = await sendDueMessages(deps());
    assert.equal(counts.sent, 1);
    assert.equal(notifier.outbox.length, 1);
    assert.equal(notifier.outbox[0]!.reference, due);
    assert.match(notifier.outbox[0]!.sms, /^It is 1 week since your quit date/);
    const row = await statusOf(due);
    assert.equal(row.status, 'sent');
    assert.equal(row.notify_id, notifier.outbox[0]!.id);
    assert.equal(row.attempts, 1);
    assert.equal((await statusOf(notYet)).status, 'scheduled');
  });

  test('the composer can skip a message with a reason, or move it later', async () => {
    const skipped = await plan({ skip: true });
    const later = await plan({ later: true });
    const counts = await sendDueMessages(deps());
    assert.deepEqual([counts.skipped, counts.later, counts.sent], [1, 1, 0]);
    assert.equal((await statusOf(skipped)).reason, 'the test said skip');
    const moved = await statusOf(later);
    assert.equal(moved.status, 'scheduled');
    assert.equal(moved.due_at.getTime(), instant.getTime() + 3_600_000);
    assert.equal(notifier.outbox.length, 0);
  });

  test('a one-time link is kept as its hash, and finds its message', async () => {
    const id = await plan({ link: true });
    await sendDueMessages(deps());
    const url = notifier.outbox[0]!.personalisation.link!;
    const token = url.replace('https://mortar.test/m/', '');
    assert.notEqual(token, url);
    const stored = await handle.db
      .selectFrom('message_links')
      .selectAll()
      .where('message_id', '=', id)
      .executeTakeFirstOrThrow();
    assert.notEqual(stored.token_hash, token);
    assert.equal((await findMessageLink(handle.db, token))?.message.id, id);
    // The last character changed to one it is not: a random token can end in any of them.
    const changed = `${token.slice(0, -1)}${token.endsWith('x') ? 'y' : 'x'}`;
    assert.equal(await findMessageLink(handle.db, changed), null);
  });

  test('a message claimed by a run that died after sending is recorded, not sent again', async () => {
    const id = await plan();
    // The earlier run: claimed, sent, then its instance stopped before recording.
    await handle.db
      .updateTable('outbound_messages')
      .set({ status: 'sending' })
      .where('id', '=', id)
      .execute();
    const first = await notifier.sendOne({
      channel: 'sms',
      to: '07700 900123',
      template: 'check_in',
      personalisation: {},
      reference: id,
    });
    assert.equal(await sendMessage(deps(), id), 'sent');
    assert.equal(notifier.outbox.length, 1);
    assert.equal((await statusOf(id)).notify_id, first.id);
    // A claimed message that never reached the transport is sent.
    const other = await plan();
    await handle.db
      .updateTable('outbound_messages')
      .set({ status: 'sending' })
      .where('id', '=', other)
      .execute();
    assert.equal(await sendMessage(deps(), other), 'sent');
    assert.equal(notifier.outbox.length, 2);
    // Two runs of the same message: the second finds it sent and does nothing.
    assert.equal(await sendMessage(deps(), other), 'done');
    assert.equal(notifier.outbox.length, 2);
  });

  test('a message the transport refuses is failed at once, and its kind decides what follows', async () => {
    // SMTP cannot send texts: Notify would refuse a bad number the same way (400).
    const smtp = new SmtpNotifier({ transport: 'smtp', url: 'smtp://127.0.0.1:1', from: 'a@example.com' });
    const id = await plan();
    const counts = await sendDueMessages({ ...deps(), notifier: smtp });
    assert.equal(counts.failed, 1);
    const row = await statusOf(id);
    assert.equal(row.status, 'failed');
    assert.match(row.reason ?? '', /refused/);
    assert.deepEqual(failures, [id]);
    const recorded = await handle.db
      .selectFrom('job_runs')
      .select('job')
      .where('job', '=', `failed ${id}`)
      .execute();
    assert.equal(recorded.length, 1);
  });

  test('sendNow sends to an address given now and keeps a receipt without it', async () => {
    const result = await sendNow(
      deps(),
      { kind: 'self_referral_link', channel: 'email' },
      {
        to: 'keep.me.not@example.com',
        template: 'self_referral_link',
        personalisation: { service_name: 'S', contact: 'Call 1', link: 'L' },
      },
    );
    assert.equal(result.ok, true);
    const row = await statusOf(result.id);
    assert.equal(row.status, 'sent');
    assert.ok(!JSON.stringify(row).includes('keep.me.not'));
  });
});

describe('delivery receipts', () => {
  test('delivered, then failures: failed once, whatever Notify repeats; unknown ids are ignored', async () => {
    const id = await plan();
    await sendDueMessages(deps());
    const notifyId = (await statusOf(id)).notify_id!;
    assert.equal(
      await recordReceipt(handle.db, { id: notifyId, reference: id, status: 'delivered' }, instant),
      'delivered',
    );
    assert.equal((await statusOf(id)).status, 'delivered');
    // A delivered message does not fail afterwards.
    assert.equal(
      await recordReceipt(handle.db, { id: notifyId, status: 'permanent-failure' }, instant),
      'unchanged',
    );

    const other = await plan();
    await sendDueMessages(deps());
    const otherNotify = (await statusOf(other)).notify_id!;
    assert.equal(
      await recordReceipt(handle.db, { id: otherNotify, status: 'permanent-failure' }, instant),
      'failed',
    );
    assert.equal(
      await recordReceipt(handle.db, { id: otherNotify, status: 'permanent-failure' }, instant),
      'unchanged',
    );
    assert.deepEqual(failures, [other]);
    assert.match((await statusOf(other)).reason ?? '', /does not exist/);
    assert.equal(
      await recordReceipt(handle.db, { id: 'no-such', reference: 'MOR-1', status: 'delivered' }, instant),
      'unknown',
    );
  });
});

describe('on the job queue', () => {
  test('each due message becomes one job under its own id, sent once however often it is offered', async () => {
    const ids = [await plan(), await plan(), await plan()];
    const queue = messageWorkQueue(deps(), { concurrency: 2 });
    const q1 = await startJobQueue(handle.db, quiet, {
      clock,
      intervalMs: 60_000,
      pollMs: null,
      jobs: [],
      supervise: false,
      workQueues: [queue],
    });
    const q2 = await startJobQueue(handle.db, quiet, {
      clock,
      intervalMs: 60_000,
      pollMs: null,
      jobs: [],
      supervise: false,
      workQueues: [queue],
    });
    try {
      await Promise.all([q1.tick(), q2.tick(), q1.tick()]);
      await q2.tick();
    } finally {
      await q1.stop();
      await q2.stop();
    }
    const refs = notifier.outbox.map((m) => m.reference).sort();
    assert.deepEqual(refs, [...ids].sort());
    for (const id of ids) assert.equal((await statusOf(id)).status, 'sent');
    const { rows } = await sql<{ n: number; done: number }>`
      select count(*)::int as n, count(*) filter (where state = 'completed')::int as done
      from pgboss.job where name = 'send-message' and id = any(${ids}::uuid[])`.execute(handle.db);
    assert.deepEqual(rows[0], { n: 3, done: 3 });
  });

  test('a message whose send keeps failing is tried again with back-off, then failed on the last try', async () => {
    const id = await plan();
    // The fake Notify, down for every try.
    const notify = await startMortarNotify();
    after(() => notify.fake.close());
    notify.fake.failNext(100, 503);
    const queue = messageWorkQueue({ ...deps(), notifier: notify.notifier });
    const q = await startJobQueue(handle.db, quiet, {
      clock,
      intervalMs: 60_000,
      pollMs: null,
      jobs: [],
      supervise: false,
      workQueues: [queue],
    });
    try {
      await q.tick();
      const { rows } = await sql<{ state: string; retry_count: number }>`
        select state, retry_count from pgboss.job where name = 'send-message' and id = ${id}::uuid`.execute(
        handle.db,
      );
      assert.equal(rows[0]!.state, 'retry');
      assert.equal((await statusOf(id)).status, 'sending');
      // Make the next fetch its last try.
      await sql`update pgboss.job set retry_count = retry_limit, start_after = now() where id = ${id}::uuid`.execute(
        handle.db,
      );
      await q.tick();
    } finally {
      await q.stop();
    }
    assert.equal((await statusOf(id)).status, 'failed');
    assert.deepEqual(failures, [id]);
  });
});
