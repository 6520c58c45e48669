import { fork, type ChildProcess } from 'node:child_process';
import { cleanups, recordChild, sleep } from '../pg-cluster.ts';
import { ROOT } from './settings.ts';
import type { WorkerEvent } from './worker.ts';

// The Mortar sending instances as child processes (./worker.ts), with what each reported over IPC.

export type Instance = {
  name: string;
  child: ChildProcess;
  /** performance.now() when started, and when it ended (killed or stopped). */
  startedAt: number;
  endedAt: number | null;
  readyAt: number | null;
  kind: string | null;
  sent: number;
  /** Messages it found already accepted by Notify when it asked before sending again. */
  found: number;
  /** Sends it was refused for the rate (429). */
  rateLimited: number;
  warnings: number;
  errors: string[];
  exited: Promise<void>;
  output: () => string;
};

export type InstanceEnv = {
  databaseUrl: string;
  notifyUrl: string;
  notifyKey: string;
  ratePerMinute: number;
  clockOffsetMs: number;
  concurrency: number;
};

export function startInstance(name: string, env: InstanceEnv): Instance {
  const child = fork(`${ROOT}bench/reminders/worker.ts`, [], {
    cwd: ROOT,
    env: {
      ...process.env,
      BENCH_DATABASE_URL: env.databaseUrl,
      BENCH_NOTIFY_URL: env.notifyUrl,
      BENCH_NOTIFY_KEY: env.notifyKey,
      BENCH_RATE_PER_MINUTE: String(env.ratePerMinute),
      BENCH_CLOCK_OFFSET_MS: String(env.clockOffsetMs),
      BENCH_CONCURRENCY: String(env.concurrency),
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  recordChild(child.pid);
  let out = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const i: Instance = {
    name,
    child,
    startedAt: performance.now(),
    endedAt: null,
    readyAt: null,
    kind: null,
    sent: 0,
    found: 0,
    rateLimited: 0,
    warnings: 0,
    errors: [],
    exited: new Promise<void>((resolve) => child.once('exit', () => resolve())),
    output: () => out,
  };
  void i.exited.then(() => (i.endedAt ??= performance.now()));
  child.on('message', (m: WorkerEvent) => {
    if (m.e === 'sent') i.sent++;
    else if (m.e === 'found') i.found++;
    else if (m.e === 'warn') {
      i.warnings++;
      if (m.status === 429) i.rateLimited++;
    } else if (m.e === 'error') {
      if (i.errors.length < 20) i.errors.push(m.error);
    } else {
      i.readyAt = performance.now();
      i.kind = m.kind;
    }
  });
  cleanups.push({ name: `stop instance ${name} (pid ${child.pid})`, run: () => kill(i) });
  return i;
}

export const alive = (i: Instance) => i.child.exitCode === null && i.child.signalCode === null;

/** SIGKILL: the instance dies mid-send, as a crashed or evicted container does. */
export async function kill(i: Instance): Promise<void> {
  if (!alive(i)) return;
  i.endedAt = performance.now();
  i.child.kill('SIGKILL');
  await Promise.race([i.exited, sleep(5000)]);
}

/** SIGTERM: the job queue stops after the sends in progress, as at a deployment. */
export async function stop(i: Instance): Promise<void> {
  if (!alive(i)) return;
  i.child.kill('SIGTERM');
  await Promise.race([i.exited, sleep(15_000)]);
  await kill(i);
}

export async function waitReady(i: Instance, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (i.readyAt === null) {
    if (!alive(i)) throw new Error(`instance ${i.name} exited during start-up:\n${i.output()}`);
    if (performance.now() > deadline)
      throw new Error(`instance ${i.name} not ready within ${timeoutMs / 1000} s:\n${i.output()}`);
    await sleep(100);
  }
}
