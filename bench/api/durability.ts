// Durability: SIGKILL Mortar mid-burst; every referral acknowledged with a 201 must be in the database.

import { now, pgClient, sleep } from '../pg-cluster.ts';
import type { Mortar } from './mortar.ts';
import { postReferral, type Outcome } from './referral-load.ts';
import { S } from './settings.ts';

export type Durability = {
  acknowledged: number;
  found: number;
  withReceivedEvent: number;
  withAuditRow: number;
  /** Acknowledged referrals missing from the database, or there without their 'received' event. */
  lost: number;
  failedAtKill: number;
  /** Referrals committed whose 201 never reached the client (the kill cut the response); undefined if not counted. */
  committedUnacknowledged: number | undefined;
  orphanAdvice: number;
  failedBeforeKill: number;
  burstSeconds: number;
};

/** pg.Client and PGlite both answer this. */
export type Queryable = { query: (text: string, params?: unknown[]) => Promise<{ rows: unknown[] }> };

async function countOf(db: Queryable, text: string, params: unknown[] = []): Promise<number> {
  const row = (await db.query(text, params)).rows[0] as { n: number | string | bigint };
  return Number(row.n);
}

const countByKey = (db: Queryable, keyId: string) =>
  countOf(db, 'select count(*) as n from referrals where api_key_id = $1', [keyId]);

/** Concurrent POSTs; after `killAfterMs`, SIGKILL Mortar. Every response is kept. */
export async function burstAndKill(m: Mortar, key: string) {
  let killedAt = Infinity;
  const outcomes: Outcome[] = [];
  const t0 = now();
  const cap = t0 + S.burstCapMs;
  let i = 0;
  const worker = async () => {
    while (now() < cap && now() < killedAt && i < S.burstMaxRequests)
      outcomes.push(await postReferral(m.url, key, i++));
  };
  const workers = Promise.all(Array.from({ length: S.concurrency }, worker));
  await sleep(S.killAfterMs);
  killedAt = now();
  m.child.kill('SIGKILL');
  await m.exited;
  await workers;
  return { outcomes, killedAt, burstSeconds: (killedAt - t0) / 1000 };
}

/** Looks up every acknowledged referral in the database, after the kill. */
export async function verifyAcknowledged(
  db: Queryable,
  burst: Awaited<ReturnType<typeof burstAndKill>>,
  committedSinceBefore: (() => Promise<number>) | undefined,
): Promise<Durability> {
  const { outcomes, killedAt } = burst;
  const ids = [...new Set(outcomes.filter((o) => o.status === 201 && o.id !== undefined).map((o) => o.id!))];
  const list = [ids.join(',')]; // as one text parameter: the same for pg and PGlite
  const found = await countOf(
    db,
    `select count(*) as n from referrals where id = any(string_to_array($1, ',')::uuid[])`,
    list,
  );
  const withReceivedEvent = await countOf(
    db,
    `select count(distinct referral_id) as n from referral_events
      where kind = 'received' and referral_id = any(string_to_array($1, ',')::uuid[])`,
    list,
  );
  const withAuditRow = await countOf(
    db,
    `select count(distinct entity_id) as n from audit_events
      where entity_type = 'referral' and action = 'create' and entity_id = any(string_to_array($1, ','))`,
    list,
  );
  const orphanAdvice = await countOf(
    db,
    `select count(*) as n from advice_records a
      where a.outcome = 'referred' and not exists (select 1 from referrals r where r.advice_record_id = a.id)`,
  );
  return {
    acknowledged: ids.length,
    found,
    withReceivedEvent,
    withAuditRow,
    lost: ids.length - Math.min(found, withReceivedEvent),
    failedAtKill: outcomes.filter(
      (o) => o.status !== 201 && o.startedAt <= killedAt && o.startedAt + o.ms >= killedAt,
    ).length,
    committedUnacknowledged: committedSinceBefore ? (await committedSinceBefore()) - found : undefined,
    orphanAdvice,
    failedBeforeKill: outcomes.filter((o) => o.status !== 201 && o.startedAt + o.ms < killedAt).length,
    burstSeconds: burst.burstSeconds,
  };
}

export async function durability(
  m: Mortar,
  databaseUrl: string,
  key: string,
  keyId: string,
): Promise<Durability> {
  const db = pgClient(databaseUrl);
  await db.connect();
  try {
    const before = await countByKey(db, keyId);
    const burst = await burstAndKill(m, key);
    return await verifyAcknowledged(db, burst, async () => (await countByKey(db, keyId)) - before);
  } finally {
    await db.end();
  }
}

export const durabilityFailed = (d: Durability) =>
  d.lost > 0 || d.withAuditRow < d.acknowledged || d.orphanAdvice > 0;
