// Mortar as a child process (`node src/main.ts serve` or `seed`), and the API key the load uses.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { hashToken, newToken } from '../../src/platform/tokens.ts';
import { cleanups, freePort, now, pgClient, recordChild, SlowError, sleep } from '../pg-cluster.ts';
import { DEMO_PASSWORD, REFERRER_ORG, ROOT } from './settings.ts';

export type Mortar = { child: ChildProcess; url: string; output: () => string; exited: Promise<void> };

export function mortarEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) {
    if (
      k === 'DATABASE_URL' ||
      k.startsWith('MORTAR_') ||
      ['PORT', 'HOST', 'LOG_LEVEL', 'NODE_ENV'].includes(k)
    )
      delete env[k];
  }
  return {
    ...env,
    // Not production: the bench needs the demonstration data, which never loads there. Nothing else it
    // measures depends on NODE_ENV (only cookie flags and headers do).
    NODE_ENV: 'development',
    COOKIE_SECRET: randomBytes(32).toString('hex'),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    MORTAR_LOAD_DEMO: 'true',
    MORTAR_DEMO_PASSWORD: DEMO_PASSWORD,
    RATE_LIMIT_PER_MINUTE: '100000000',
    ...extra,
  };
}

export function spawnMortar(
  command: 'serve' | 'seed',
  env: NodeJS.ProcessEnv,
  nodeArgs: string[] = [],
): { child: ChildProcess; output: () => string; exited: Promise<void> } {
  const child = spawn(process.execPath, [...nodeArgs, 'src/main.ts', command], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  recordChild(child.pid);
  let out = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  cleanups.push({
    name: `stop mortar ${command} (pid ${child.pid})`,
    run: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await Promise.race([exited, sleep(5000)]);
    },
  });
  return { child, output: () => out, exited };
}

export async function startMortar(
  extraEnv: Record<string, string>,
  timeoutMs: number,
  nodeArgs: string[] = [],
): Promise<Mortar> {
  const port = await freePort();
  const m = spawnMortar('serve', mortarEnv({ ...extraEnv, PORT: String(port) }), nodeArgs);
  const url = `http://127.0.0.1:${port}`;
  const deadline = now() + timeoutMs;
  while (now() < deadline) {
    if (m.child.exitCode !== null || m.child.signalCode !== null) {
      throw new Error(
        `Mortar exited during start-up (${m.child.exitCode ?? m.child.signalCode}):\n${m.output()}`,
      );
    }
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) return { ...m, url };
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new SlowError(`Mortar did not become healthy within ${timeoutMs / 1000} s:\n${m.output()}`);
}

export async function stopGracefully(m: { child: ChildProcess; exited: Promise<void> }) {
  if (m.child.exitCode !== null || m.child.signalCode !== null) return;
  m.child.kill('SIGTERM');
  await Promise.race([m.exited, sleep(10_000)]);
  if (m.child.exitCode === null && m.child.signalCode === null) {
    m.child.kill('SIGKILL');
    await m.exited;
  }
}

// API keys

export const API_KEY_SQL = `insert into api_keys (organisation_id, name, key_prefix, key_hash)
  select id, 'bench', $1, $2 from organisations where name = $3 returning id`;

export async function insertApiKey(databaseUrl: string): Promise<{ key: string; keyId: string }> {
  const key = newToken();
  const c = pgClient(databaseUrl);
  await c.connect();
  try {
    const r = await c.query<{ id: string }>(API_KEY_SQL, [key.slice(0, 8), hashToken(key), REFERRER_ORG]);
    if (!r.rows[0]) throw new Error(`No organisation named "${REFERRER_ORG}": did the demo data load?`);
    return { key, keyId: r.rows[0].id };
  } finally {
    await c.end();
  }
}
