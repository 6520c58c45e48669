import fs from 'node:fs';
import { dirname } from 'node:path';
import pkg from '../../package.json' with { type: 'json' };
import type { Clock } from '../platform/clock.ts';
import { openDatabase } from './database.ts';
import { KNOWN_MIGRATIONS, migrateToLatest } from './migrate.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { openEmbeddedPglite } from './embedded-database.ts';
import { describeDatabase, type DatabaseFacts } from './backup-facts.ts';
import {
  checkManifest,
  compareCounts,
  describeDifferences,
  type BackupManifest,
  type DatabaseKind,
} from './backup-manifest.ts';
import { openBackupFile, readPayload, verifyPayload, writeBackupFile } from './backup-archive.ts';
import {
  countTables,
  dumpServer,
  moveSchemasAside,
  moveSchemasBack,
  restoreServer,
  type MovedAside,
} from './backup-server.ts';

// `mortar backup <file>` and `mortar restore <file>` (docs/backup-restore.md): the embedded database by
// PGlite's own dump of its data directory, a server's by pg_dump and pg_restore. Both write a manifest
// (backup-manifest.ts) and restore checks it before touching anything, and the row counts after.
// Nothing here prints a row: only table names, counts and file names.

/** Where the database is: the embedded one's folder, or a server's address. */
export type BackupTarget = { databaseUrl?: string | undefined; dataDir: string };

export type BackupOptions = { target: BackupTarget; file: string; clock: Clock };
export type RestoreOptions = BackupOptions & { force?: boolean };

export type RestoreResult = {
  manifest: BackupManifest;
  /** Migrations applied after the restore, bringing an older backup up to date. */
  migrated: string[];
  /** Where the database that was there before went (--force), if there was one. */
  movedAside: string[];
};

/** A restore refused before anything was changed, or a backup refused before anything was written. */
export class BackupRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupRefused';
  }
}

const kindOf = (target: BackupTarget): DatabaseKind => (target.databaseUrl ? 'server' : 'embedded');

/** The backup's time as part of a name: 2026-12-07T12-30-05Z. */
const stampOf = (clock: Clock) =>
  clock
    .now()
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(':', '-');

function manifestOf(kind: DatabaseKind, facts: DatabaseFacts, clock: Clock): Omit<BackupManifest, 'payload'> {
  return {
    format: 'mortar-backup',
    formatVersion: 1,
    mortarVersion: pkg.version,
    database: kind,
    postgresVersion: facts.postgresVersion,
    migrations: facts.migrations,
    createdAt: clock.now().toISOString(),
    tables: facts.tables,
  };
}

/** Backs the database up to `file`, which must not exist yet. */
export async function backup(opts: BackupOptions): Promise<BackupManifest> {
  const { target, file, clock } = opts;
  if (fs.existsSync(file)) throw new BackupRefused(`${file} already exists; choose a new file name.`);
  if (!fs.existsSync(dirname(file))) throw new BackupRefused(`The folder ${dirname(file)} does not exist.`);
  // Whatever this process writes (the backup, pg_dump's file) is its owner's only.
  process.umask(0o077);
  if (target.databaseUrl) return backupServer(target.databaseUrl, file, clock);
  if (!fs.existsSync(`${target.dataDir}/PG_VERSION`)) {
    throw new BackupRefused(`There is no embedded database at ${target.dataDir} to back up.`);
  }
  const pglite = await openEmbeddedPglite(target.dataDir);
  try {
    const handle = await openDatabase({ pglite });
    let facts: DatabaseFacts;
    try {
      facts = await describeDatabase(handle.db);
    } finally {
      await handle.close();
    }
    // Nobody else can write meanwhile: the folder is locked to this process until it closes.
    const dump = await pglite.dumpDataDir('gzip');
    const data = new Uint8Array(await dump.arrayBuffer());
    return await writeBackupFile(file, manifestOf('embedded', facts, clock), {
      name: 'database.tar.gz',
      data,
    });
  } finally {
    await pglite.close();
  }
}

async function backupServer(databaseUrl: string, file: string, clock: Clock): Promise<BackupManifest> {
  const handle = await openDatabase({ databaseUrl, poolSize: 1 });
  const dumpFile = `${file}.pgdump-${process.pid}`;
  try {
    fs.closeSync(fs.openSync(dumpFile, 'wx', 0o600));
    const facts = await dumpServer(handle.db, databaseUrl, dumpFile);
    return await writeBackupFile(file, manifestOf('server', facts, clock), {
      name: 'database.pgdump',
      file: dumpFile,
    });
  } finally {
    fs.rmSync(dumpFile, { force: true });
    await handle.close();
  }
}

