// CPU use from /proc, per process and for the whole machine, for the benchmarks' reports: the load
// generator, Mortar and PostgreSQL share the machine's cores with whatever else it is doing.

import { readdirSync, readFileSync } from 'node:fs';
import { now } from './load.ts';

/** Percent of one core, per label. */
export type CpuUse = { label: string; pct: number }[];

/** CPU seconds (user + system) a process has used, and its parent's pid, from /proc; undefined when it is gone. */
export function procCpu(pid: number | string): { ppid: number; secs: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), secs: (Number(f[11]) + Number(f[12])) / 100 }; // utime + stime, USER_HZ = 100
  } catch {
    return undefined;
  }
}

/** A reading of CPU seconds per process (or one key for a single figure). */
export type CpuSnapshot = Map<string, number>;
export type CpuProbe = { label: string; read: () => CpuSnapshot };

export const single = (secs: number | undefined): CpuSnapshot =>
  new Map(secs === undefined ? [] : [['', secs]]);

/** A PostgreSQL postmaster and each of its children (backends, WAL writer, ...), by pid. */
export function clusterCpu(postmasterPid: number): CpuSnapshot {
  const out: CpuSnapshot = new Map();
  const pm = procCpu(postmasterPid);
  if (pm) out.set(String(postmasterPid), pm.secs);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const p = procCpu(entry);
    if (p?.ppid === postmasterPid) out.set(entry, p.secs);
  }
  return out;
}

/** CPU seconds the whole machine has been busy (all processes, all cores), from /proc/stat. */
export function machineCpuSeconds(): number {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  return (total - f[3]! - f[4]!) / 100; // everything but idle and iowait
}

/**
 * Runs `work` and returns each probe's CPU use over it, in percent of one core. Per process, so a
 * backend that exits during the run (an idle pool closing its connections) does not subtract its
 * earlier time; one that exits loses its time in the run, a small undercount.
 */
export async function withCpu<T>(
  probes: CpuProbe[],
  work: () => Promise<T>,
): Promise<{ result: T; cpu: CpuUse }> {
  const before = probes.map((p) => p.read());
  const t0 = now();
  const result = await work();
  const secs = (now() - t0) / 1000;
  const cpu = probes.map((p, i) => {
    const a = before[i]!;
    let used = 0;
    for (const [k, v] of p.read()) used += v - (a.get(k) ?? 0);
    return { label: p.label, pct: (used / secs) * 100 };
  });
  // Whatever the machine did besides the processes probed: other work competing for the same cores.
  const machine = cpu.find((c) => c.label === 'whole machine');
  if (machine) {
    const ours = cpu.filter((c) => c !== machine).reduce((a, c) => a + c.pct, 0);
    cpu.push({ label: 'other processes', pct: Math.max(0, machine.pct - ours) });
  }
  return { result, cpu };
}

/** CPU seconds used so far: the whole machine, this process, and the cluster (postmaster and children). */
function cpuNow(postmasterPid?: number): { machine: number; ours: number } {
  const machine = machineCpuSeconds();
  let ours = procCpu(process.pid)?.secs ?? 0;
  if (postmasterPid) for (const secs of clusterCpu(postmasterPid).values()) ours += secs;
  return { machine, ours };
}

/**
 * Runs `work` and says how much of a core everything else on the machine used meanwhile: other sessions'
 * builds and tests share these cores and move the figures (backends that exit are missed).
 */
export async function withOtherCpu<T>(
  postmasterPid: number | undefined,
  work: () => Promise<T>,
): Promise<{ result: T; otherPct: number }> {
  const a = cpuNow(postmasterPid);
  const t = now();
  const result = await work();
  const secs = (now() - t) / 1000;
  const b = cpuNow(postmasterPid);
  return { result, otherPct: Math.max(0, ((b.machine - a.machine - (b.ours - a.ours)) / secs) * 100) };
}
