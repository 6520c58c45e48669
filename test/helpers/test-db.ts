import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { syncReferenceData } from '../../src/modules/organisations/reference-data.repository.ts';
import { seedAffectedMedicines } from '../../src/modules/medicines/medicines.seed.ts';
import { seedToolkit } from '../../src/modules/toolkit/toolkit.seed.ts';

// Each test file gets a database of its own, migrated and holding the reference data, so files never
// see each other's rows and can run in parallel. Migrating from nothing costs seconds (a fresh PGlite
// runs initdb), so the migrated state is built once and copied: a PGlite data-dir snapshot on disk, or
// a template database on a PostgreSQL server (DATABASE_URL).

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const CACHE_DIR = root('.cache');
const SNAPSHOT_PREFIX = 'test-snapshot-';

/** Test databases on a server are named with this prefix, so leftovers from a killed run can be found. */
export const SERVER_DB_PREFIX = 'mortar_t_';
const TEMPLATE_PREFIX = 'mortar_tpl_';

/**
 * Changes whenever the migrated state could: a migration, the migrator, the reference data or its
 * loader, or the PGlite version (its data-dir format is its own). Old snapshots then stop matching.
 */
export function schemaKey(): string {
  const h = createHash('sha256');
  const migrationsDir = root('src/db/migrations');
  const files = [
    ...readdirSync(migrationsDir)
      .filter((f) => f.endsWith('.ts'))
      .sort()
      .map((f) => `src/db/migrations/${f}`),
    'src/db/migrate.ts',
    'src/modules/organisations/reference-data.repository.ts',
    'src/modules/medicines/medicines.defaults.ts',
    'src/modules/medicines/medicines.seed.ts',
    'src/modules/toolkit/toolkit.seed.ts',
    'src/modules/toolkit/toolkit-content-advice.ts',
    'src/modules/toolkit/toolkit-content-templates.ts',
    'data/reference/la_england_upper_tier.csv',
    'node_modules/@electric-sql/pglite/package.json',
  ];
  for (const f of files) {
    h.update(f)
      .update('\0')
      .update(readFileSync(root(f)))
      .update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

export function snapshotPath(key = schemaKey()): string {
  return `${CACHE_DIR}/${SNAPSHOT_PREFIX}${key}.tar.gz`;
}

async function migrate(handle: DatabaseHandle) {
  await migrateToLatest(handle.db);
  await syncReferenceData(handle.db);
  await seedAffectedMedicines(handle.db);
  await seedToolkit(handle.db);
}

/**
 * Builds the migrated PGlite snapshot unless one for the current schema exists. The key is in the
 * file name and the file appears by rename, so parallel test files never read a half-written or
 * stale snapshot; at worst two of them build it at once.
 */
export async function ensureSnapshot(): Promise<{ path: string; built: boolean; ms: number }> {
  const started = performance.now();
  const key = schemaKey();
  const path = snapshotPath(key);
  if (existsSync(path)) return { path, built: false, ms: performance.now() - started };

  mkdirSync(CACHE_DIR, { recursive: true });
  const pglite = await PGlite.create();
  try {
    const handle = await openDatabase({ pglite });
    await migrate(handle);
    await handle.close();
    const dump = await pglite.dumpDataDir('gzip');
    const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(tmp, new Uint8Array(await dump.arrayBuffer()));
    renameSync(tmp, path);
  } finally {
    await pglite.close();
  }
  for (const f of readdirSync(CACHE_DIR)) {
    if (f.startsWith(SNAPSHOT_PREFIX) && `${CACHE_DIR}/${f}` !== path && !f.endsWith('.tmp')) {
      rmSync(`${CACHE_DIR}/${f}`, { force: true });
    }
  }
  return { path, built: true, ms: performance.now() - started };
}

// Read once per process: a test file that opens several databases pays for the disk read once.
let snapshot: Promise<Blob> | undefined;

async function openEmbedded(): Promise<DatabaseHandle> {
  snapshot ??= ensureSnapshot().then(({ path }) => new Blob([readFileSync(path)]));
  const pglite = await PGlite.create({ loadDataDir: await snapshot });
  const handle = await openDatabase({ pglite });
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await pglite.close();
    },
  };
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function withAdmin<T>(databaseUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function databaseExists(client: pg.Client, name: string): Promise<boolean> {
  const r = await client.query('select 1 from pg_database where datname = $1', [name]);
  return r.rowCount === 1;
}

/**
 * Builds the migrated template database for the current schema on the server unless it exists.
 * An advisory lock keeps parallel test files from building it twice; it is built under a temporary
 * name and renamed, so nobody copies a half-migrated template.
 */
export async function ensureServerTemplate(
  databaseUrl: string,
): Promise<{ name: string; built: boolean; ms: number }> {
  const started = performance.now();
  // Per role as well as per schema: a template another role built on a shared server cannot be copied.
  const role = decodeURIComponent(new URL(databaseUrl).username || 'default')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 20);
  const name = `${TEMPLATE_PREFIX}${role}_${schemaKey()}`;
  return withAdmin(databaseUrl, async (client) => {
    if (await databaseExists(client, name)) return { name, built: false, ms: performance.now() - started };
    await client.query("select pg_advisory_lock(hashtext('mortar test template'))");
    try {
      if (await databaseExists(client, name)) return { name, built: false, ms: performance.now() - started };
      const building = `${name}_building`;
      await client.query(`drop database if exists ${quote(building)} with (force)`);
      await client.query(`create database ${quote(building)}`);
      const handle = await openDatabase({ databaseUrl: withDatabase(databaseUrl, building), poolSize: 1 });
      try {
        await migrate(handle);
      } finally {
        await handle.close();
      }
      await client.query(`alter database ${quote(building)} rename to ${quote(name)}`);
      // Templates of earlier schemas are never used again.
      const old = await client.query<{ datname: string }>(
        'select datname from pg_database where starts_with(datname, $1) and datname <> $2',
        [`${TEMPLATE_PREFIX}${role}_`, name],
      );
      for (const { datname } of old.rows) {
        await client.query(`drop database if exists ${quote(datname)}`).catch(() => undefined);
      }
      return { name, built: true, ms: performance.now() - started };
    } finally {
      await client.query("select pg_advisory_unlock(hashtext('mortar test template'))");
    }
  });
}

/**
 * Drops test databases left behind by runs that were killed before they could close them. Only those
 * older than a day, so a run going on in parallel against the same server keeps its own.
 */
export async function dropStaleServerDatabases(databaseUrl: string): Promise<number> {
  const cutoff = Date.now() - 24 * 3600_000;
  return withAdmin(databaseUrl, async (client) => {
    const r = await client.query<{ datname: string }>(
      'select datname from pg_database where starts_with(datname, $1)',
      [SERVER_DB_PREFIX],
    );
    let dropped = 0;
    for (const { datname } of r.rows) {
      const stamp = Number(datname.slice(SERVER_DB_PREFIX.length).split('_')[0]);
      if (Number.isFinite(stamp) && stamp < cutoff) {
        await client.query(`drop database if exists ${quote(datname)} with (force)`);
        dropped++;
      }
    }
    return dropped;
  });
}

/** A new database's name: prefixed, and stamped so dropStaleServerDatabases can tell its age. */
const testDatabaseName = () =>
  `${SERVER_DB_PREFIX}${Date.now()}_${process.pid}_${randomBytes(4).toString('hex')}`;

/**
 * A new, empty database on the server (no migrations, nothing in it), with its address; drop() removes
 * it. For tests that need one to fill by other means (restoring a backup).
 */
export async function createEmptyServerDatabase(
  databaseUrl: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = testDatabaseName();
  await withAdmin(databaseUrl, (client) => client.query(`create database ${quote(name)}`));
  return {
    url: withDatabase(databaseUrl, name),
    drop: () => withAdmin(databaseUrl, (client) => dropWhenClosed(client, name)),
  };
}

/**
 * A new database on the server, copied from the migrated template: its URL, and how to drop it once
 * nothing is connected (for a test that runs Mortar as a process of its own on it).
 */
export async function createServerTemplateCopy(
  databaseUrl: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const { name: template } = await ensureServerTemplate(databaseUrl);
  const name = testDatabaseName();
  await withAdmin(databaseUrl, async (client) => {
    // CREATE DATABASE refuses to copy a template while anyone is connected to it; the only connection
    // is the builder's, which closes right after the rename, so a short retry covers that window.
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(`create database ${quote(name)} template ${quote(template)}`);
        return;
      } catch (err) {
        if (attempt >= 20 || !/being accessed by other users/.test(String(err))) throw err;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  });
  return {
    url: withDatabase(databaseUrl, name),
    drop: () => withAdmin(databaseUrl, (client) => dropWhenClosed(client, name)),
  };
}

async function openServer(databaseUrl: string): Promise<DatabaseHandle & { url: string }> {
  const created = await createServerTemplateCopy(databaseUrl);
  const handle = await openDatabase({ databaseUrl: created.url, poolSize: 5 });
  return {
    ...handle,
    url: created.url,
    close: async () => {
      await handle.close();
      await created.drop();
    },
  };
}

/**
 * The pool's end() resolves before its connections have finished saying goodbye. Dropping WITH (FORCE)
 * at that moment kills them mid-goodbye, and pg raises the "terminating connection" error on a client
 * nobody listens to any more, which crashes the test file. So wait for them to go; force only if a
 * connection was truly leaked.
 */
async function dropWhenClosed(client: pg.Client, name: string) {
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      await client.query(`drop database if exists ${quote(name)}`);
      return;
    } catch (err) {
      if (!/being accessed by other users/.test(String(err))) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await client.query(`drop database if exists ${quote(name)} with (force)`);
}

/**
 * A migrated database with reference data loaded, for one test file: PGlite in memory from the
 * snapshot, or a fresh database on the server named by DATABASE_URL (dropped again on close).
 */
export async function createTestDatabase(): Promise<DatabaseHandle> {
  if (process.env.MORTAR_TEST_TIER === 'pure') {
    throw new Error('A pure test opened a database: name the file *.db.test.ts (scripts/test.ts).');
  }
  const databaseUrl = process.env.DATABASE_URL;
  return databaseUrl ? openServer(databaseUrl) : openEmbedded();
}

/** A migrated database on the server with reference data loaded, and its address (for pg_dump and the like). */
export async function createServerTestDatabase(
  databaseUrl: string,
): Promise<DatabaseHandle & { url: string }> {
  return openServer(databaseUrl);
}
