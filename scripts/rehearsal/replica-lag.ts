// The production rehearsal's check of what pages say when the replica falls behind: replay on the
// standby is paused while the primary commits, so the standby's figures grow old for real; the pages
// read from it must then say how old they may be, and stop saying so once replay resumes.
// (docs/operations-replica.md, "Checking it with a real replica".)

import { readFileSync } from 'node:fs';
import { pgClient, sleep } from '../../bench/pg-cluster.ts';
import type { Check, Note } from './edge-checks.ts';
import type { ReplicatedDatabase } from './replicated-cluster.ts';

/** Whether this version reads from a replica at all (READ_DATABASE_URL is one of its settings). */
export const replicaSupported = () =>
  readFileSync(new URL('../../src/config.ts', import.meta.url), 'utf8').includes('READ_DATABASE_URL');

/** The notice threshold the instances run with here: short, so the rehearsal need not wait 30 s. */
export const NOTICE_SECONDS = 2;

const standbyAdminUrl = (db: ReplicatedDatabase) => {
  const u = new URL(db.adminUrl);
  u.port = String(db.standby.port);
  return u.toString();
};

async function sql(url: string, text: string) {
  const c = pgClient(url);
  await c.connect();
  try {
    return (await c.query<Record<string, unknown>>(text)).rows[0];
  } finally {
    await c.end();
  }
}

async function notices(origin: string, session: string) {
  const read = async (path: string, cookie?: string) => {
    const res = await fetch(`${origin}${path}`, {
      headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) },
      signal: AbortSignal.timeout(30_000),
    });
    const html = await res.text();
    return { status: res.status, notice: html.includes('data-figures-age'), html };
  };
  return {
    statistics: await read('/statistics/quarterly-returns'),
    dashboard: await read('/national/dashboard', session),
  };
}

export async function lagNoticeChecks(
  db: ReplicatedDatabase,
  origin: string,
  session: string,
  check: Check,
  note: Note,
) {
  if (!replicaSupported()) {
    note('NOTICE: this version has no READ_DATABASE_URL (s24-replica): the lag notice is not checked.');
    return;
  }
  const standby = standbyAdminUrl(db);
  await sql(standby, 'select pg_wal_replay_pause()');
  try {
    // A commit the standby receives and does not replay: its figures now grow old.
    await sql(db.adminUrl, 'create table rehearsal_tick ()');
    await sql(db.adminUrl, 'drop table rehearsal_tick');
    await sleep((NOTICE_SECONDS + 4) * 1000);
    const lag = await sql(standby, 'select extract(epoch from now() - pg_last_xact_replay_timestamp()) as s');
    const behind = await notices(origin, session);
    const age = /These figures may be up to [^<]+/.exec(behind.dashboard.html)?.[0];
    note(`replay paused: the standby is ${Number(lag?.s).toFixed(1)} s behind; the dashboard says "${age}"`);
    check(
      behind.statistics.status === 200 && behind.statistics.notice,
      'published statistics say figures may be missing while the replica is behind',
    );
    check(
      behind.dashboard.status === 200 && behind.dashboard.notice && !!age,
      'the national dashboard says how old its figures may be while the replica is behind',
    );
  } finally {
    await sql(standby, 'select pg_wal_replay_resume()');
  }
  await sleep(4000); // the lag reading is cached for a second or two
  const current = await notices(origin, session);
  check(
    !current.statistics.notice && !current.dashboard.notice,
    'no notice of old figures once the replica has caught up',
  );
}
