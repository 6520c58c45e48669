import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DatabaseHandle } from '../db/database.ts';
import { createTestDatabase } from '../../test/helpers/test-db.ts';
import { runJobOnce } from './jobs.ts';
import { fixedClock } from './clock.ts';
import { PURGE_SESSIONS_JOB, PURGE_SIGN_IN_RECORDS_JOB } from './security.jobs.ts';
import { createSession, purgeExpiredSessions, resolveSession, sessionExpiry } from './sessions.ts';
import { hashToken } from './tokens.ts';

const HOUR = 3600_000;
const POLICY = { idleMs: 12 * HOUR, maxMs: 24 * HOUR };
const T0 = new Date('2025-06-02T07:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

let handle: DatabaseHandle;
let userId: string;
before(async () => {
  handle = await createTestDatabase();
  const org = await handle.db
    .insertInto('organisations')
    .values({ name: 'Session Test Surgery', type: 'gp_practice', local_authority_code: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  userId = (
    await handle.db
      .insertInto('users')
      .values({
        email: 'session@sessions.test',
        name: 'Sam Session',
        role: 'referrer',
        organisation_id: org.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
});
after(() => handle?.close());

test('a session ends after the idle time, and never later than the absolute lifetime', () => {
  assert.deepEqual(sessionExpiry(T0, T0, POLICY), at(12 * HOUR));
  assert.deepEqual(sessionExpiry(T0, at(6 * HOUR), POLICY), at(18 * HOUR));
  assert.deepEqual(sessionExpiry(T0, at(20 * HOUR), POLICY), at(24 * HOUR));
});

test('used every hour, a session still ends at the absolute lifetime', async () => {
  const token = await createSession(handle.db, userId, POLICY, T0);
  for (let h = 1; h < 24; h++)
    assert.ok(await resolveSession(handle.db, token, POLICY, at(h * HOUR)), `still signed in at hour ${h}`);
  assert.equal(await resolveSession(handle.db, token, POLICY, at(24 * HOUR)), null);
  assert.equal(await resolveSession(handle.db, token, POLICY, at(24 * HOUR + 60_000)), null);
});

test('left alone, a session ends after the idle time', async () => {
  const token = await createSession(handle.db, userId, POLICY, T0);
  assert.ok(await resolveSession(handle.db, token, POLICY, at(12 * HOUR - 1)));
  const other = await createSession(handle.db, userId, POLICY, T0);
  assert.equal(await resolveSession(handle.db, other, POLICY, at(12 * HOUR)), null);
});

test('a shorter absolute lifetime applies to sessions already open', async () => {
  const token = await createSession(handle.db, userId, POLICY, T0);
  assert.ok(await resolveSession(handle.db, token, POLICY, at(2 * HOUR)));
  assert.equal(await resolveSession(handle.db, token, { ...POLICY, maxMs: 2 * HOUR }, at(2 * HOUR)), null);
});

test('ended sessions are purged, and open ones kept', async () => {
  const ended = await createSession(handle.db, userId, POLICY, T0);
  const open = await createSession(handle.db, userId, POLICY, at(20 * HOUR));
  await purgeExpiredSessions(handle.db, at(20 * HOUR));
  const left = await handle.db
    .selectFrom('sessions')
    .select('token_hash')
    .where('token_hash', 'in', [hashToken(ended), hashToken(open)])
    .execute();
  assert.deepEqual(
    left.map((r) => r.token_hash),
    [hashToken(open)],
  );
});

test('the purges run as scheduled jobs', async () => {
  const old = await createSession(handle.db, userId, POLICY, new Date('2000-01-01T00:00:00Z'));
  const current = await createSession(handle.db, userId, POLICY, new Date('2999-01-01T00:00:00Z'));
  await handle.db
    .insertInto('rate_limit_counters')
    .values([
      { key: 'job-test closed', hits: 1, expires_at: new Date('2000-01-01T00:00:00Z') },
      { key: 'job-test open', hits: 1, expires_at: new Date('2999-01-01T00:00:00Z') },
    ])
    .execute();
  const sessions = await runJobOnce(handle.db, PURGE_SESSIONS_JOB, fixedClock('2026-06-01T12:00:00Z'));
  assert.equal(sessions.error, null);
  assert.ok((sessions.affected ?? 0) >= 1);
  const records = await runJobOnce(handle.db, PURGE_SIGN_IN_RECORDS_JOB, fixedClock('2026-06-01T12:00:00Z'));
  assert.equal(records.error, null);
  const tokens = (await handle.db.selectFrom('sessions').select('token_hash').execute()).map(
    (r) => r.token_hash,
  );
  assert.ok(!tokens.includes(hashToken(old)));
  assert.ok(tokens.includes(hashToken(current)));
  const counters = (
    await handle.db
      .selectFrom('rate_limit_counters')
      .select('key')
      .where('key', 'like', 'job-test%')
      .execute()
  ).map((r) => r.key);
  assert.deepEqual(counters, ['job-test open']);
});
