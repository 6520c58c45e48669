import assert from 'node:assert/strict';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase, type DatabaseHandle } from './database.ts';

// The embedded database on a real folder, as `npm start` opens it. Each test sees the same one: a new
// data directory costs PGlite's initdb, several seconds.

let dir: string;
let handle: DatabaseHandle;

before(async () => {
  dir = join(fs.mkdtempSync(join(tmpdir(), 'mortar-embedded-')), 'pglite');
  handle = await openDatabase({ dataDir: dir });
  await sql`create table kept (id serial primary key, note text not null)`.execute(handle.db);
});

after(async () => {
  await handle?.close();
  if (dir) fs.rmSync(join(dir, '..'), { recursive: true, force: true });
});

/** Every path under dir with its permission bits. */
function modes(root: string): { path: string; dir: boolean; mode: number }[] {
  const out = [{ path: root, dir: true, mode: fs.statSync(root).mode & 0o777 }];
  for (const e of fs.readdirSync(root, { withFileTypes: true, recursive: true })) {
    const path = join(e.parentPath, e.name);
    out.push({ path, dir: e.isDirectory(), mode: fs.lstatSync(path).mode & 0o777 });
  }
  return out;
}

const readable = (entries: ReturnType<typeof modes>) =>
  entries.filter((e) => e.mode & 0o077).map((e) => `${e.path.slice(dir.length)} ${e.mode.toString(8)}`);

test('every file and folder of the embedded database is its owner’s only', async () => {
  await handle.db
    .insertInto('kept' as never)
    .values({ note: 'a record' } as never)
    .execute();
  const entries = modes(dir);
  assert.ok(
    entries.some((e) => e.path.includes('pg_wal') && !e.dir),
    'a write-ahead log file exists',
  );
  assert.deepEqual(readable(entries), []);
});

test('a data folder left readable by an earlier version is made owner-only when opened', async () => {
  const other = join(dir, '..', 'older');
  const first = await openDatabase({ dataDir: other });
  await first.close();
  // As PGlite itself left them before: folders 0755, files 0666.
  for (const e of modes(other)) fs.chmodSync(e.path, e.dir ? 0o755 : 0o666);
  assert.notDeepEqual(readable(modes(other)), []);
  const again = await openDatabase({ dataDir: other });
  try {
    assert.deepEqual(readable(modes(other)), []);
  } finally {
    await again.close();
  }
});

test('every commit is on disk before it returns: the write-ahead log is fsynced each time', async () => {
  const settings = await sql<{ fsync: string; method: string }>`
    select current_setting('fsync') as fsync, current_setting('wal_sync_method') as method`.execute(
    handle.db,
  );
  assert.deepEqual(settings.rows[0], { fsync: 'on', method: 'fsync' });

  // The real fsync runs; the wrapper only records which file each call was for. (node:test's
  // mock.method wrapper, called from inside PGlite's WebAssembly, never returned.)
  const synced: string[] = [];
  const original = fs.fsyncSync;
  fs.fsyncSync = (fd: number) => {
    synced.push(fs.readlinkSync(`/proc/self/fd/${fd}`));
    original(fd);
  };
  const commits = 20;
  try {
    for (let i = 0; i < commits; i++) {
      const before = synced.length;
      await handle.db
        .insertInto('kept' as never)
        .values({ note: `commit ${i}` } as never)
        .execute();
      const wal = synced.slice(before).filter((p) => p.startsWith(join(dir, 'pg_wal') + '/'));
      assert.ok(wal.length >= 1, `commit ${i} returned without an fsync of the write-ahead log`);
    }
    await handle.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('kept' as never)
        .values({ note: 'in a transaction' } as never)
        .execute();
      await trx
        .insertInto('kept' as never)
        .values({ note: 'and another' } as never)
        .execute();
    });
    assert.ok(synced.at(-1)?.startsWith(join(dir, 'pg_wal')), 'a transaction ends with an fsync of the log');
  } finally {
    fs.fsyncSync = original;
  }
});
