// Load generation: a fixed number of workers, each with one request in flight; and the raw
// single-row INSERT baseline, at the same concurrency.

import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { closedLoop, percentile } from '../load.ts';
import { now, pgClient, sleep } from '../pg-cluster.ts';
import { FAMILY, GIVEN, POSTCODES, S } from './settings.ts';

function referralBody(i: number) {
  return {
    smokingStatus: '1',
    vapingStatus: 'never',
    adviceGiven: 'yes',
    acceptsReferral: 'yes',
    givenName: GIVEN[i % GIVEN.length],
    familyName: FAMILY[Math.floor(i / GIVEN.length) % FAMILY.length],
    dateOfBirth: '1985-06-14',
    postcode: POSTCODES[i % POSTCODES.length],
    phone: '07700 900123',
    contactMethods: ['phone'],
    contactTimes: 'any',
    mentalHealth: 'depression',
    inTalkingTherapies: 'yes',
    consentShareProgress: 'yes',
  };
}

export type Outcome = { status: number; ms: number; id?: string; startedAt: number; error?: string };

export async function postReferral(url: string, key: string, i: number): Promise<Outcome> {
  const startedAt = now();
  try {
    const res = await fetch(`${url}/api/v1/referrals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(referralBody(i)),
      signal: AbortSignal.timeout(S.requestTimeoutMs),
    });
    const text = await res.text();
    const ms = now() - startedAt;
    if (res.status === 201) {
      const id = (JSON.parse(text) as { id?: unknown }).id;
      if (typeof id === 'string') return { status: 201, ms, id, startedAt };
      return { status: 201, ms, startedAt, error: `201 without an id: ${text.slice(0, 200)}` };
    }
    return { status: res.status, ms, startedAt, error: text.slice(0, 300) };
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return {
      status: 0,
      ms: now() - startedAt,
      startedAt,
      error: `${err instanceof Error ? err.message : String(err)}${cause}`,
    };
  }
}

export type LoadResult = {
  completed: number;
  created: number;
  errors: number;
  seconds: number;
  rate: number;
  p50: number;
  p95: number;
  p99: number;
  errorSamples: Map<string, number>;
};

export function summarise(outcomes: Outcome[], seconds: number, ok: (o: Outcome) => boolean): LoadResult {
  const lat = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  const errorSamples = new Map<string, number>();
  let created = 0;
  for (const o of outcomes) {
    if (ok(o)) created++;
    else {
      const k = `${o.status} ${o.error ?? ''}`.slice(0, 160);
      errorSamples.set(k, (errorSamples.get(k) ?? 0) + 1);
    }
  }
  return {
    completed: outcomes.length,
    created,
    errors: outcomes.length - created,
    seconds,
    rate: created / seconds,
    p50: percentile(lat, 50),
    p95: percentile(lat, 95),
    p99: percentile(lat, 99),
    errorSamples,
  };
}

export async function apiThroughput(
  url: string,
  key: string,
  warmupMs: number,
  measureMs: number,
  maxOps: number,
) {
  const { measured, seconds } = await closedLoop(
    { concurrency: S.concurrency, warmupMs, measureMs, maxOps },
    (i) => postReferral(url, key, i),
  );
  return summarise(measured, seconds, (o) => o.status === 201 && o.id !== undefined);
}

/**
 * Samples what the database's client connections are doing (every 100 ms) until `work` settles:
 * average number of connections per state, e.g. "idle in transaction" means waiting for Mortar.
 */
export async function sampleConnections<T>(
  databaseUrl: string,
  database: string,
  work: Promise<T>,
): Promise<{ result: T; states: [string, number][] }> {
  const c = pgClient(databaseUrl);
  await c.connect();
  let done = false;
  const settled = work.finally(() => {
    done = true;
  });
  const tally = new Map<string, number>();
  let samples = 0;
  try {
    while (!done) {
      const r = await c.query<{ state: string | null; wt: string | null; we: string | null }>(
        `select state, wait_event_type as wt, wait_event as we from pg_stat_activity
          where datname = $1 and pid <> pg_backend_pid() and backend_type = 'client backend'`,
        [database],
      );
      samples++;
      for (const row of r.rows) {
        const waiting = row.wt && row.wt !== 'Client' ? ` (${row.wt}:${row.we})` : '';
        const k = `${row.state ?? '?'}${waiting}`;
        tally.set(k, (tally.get(k) ?? 0) + 1);
      }
      await Promise.race([settled.catch(() => undefined), sleep(100)]);
    }
  } finally {
    await c.end();
  }
  const states = [...tally]
    .map(([k, n]): [string, number] => [k, n / Math.max(1, samples)])
    .sort((a, b) => b[1] - a[1]);
  return { result: await settled, states };
}

// Raw single-row INSERT baseline

export async function rawInsertThroughput(databaseUrl: string, pool: pg.Pool): Promise<LoadResult> {
  const setup = pgClient(databaseUrl);
  await setup.connect();
  let sample: Record<string, unknown>;
  try {
    // Same columns, types, defaults, checks and indexes as referrals; LIKE copies no foreign keys.
    await setup.query('drop table if exists bench_raw_referrals');
    await setup.query('create table bench_raw_referrals (like referrals including all)');
    const r =
      await setup.query(`select service_organisation_id, referrer_organisation_id, local_authority_code, advice_record_id, api_key_id
      from referrals where source = 'api' limit 1`);
    if (!r.rows[0]) throw new Error('No API referral to copy ids from');
    sample = r.rows[0] as Record<string, unknown>;
  } finally {
    await setup.end();
  }

  {
    const runTag = randomBytes(4).toString('hex');
    const text = `insert into bench_raw_referrals (reference, source, advice_record_id, referrer_organisation_id, api_key_id,
        service_organisation_id, local_authority_code, given_name, family_name, date_of_birth, postcode, phone,
        contact_methods, contact_times, smoking_status, vaping_status, mental_health, in_talking_therapies, consent_share_progress)
      values ($1, 'api', $2, $3, $4, $5, $6, $7, $8, '1985-06-14', $9, '07700 900123', '{phone}', 'any', '1', 'never',
        'depression', 'yes', true)`;
    const { measured, seconds } = await closedLoop(
      { concurrency: S.concurrency, warmupMs: S.rawWarmupMs, measureMs: S.measureMs, maxOps: S.rawMaxRows },
      async (i) => {
        const startedAt = now();
        try {
          await pool.query(text, [
            `RAW-${runTag}-${i}`,
            sample.advice_record_id,
            sample.referrer_organisation_id,
            sample.api_key_id,
            sample.service_organisation_id,
            sample.local_authority_code,
            GIVEN[i % GIVEN.length],
            FAMILY[Math.floor(i / GIVEN.length) % FAMILY.length],
            POSTCODES[i % POSTCODES.length],
          ]);
          return { status: 201, ms: now() - startedAt, startedAt } as Outcome;
        } catch (err) {
          return {
            status: 0,
            ms: now() - startedAt,
            startedAt,
            error: err instanceof Error ? err.message : String(err),
          } as Outcome;
        }
      },
    );
    return summarise(measured, seconds, (o) => o.status === 201);
  }
}
