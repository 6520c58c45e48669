import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { openDatabase } from './db/database.ts';
import { pendingMigrations } from './db/migrate.ts';

// A production deploy runs `migrate` once and starts every instance with MIGRATE_ON_START=false
// (docs/operations.md): an instance must then never migrate, and must refuse a database that is behind.

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mortar-migrate-on-start-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function serve(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const inherited = { ...process.env };
  for (const k of ['DATABASE_URL', 'MORTAR_DATA_DIR', 'MORTAR_LOAD_DEMO', 'NODE_ENV', 'PORT'])
    delete inherited[k];
  const child = spawn(process.execPath, ['src/main.ts', 'serve'], {
    cwd: ROOT,
    env: { ...inherited, NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
  // Should it start after all, it must not keep the test waiting.
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    }),
  );
}

test('with MIGRATE_ON_START=false, serve on a database that is behind refuses to start, names the fix and migrates nothing', async () => {
  const dataDir = join(dir, 'pglite');
  const { code, output } = await serve({ MIGRATE_ON_START: 'false', MORTAR_DATA_DIR: dataDir });
  assert.equal(code, 1, output);
  assert.match(output, /Not starting: the database is missing \d+ migration\(s\)/);
  assert.match(output, /0001-foundation/);
  assert.match(output, /node src\/main\.ts migrate/);
  assert.doesNotMatch(output, /Mortar is running/);
  assert.doesNotMatch(output, /\n\s+at /, 'no stack trace');
  const handle = await openDatabase({ dataDir });
  try {
    const pending = await pendingMigrations(handle.db);
    assert.equal(pending[0], '0001-foundation', 'nothing was migrated');
    assert.ok(pending.length > 30);
  } finally {
    await handle.close();
  }
});
