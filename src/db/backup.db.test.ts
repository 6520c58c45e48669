// `mortar backup` and `mortar restore` end to end: a database with the demonstration data, a quarter's
// returns computed by the returns' own code, backed up, restored into an empty database, and every table's
// row count and the same returns compared. On PGlite (a real data folder, as `npm start` keeps it) in the
// run without DATABASE_URL, and on the PostgreSQL server with pg_dump and pg_restore in the run with it.
// And the refusals: each leaves everything as it was.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import {
  createEmptyServerDatabase,
  createServerTestDatabase,
  ensureSnapshot,
} from '../../test/helpers/test-db.ts';
import { DEMO_PASSWORD, testPostcodes } from '../../test/helpers/test-app.ts';
import { loadDemoData } from '../demo/demo-data.ts';
import { computeReturns } from '../modules/returns/return-counts.repository.ts';
import type { QuarterlyReturn } from '../modules/returns/return-definition.ts';
import { fixedClock } from '../platform/clock.ts';
import { addDays } from '../platform/dates.ts';
import { quarterOf } from '../platform/quarters.ts';
import { openBackupFile, readPayload, writeBackupFile } from './backup-archive.ts';
import { describeDatabase } from './backup-facts.ts';
import type { BackupManifest } from './backup-manifest.ts';
import { migrateJobQueue } from '../platform/job-queue.ts';
import { backup, BackupRefused, restore } from './backup.ts';
import { runBackupCommand } from './backup-command.ts';
import { DataDirInUseError } from './data-dir-lock.ts';
import { openDatabase, type Database } from './database.ts';
import { openEmbeddedPglite } from './embedded-database.ts';

const clock = fixedClock('2026-05-20T10:00:00Z');
const later = fixedClock('2026-05-21T09:30:00Z');

/** This quarter's and last quarter's returns for every authority with anything to count. */
async function returnsOf(db: Database): Promise<Record<string, QuarterlyReturn>> {
  const today = clock.today();
  const out: Record<string, QuarterlyReturn> = {};
  for (const day of [today, addDays(today, -92)]) {
    const { financialYear, quarter } = quarterOf(day);
    const rets = await computeReturns(db, { authorities: 'all', financialYear, quarter, asOf: today });
    for (const [la, ret] of rets) out[`${financialYear} Q${quarter} ${la}`] = ret;
  }
  return out;
}

const figuresTotal = (rets: Record<string, QuarterlyReturn>) =>
  Object.values(rets).reduce((sum, r) => sum + Object.values(r.totals).reduce((a, b) => a + b, 0), 0);

/** Counts and returns of a database, read while it is open, for comparison after a restore. */
async function measure(db: Database) {
  return { tables: (await describeDatabase(db)).tables, returns: await returnsOf(db) };
}

let work: string;
before(() => {
  work = fs.mkdtempSync(join(tmpdir(), 'mortar-backup-'));
});
after(() => fs.rmSync(work, { recursive: true, force: true }));

const databaseUrl = process.env.DATABASE_URL;

