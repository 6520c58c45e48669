// The production rehearsal's Mortar instances: `node src/main.ts serve` as a production deploy runs it
// (NODE_ENV=production, MIGRATE_ON_START=false, behind a trusted proxy), and the one-off commands
// (`migrate`, `seed`) a deploy runs before them.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { cleanups, FatalError, recordChild, sleep } from '../../bench/pg-cluster.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export type Settings = {
  primaryUrl: string;
  standbyUrl: string;
  publicUrl: string;
  /** The same on every instance: a cookie one instance signs, the other must accept. */
  cookieSecret: string;
  twoFactorKey: string;
  /** Prometheus's bearer token for /metrics, scraped from each instance directly. */
  metricsToken: string;
};

export const newSettings = (urls: { primaryUrl: string; standbyUrl: string; publicUrl: string }) => ({
  ...urls,
  cookieSecret: randomBytes(32).toString('hex'),
  twoFactorKey: randomBytes(32).toString('hex'),
  metricsToken: randomBytes(32).toString('hex'),
});

/** The environment without anything of the caller's that would change how Mortar runs. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) {
    if (
      k.startsWith('MORTAR_') ||
      k.endsWith('DATABASE_URL') ||
      ['PORT', 'HOST', 'LOG_LEVEL', 'NODE_ENV', 'TRUST_PROXY', 'PUBLIC_URL', 'MIGRATE_ON_START'].includes(k)
    )
      delete env[k];
  }
  return env;
}

/** What production requires (src/config.ts), as docs/operations.md sets it. */
export function productionEnv(s: Settings, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...cleanEnv(),
    NODE_ENV: 'production',
    DATABASE_URL: s.primaryUrl,
    READ_DATABASE_URL: s.standbyUrl,
    PUBLIC_URL: s.publicUrl,
    COOKIE_SECRET: s.cookieSecret,
    TWO_FACTOR_KEY: s.twoFactorKey,
    METRICS_TOKEN: s.metricsToken,
    // nginx on the same machine; on a network, its address.
    TRUST_PROXY: 'loopback',
    HOST: '127.0.0.1',
    MIGRATE_ON_START: 'false',
    LOG_LEVEL: 'warn',
    // All the rehearsal's traffic comes from one address, which the limit per address would stop.
    RATE_LIMIT_PER_MINUTE: '10000000',
    ...extra,
  };
}

/** A one-off command (`migrate`, `seed`) to its end: its exit code and output. */
export function command(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 300_000,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['src/main.ts', ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  recordChild(child.pid);
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    }),
  );
}

export type Instance = {
  name: string;
  port: number;
  base: string;
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive: () => boolean;
};

export function spawnInstance(name: string, port: number, env: NodeJS.ProcessEnv): Instance {
  const child = spawn(process.execPath, ['src/main.ts', 'serve'], {
    cwd: ROOT,
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  recordChild(child.pid);
  let out = '';
  const keep = (c: Buffer) => {
    out = (out + c.toString('utf8')).slice(-30_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const alive = () => child.exitCode === null && child.signalCode === null;
  cleanups.push({
    name: `stop instance ${name} (pid ${child.pid})`,
    run: async () => {
      if (!alive()) return;
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(30_000)]);
      if (alive()) child.kill('SIGKILL');
    },
  });
  return { name, port, base: `http://127.0.0.1:${port}`, child, output: () => out, exited, alive };
}

let readyzMissingNoticed = false;

/**
 * Whether the instance is ready: /readyz (s24-lifecycle: database reachable, migrations current, not
 * shutting down). Where this version has none yet (404), /healthz stands in, with a notice once.
 */
export async function isReady(base: string): Promise<boolean> {
  try {
    const res = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    if (res.status !== 404) return res.status === 200;
    if (!readyzMissingNoticed) {
      readyzMissingNoticed = true;
      console.log('[rehearsal] NOTICE: /readyz answers 404 in this version; waiting on /healthz instead.');
    }
    const health = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) });
    await health.arrayBuffer();
    return health.status === 200;
  } catch {
    return false; // not listening yet
  }
}

/** Starts an instance and waits for it to be ready; the instance and the seconds it took. */
export async function startInstance(name: string, port: number, env: NodeJS.ProcessEnv, timeoutMs = 120_000) {
  const t0 = performance.now();
  const instance = spawnInstance(name, port, env);
  for (;;) {
    if (!instance.alive())
      throw new FatalError(`Instance ${name} exited during start-up:\n${instance.output().slice(-4000)}`);
    if (await isReady(instance.base)) return { instance, seconds: (performance.now() - t0) / 1000 };
    if (performance.now() - t0 > timeoutMs)
      throw new FatalError(`Instance ${name} was not ready within ${timeoutMs / 1000} s`);
    await sleep(200);
  }
}

/** SIGTERM, then the wait for the instance to exit by itself: its exit and the seconds it took. */
export async function stopInstance(instance: Instance, timeoutMs = 60_000) {
  const t0 = performance.now();
  instance.child.kill('SIGTERM');
  const exit = await Promise.race([instance.exited, sleep(timeoutMs).then(() => null)]);
  if (!exit)
    throw new FatalError(`Instance ${instance.name} had not exited ${timeoutMs / 1000} s after SIGTERM`);
  return { ...exit, seconds: (performance.now() - t0) / 1000 };
}
