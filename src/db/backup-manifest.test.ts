import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkManifest, compareCounts, describeDifferences, type BackupManifest } from './backup-manifest.ts';

const manifest: BackupManifest = {
  format: 'mortar-backup',
  formatVersion: 1,
  mortarVersion: '0.1.0',
  database: 'embedded',
  postgresVersion: '17.5',
  migrations: ['0001-foundation', '0002-episodes'],
  createdAt: '2026-05-20T10:00:00.000Z',
  tables: { 'public.referrals': 12, 'public.mortar_migrations': 2 },
  payload: { name: 'database.tar.gz', bytes: 10, sha256: 'a'.repeat(64) },
};

const known = ['0001-foundation', '0002-episodes', '0003-idempotency'];

test('a backup at this migration level or an older one can be restored', () => {
  assert.deepEqual(checkManifest(manifest, { kind: 'embedded', knownMigrations: known }), {
    ok: true,
    manifest,
  });
  const older = { ...manifest, migrations: ['0001-foundation'] };
  assert.equal(checkManifest(older, { kind: 'embedded', knownMigrations: known }).ok, true);
});

test('a backup from a newer migration level is refused, naming the migration', () => {
  const newer = { ...manifest, mortarVersion: '0.2.0', migrations: [...manifest.migrations, '0099-later'] };
  const check = checkManifest(newer, { kind: 'embedded', knownMigrations: known });
  assert.equal(check.ok, false);
  assert.match(!check.ok ? check.reason : '', /newer version of Mortar \(0\.2\.0\).*0099-later/);
});

test('a backup of the other kind of database is refused', () => {
  const check = checkManifest(manifest, { kind: 'server', knownMigrations: known });
  assert.equal(check.ok, false);
  assert.match(!check.ok ? check.reason : '', /embedded database; it cannot be restored into a server/);
});

test('anything that is not a whole manifest is refused', () => {
  for (const raw of [
    null,
    'mortar',
    {},
    { ...manifest, format: 'other' },
    { ...manifest, formatVersion: 2 },
    { ...manifest, tables: { 'public.referrals': -1 } },
    { ...manifest, payload: { ...manifest.payload, sha256: 'xyz' } },
    { ...manifest, createdAt: 'yesterday' },
  ]) {
    const check = checkManifest(raw, { kind: 'embedded', knownMigrations: known });
    assert.equal(check.ok, false, JSON.stringify(raw));
  }
});

test('row counts: every table that differs or is on one side only, in table order', () => {
  assert.deepEqual(compareCounts({ 'public.a': 1, 'public.b': 2 }, { 'public.b': 2, 'public.a': 1 }), []);
  const diffs = compareCounts({ 'public.b': 2, 'public.a': 1 }, { 'public.a': 0, 'public.c': 5 });
  assert.deepEqual(diffs, [
    { table: 'public.a', expected: 1, found: 0 },
    { table: 'public.b', expected: 2, found: null },
    { table: 'public.c', expected: null, found: 5 },
  ]);
  assert.equal(
    describeDifferences(diffs),
    'public.a: 1 in the backup, 0 after restore\n' +
      'public.b: 2 in the backup, missing after restore\n' +
      'public.c: not in the backup, 5 after restore',
  );
});