// CI runs the database tests once on each engine: the embedded half in the run without DATABASE_URL.
describe('the embedded database', { skip: databaseUrl ? 'runs when DATABASE_URL is not set' : false }, () => {
  let source: string;
  let file: string;
  let before_: Awaited<ReturnType<typeof measure>>;

  before(async () => {
    source = join(work, 'source');
    file = join(work, 'embedded.mortar');
    // The migrated test snapshot unpacked into a real folder: initdb and every migration cost far more.
    const snapshot = new Blob([fs.readFileSync((await ensureSnapshot()).path)]);
    const pglite = await openEmbeddedPglite(source, { loadDataDir: snapshot });
    const handle = await openDatabase({ pglite });
    try {
      await loadDemoData(handle.db, await testPostcodes(), DEMO_PASSWORD, { clock });
      before_ = await measure(handle.db);
      // A backup while another process (here: this one) has the folder open is refused, naming it.
      await assert.rejects(
        backup({ target: { dataDir: source }, file, clock }),
        (err) => err instanceof DataDirInUseError && err.pid === process.pid,
      );
      assert.equal(fs.existsSync(file), false);
    } finally {
      await handle.close();
      await pglite.close();
    }
    assert.ok(figuresTotal(before_.returns) > 0, 'the demonstration data counts in a return');
  });

  test('a backup restored into an empty folder has every row and the same returns', async () => {
    const manifest = await backup({ target: { dataDir: source }, file, clock });
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(manifest.createdAt, '2026-05-20T10:00:00.000Z');
    assert.deepEqual(manifest.tables, before_.tables);
    assert.ok((manifest.tables['public.referrals'] ?? 0) > 0);

    const target = join(work, 'restored');
    const result = await restore({ target: { dataDir: target }, file, clock: later });
    assert.deepEqual(result.migrated, []);
    assert.deepEqual(result.movedAside, []);
    const handle = await openDatabase({ dataDir: target });
    try {
      const after_ = await measure(handle.db);
      assert.deepEqual(after_.tables, before_.tables);
      assert.deepEqual(after_.returns, before_.returns);
    } finally {
      await handle.close();
    }
  });

  test('restore refuses a folder that holds a database, and with --force moves it aside', async () => {
    const target = join(work, 'restored');
    const listing = fs.readdirSync(target).sort();
    await assert.rejects(restore({ target: { dataDir: target }, file, clock: later }), BackupRefused);
    assert.deepEqual(fs.readdirSync(target).sort(), listing);
    assert.deepEqual(
      fs.readdirSync(work).filter((f) => f.includes('before-restore')),
      [],
    );

    const forced = await restore({ target: { dataDir: target }, file, clock: later, force: true });
    assert.deepEqual(forced.movedAside, [`${target}.before-restore-2026-05-21T09-30-00Z`]);
    assert.ok(fs.existsSync(join(forced.movedAside[0]!, 'PG_VERSION')), 'the old database is kept');
  });

  test('a backup from a newer Mortar, or damaged, or cut short, is refused and nothing is made', async () => {
    const target = join(work, 'never');
    const opened = openBackupFile(file);
    const { payload, ...rest } = opened.manifest as Parameters<typeof writeBackupFile>[1] & {
      payload: unknown;
    };
    void payload;
    const newer = join(work, 'newer.mortar');
    await writeBackupFile(
      newer,
      { ...rest, migrations: [...rest.migrations, '9999-from-a-later-version'] },
      { name: 'database.tar.gz', data: readPayload(file, opened.payload) },
    );
    await assert.rejects(
      restore({ target: { dataDir: target }, file: newer, clock }),
      /newer version of Mortar/,
    );

    const bytes = fs.readFileSync(file);
    const damaged = join(work, 'damaged.mortar');
    const flipped = Buffer.from(bytes);
    const at = opened.payload.offset + 1000;
    flipped[at] = flipped[at]! ^ 0xff;
    fs.writeFileSync(damaged, flipped);
    await assert.rejects(
      restore({ target: { dataDir: target }, file: damaged, clock }),
      /does not match its checksum/,
    );

    const short = join(work, 'short.mortar');
    fs.writeFileSync(short, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await assert.rejects(
      restore({ target: { dataDir: target }, file: short, clock }),
      /shorter than it should be/,
    );

    const notOne = join(work, 'not-a-backup.mortar');
    fs.writeFileSync(notOne, 'referral_id,name\n');
    await assert.rejects(
      restore({ target: { dataDir: target }, file: notOne, clock }),
      /not a Mortar backup/,
    );

    await assert.rejects(
      restore({ target: { databaseUrl: 'postgres://x@127.0.0.1:1/x', dataDir: target }, file, clock }),
      /cannot be restored into a server/,
    );

    // The command says why in one line and exits 2, with no stack trace and nothing from the file.
    const said: string[] = [];
    const out = { log: (l: string) => said.push(l), error: (l: string) => said.push(l) };
    const command = { target: { dataDir: target }, force: false, clock };
    assert.equal(await runBackupCommand('restore', damaged, command, out), 2);
    assert.equal(await runBackupCommand('restore', undefined, command, out), 2);
    assert.deepEqual(said, [
      `${damaged} is not a Mortar backup or is damaged (the database in it does not match its checksum). Nothing was changed.`,
      'Name the backup file: node src/main.ts restore <file>',
    ]);

    assert.equal(fs.existsSync(target), false);
    assert.equal(fs.existsSync(`${target}.lock`), false);
    // And an existing file is never overwritten by a backup.
    await assert.rejects(backup({ target: { dataDir: source }, file: damaged, clock }), /already exists/);
  });
});

describe('a PostgreSQL server', { skip: !databaseUrl && 'DATABASE_URL is not set' }, () => {
  test('pg_dump restored into a new empty database has every row and the same returns', async () => {
    const source = await createServerTestDatabase(databaseUrl!);
    const file = join(work, 'server.mortar');
    let before_: Awaited<ReturnType<typeof measure>>;
    try {
      await loadDemoData(source.db, await testPostcodes(), DEMO_PASSWORD, { clock });
      // As `mortar migrate` leaves a server: the job queue's schema beside Mortar's.
      await migrateJobQueue(source.db);
      before_ = await measure(source.db);
      assert.ok(Object.keys(before_.tables).some((t) => t.startsWith('pgboss.')));
      assert.ok(figuresTotal(before_.returns) > 0);
      const manifest = await backup({ target: { databaseUrl: source.url, dataDir: '' }, file, clock });
      assert.deepEqual(manifest.tables, before_.tables);
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    } finally {
      await source.close();
    }

    const target = await createEmptyServerDatabase(databaseUrl!);
    try {
      const into = { databaseUrl: target.url, dataDir: '' };
      const result = await restore({ target: into, file, clock: later });
      assert.deepEqual(result.migrated, []);
      const handle = await openDatabase({ databaseUrl: target.url, poolSize: 2 });
      try {
        const after_ = await measure(handle.db);
        assert.deepEqual(after_.tables, before_.tables);
        assert.deepEqual(after_.returns, before_.returns);
      } finally {
        await handle.close();
      }

      // Now it has Mortar's tables: refused, unless forced, when they are moved aside and kept.
      await assert.rejects(restore({ target: into, file, clock: later }), /already has \d+ tables/);
      const forced = await restore({ target: into, file, clock: later, force: true });
      assert.deepEqual(forced.movedAside.sort(), [
        'mortar_before_restore_2026_05_21t09_30_00z_pgboss',
        'mortar_before_restore_2026_05_21t09_30_00z_public',
      ]);
      const check = await openDatabase({ databaseUrl: target.url, poolSize: 1 });
      try {
        const { rows } = await sql<{ n: number }>`
          select count(*)::int as n from mortar_before_restore_2026_05_21t09_30_00z_public.referrals`.execute(
          check.db,
        );
        assert.equal(rows[0]?.n, before_.tables['public.referrals']);
        assert.deepEqual((await describeDatabase(check.db)).tables, before_.tables);
      } finally {
        await check.close();
      }

      // A forced restore whose pg_restore fails puts the tables that were there back where they were.
      const { payload, ...rest } = openBackupFile(file).manifest as BackupManifest;
      void payload;
      const broken = join(work, 'not-a-dump.mortar');
      await writeBackupFile(broken, rest, {
        name: 'database.pgdump',
        data: new TextEncoder().encode('PGDMP?'),
      });
      await assert.rejects(
        restore({ target: into, file: broken, clock: fixedClock('2026-05-22T08:00:00Z'), force: true }),
        /pg_restore failed/,
      );
      const again = await openDatabase({ databaseUrl: target.url, poolSize: 1 });
      try {
        assert.deepEqual((await describeDatabase(again.db)).tables, before_.tables);
        const { rows } = await sql<{ n: number }>`
          select count(*)::int as n from pg_namespace where nspname like '%2026\_05\_22%'`.execute(again.db);
        assert.equal(rows[0]?.n, 0);
      } finally {
        await again.close();
      }
    } finally {
      await target.drop();
    }
  });
});
