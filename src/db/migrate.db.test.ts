import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase } from '../../test/helpers/test-db.ts';
import type { DatabaseHandle } from './database.ts';
import { migrateToLatest, pendingMigrations } from './migrate.ts';

// `serve` with MIGRATE_ON_START=false starts only when this answers nothing (src/main.ts), and /readyz
// answers 200 only then.

let handle: DatabaseHandle;
before(async () => {
  handle = await createTestDatabase();
});
after(async () => {
  await handle?.close();
});

test('a migrated database has no migration pending', async () => {
  assert.deepEqual(await pendingMigrations(handle.db), []);
});

test('a migration the database has not applied is pending, by name, until migrateToLatest applies it', async () => {
  const applied = await sql<{ name: string; timestamp: string }>`
    select name, timestamp from mortar_migrations order by name`.execute(handle.db);
  const { name: last, timestamp } = applied.rows.at(-1)!;
  // Its row removed: as a database looks to this version before the migration ran. Its objects stay,
  // so it is not run again here; the name is what is checked. The row goes back as it was: the
  // migrator orders applied migrations by their timestamps, and this process's clock may be behind the
  // one that applied them (faketime starts every process at the same instant).
  await sql`delete from mortar_migrations where name = ${last}`.execute(handle.db);
  assert.deepEqual(await pendingMigrations(handle.db), [last]);
  await sql`insert into mortar_migrations (name, timestamp) values (${last}, ${timestamp})`.execute(
    handle.db,
  );
  assert.deepEqual(await pendingMigrations(handle.db), []);
});

test('on a database never migrated, every migration is pending', async () => {
  const before = await sql<{ name: string }>`select name from mortar_migrations`.execute(handle.db);
  await sql`alter table mortar_migrations rename to mortar_migrations_kept`.execute(handle.db);
  try {
    const pending = await pendingMigrations(handle.db);
    assert.equal(pending.length, before.rows.length);
    assert.equal(pending[0], '0001-foundation');
  } finally {
    await sql`alter table mortar_migrations_kept rename to mortar_migrations`.execute(handle.db);
  }
  assert.deepEqual(await migrateToLatest(handle.db), []);
});