/** The manifest, checked, and the payload's place, verified: everything restore refuses on, up front. */
async function readChecked(file: string, kind: DatabaseKind) {
  const opened = openBackupFile(file);
  const check = checkManifest(opened.manifest, { kind, knownMigrations: KNOWN_MIGRATIONS });
  if (!check.ok) throw new BackupRefused(`${check.reason} Nothing was changed.`);
  await verifyPayload(file, opened.payload, check.manifest.payload);
  return { manifest: check.manifest, payload: opened.payload };
}

function checkCounts(manifest: BackupManifest, facts: DatabaseFacts) {
  const diffs = compareCounts(manifest.tables, facts.tables);
  if (diffs.length) {
    throw new Error(
      `The restored database's row counts differ from the backup's:\n${describeDifferences(diffs)}`,
    );
  }
}

/** Restores `file` into an empty database (or, with force, moves the one there aside first). */
export async function restore(opts: RestoreOptions): Promise<RestoreResult> {
  const kind = kindOf(opts.target);
  const { manifest, payload } = await readChecked(opts.file, kind);
  if (opts.target.databaseUrl) return restoreIntoServer(opts, opts.target.databaseUrl, manifest, payload);

  const dir = opts.target.dataDir.replace(/\/+$/, '');
  process.umask(0o077);
  fs.mkdirSync(dirname(dir), { recursive: true, mode: 0o700 });
  const lock = lockDataDir(dir);
  const movedAside: string[] = [];
  try {
    const occupied = fs.existsSync(dir) && fs.readdirSync(dir).length > 0;
    if (occupied && !opts.force) {
      throw new BackupRefused(
        `${dir} already holds a database. Restore into a new folder (set MORTAR_DATA_DIR), or use --force ` +
          'to move this one aside first. Nothing was changed.',
      );
    }
    if (occupied) {
      const aside = freeName(`${dir}.before-restore-${stampOf(opts.clock)}`);
      fs.renameSync(dir, aside);
      movedAside.push(aside);
    }
    try {
      const pglite = await openEmbeddedPglite(
        dir,
        { loadDataDir: new Blob([readPayload(opts.file, payload)]) },
        lock,
      );
      try {
        const handle = await openDatabase({ pglite });
        try {
          checkCounts(manifest, await describeDatabase(handle.db));
          return { manifest, migrated: await migrateToLatest(handle.db), movedAside };
        } finally {
          await handle.close();
        }
      } finally {
        await pglite.close();
      }
    } catch (err) {
      // The half-made folder came from the backup, which still exists; the one that was there goes back.
      fs.rmSync(dir, { recursive: true, force: true });
      if (movedAside[0]) fs.renameSync(movedAside[0], dir);
      throw err;
    }
  } finally {
    lock.release();
  }
}

/** `base`, or `base-2`, `base-3`… if taken: a second restore in the same second never overwrites the first's. */
function freeName(base: string): string {
  let name = base;
  for (let i = 2; fs.existsSync(name); i++) name = `${base}-${i}`;
  return name;
}

async function restoreIntoServer(
  opts: RestoreOptions,
  databaseUrl: string,
  manifest: BackupManifest,
  payload: { offset: number; bytes: number },
): Promise<RestoreResult> {
  const handle = await openDatabase({ databaseUrl, poolSize: 1 });
  try {
    const tables = await countTables(handle.db);
    if (tables > 0 && !opts.force) {
      throw new BackupRefused(
        `The database already has ${tables} tables. Restore into a new, empty database (createdb, then set ` +
          'DATABASE_URL to it), or use --force to move these tables aside first. Nothing was changed.',
      );
    }
    let moved: MovedAside = { schemas: [] };
    if (tables > 0)
      moved = await moveSchemasAside(handle.db, stampOf(opts.clock).toLowerCase().replace(/-/g, '_'));
    try {
      await restoreServer(databaseUrl, opts.file, payload);
    } catch (err) {
      if (moved.schemas.length) await moveSchemasBack(handle.db, moved);
      throw err;
    }
    checkCounts(manifest, await describeDatabase(handle.db));
    const migrated = await migrateToLatest(handle.db);
    return { manifest, migrated, movedAside: moved.schemas.map((s) => s.to) };
  } finally {
    await handle.close();
  }
}
