// What bench/faults.ts measures besides the requests themselves: whether every acknowledged referral is
// on the primary exactly once, what a failed request was (by kind), the replica's lag sampled from the
// primary, and the CPU each part of the topology used during a phase.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pgClient, sleep } from './pg-cluster.ts';
import { clusterCpu, machineCpuSeconds, procCpu, single, type CpuProbe, type CpuUse } from './cpu.ts';
import { percentile } from './load.ts';
import type { Traffic } from '../scripts/rehearsal/traffic.ts';

/** A failed request's kind: its status ("503"), or the error a client saw ("ECONNRESET"). */
export function failureKind(detail: string): string {
  const status = /^(\d{3})\b/.exec(detail)?.[1];
  if (status) return status;
  return /\(([A-Z_]+)\)/.exec(detail)?.[1] ?? detail.slice(0, 40);
}

export const byKind = (details: string[]) => {
  const out: Record<string, number> = {};
  for (const d of details) out[failureKind(d)] = (out[failureKind(d)] ?? 0) + 1;
  const list = Object.entries(out).sort((a, b) => b[1] - a[1]);
  return list.length ? list.map(([k, n]) => `${k} x${n}`).join(', ') : 'none';
};

export type Tally = {
  acknowledged: number;
  /** Acknowledged ids not found on the primary. */
  lost: number;
  /** Idempotency-Keys with more than one referral, or answered with two different ids. */
  duplicated: number;
  /** Referrals the primary holds for this phase's key that no client was told of (cut off mid-answer). */
  unacknowledged: number;
};

/** Every referral acknowledged during a phase (each phase has its own API key) against the primary. */
export async function tally(primaryUrl: string, keyId: string, t: Traffic): Promise<Tally> {
  const ids = [...new Set(t.acknowledged.map((a) => a.id))];
  const idOfKey = new Map<string, Set<string>>();
  for (const a of t.acknowledged) idOfKey.set(a.key, (idOfKey.get(a.key) ?? new Set()).add(a.id));
  const answeredTwice = [...idOfKey.values()].filter((s) => s.size > 1).length;
  const c = pgClient(primaryUrl);
  await c.connect();
  try {
    const r = await c.query<{ found: number; made: number; dup: number }>(
      `select (count(*) filter (where id = any($2::uuid[])))::int as found, count(*)::int as made,
              (count(*) - count(distinct idempotency_key))::int as dup
         from referrals where api_key_id = $1`,
      [keyId, ids],
    );
    const row = r.rows[0]!;
    return {
      acknowledged: ids.length,
      lost: ids.length - row.found,
      duplicated: row.dup + answeredTwice,
      unacknowledged: row.made - row.found,
    };
  } finally {
    await c.end();
  }
}

type LagSample = { writeMs: number; flushMs: number; replayMs: number; bytes: number };

/**
 * Samples pg_stat_replication on the primary every `everyMs` until stopped. A lag column the primary
 * shows as NULL (nothing waiting to be confirmed) counts as 0 ms.
 */
export function sampleLag(adminUrl: string, everyMs: number) {
  const samples: LagSample[] = [];
  let stopping = false;
  const ms = (col: string) => `coalesce(extract(epoch from ${col}) * 1000, 0)::float8`;
  const running = (async () => {
    const c = pgClient(adminUrl);
    await c.connect();
    try {
      while (!stopping) {
        const r = await c.query<{ w: number; f: number; r: number; bytes: string | null }>(
          `select ${ms('write_lag')} as w, ${ms('flush_lag')} as f, ${ms('replay_lag')} as r,
                  pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint as bytes
             from pg_stat_replication where application_name = 'standby_1'`,
        );
        const row = r.rows[0];
        if (row)
          samples.push({ writeMs: row.w, flushMs: row.f, replayMs: row.r, bytes: Number(row.bytes ?? 0) });
        await sleep(everyMs);
      }
    } finally {
      await c.end();
    }
  })();
  return {
    stop: async () => {
      stopping = true;
      await running;
      return samples;
    },
  };
}

export function lagSummary(samples: LagSample[]) {
  const sorted = (f: (s: LagSample) => number) => samples.map(f).sort((a, b) => a - b);
  const stats = (xs: number[]) => ({
    p50: percentile(xs, 50),
    p99: percentile(xs, 99),
    max: xs.at(-1) ?? NaN,
  });
  return {
    samples: samples.length,
    replayMs: stats(sorted((s) => s.replayMs)),
    bytes: stats(sorted((s) => s.bytes)),
    writeMs: stats(sorted((s) => s.writeMs)),
    flushMs: stats(sorted((s) => s.flushMs)),
  };
}

/** A cluster's postmaster pid, read afresh each time: a restart gives it a new one. */
const postmasterPid = (data: string) => {
  const file = join(data, 'postmaster.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : undefined;
};

/** The probes for withCpu: the machine, the instances, both clusters, nginx and this process. */
export function topologyProbes(parts: {
  instancePids: () => (number | undefined)[];
  primaryData: string;
  standbyData: string;
  nginxPidFile: string;
}): CpuProbe[] {
  const tree = (pid: number | undefined) => (pid ? clusterCpu(pid) : new Map<string, number>());
  return [
    { label: 'whole machine', read: () => single(machineCpuSeconds()) },
    {
      label: 'Mortar instances',
      // An instance killed during the phase is left out (its time is lost), not counted as 0.
      read: () => {
        const out = new Map<string, number>();
        for (const p of parts.instancePids()) {
          const secs = p ? procCpu(p)?.secs : undefined;
          if (secs !== undefined) out.set(String(p), secs);
        }
        return out;
      },
    },
    { label: 'PostgreSQL primary', read: () => tree(postmasterPid(parts.primaryData)) },
    { label: 'PostgreSQL standby', read: () => tree(postmasterPid(parts.standbyData)) },
    {
      label: 'nginx',
      read: () =>
        tree(existsSync(parts.nginxPidFile) ? Number(readFileSync(parts.nginxPidFile, 'utf8')) : undefined),
    },
    { label: 'this benchmark (load)', read: () => single(procCpu(process.pid)?.secs) },
  ];
}

/** "whole machine 180% of 200; Mortar 60, ..." in percent of one core. */
export const cpuLine = (cpu: CpuUse, cores: number) =>
  cpu
    .map((c) =>
      c.label === 'whole machine'
        ? `whole machine ${c.pct.toFixed(0)}% of ${cores * 100}`
        : `${c.label} ${c.pct.toFixed(0)}%`,
    )
    .join('; ');
