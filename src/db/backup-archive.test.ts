import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  hashFile,
  openBackupFile,
  parseTarHeader,
  readPayload,
  tarHeader,
  verifyPayload,
  writeBackupFile,
} from './backup-archive.ts';
import type { BackupManifest } from './backup-manifest.ts';

const work = fs.mkdtempSync(join(tmpdir(), 'mortar-archive-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));

const manifest: Omit<BackupManifest, 'payload'> = {
  format: 'mortar-backup',
  formatVersion: 1,
  mortarVersion: '0.1.0',
  database: 'server',
  postgresVersion: '15.14',
  migrations: ['0001-foundation'],
  createdAt: '2026-05-20T10:00:00.000Z',
  tables: { 'public.referrals': 3 },
};

test('a backup is a tar file that tar itself lists and unpacks, owner-only', async () => {
  const dump = join(work, 'dump');
  const data = Buffer.alloc(70_001, 7);
  fs.writeFileSync(dump, data);
  const file = join(work, 'one.mortar');
  const written = await writeBackupFile(file, manifest, { name: 'database.pgdump', file: dump });
  assert.deepEqual(written.payload, {
    name: 'database.pgdump',
    bytes: 70_001,
    sha256: createHash('sha256').update(data).digest('hex'),
  });
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  assert.deepEqual(fs.readdirSync(work).sort(), ['dump', 'one.mortar']);

  assert.equal(execFileSync('tar', ['-tf', file], { encoding: 'utf8' }), 'manifest.json\ndatabase.pgdump\n');
  const out = join(work, 'out');
  fs.mkdirSync(out);
  execFileSync('tar', ['-xf', file, '-C', out]);
  assert.deepEqual(fs.readFileSync(join(out, 'database.pgdump')), data);
  assert.deepEqual(JSON.parse(fs.readFileSync(join(out, 'manifest.json'), 'utf8')), written);

  const opened = openBackupFile(file);
  assert.deepEqual(opened.manifest, written);
  assert.deepEqual(Buffer.from(readPayload(file, opened.payload)), data);
  await verifyPayload(file, opened.payload, written.payload);
  assert.equal(await hashFile(file, opened.payload.offset, opened.payload.bytes), written.payload.sha256);

  await assert.rejects(
    writeBackupFile(file, manifest, { name: 'database.pgdump', data: new Uint8Array(1) }),
    /already exists/,
  );
});

test('a damaged header, a payload that differs from the manifest, or a cut-short file are refused', async () => {
  const file = join(work, 'two.mortar');
  const written = await writeBackupFile(file, manifest, {
    name: 'database.tar.gz',
    data: new Uint8Array(2000),
  });
  const bytes = fs.readFileSync(file);

  const header = Buffer.from(bytes);
  header[5] = header[5]! ^ 1;
  fs.writeFileSync(join(work, 'header.mortar'), header);
  assert.throws(
    () => openBackupFile(join(work, 'header.mortar')),
    /not a Mortar backup or is damaged \(no manifest\)/,
  );

  fs.writeFileSync(join(work, 'short.mortar'), bytes.subarray(0, bytes.length - 2048));
  assert.throws(() => openBackupFile(join(work, 'short.mortar')), /shorter than it should be/);

  const opened = openBackupFile(file);
  await assert.rejects(
    verifyPayload(file, opened.payload, { ...written.payload, sha256: '0'.repeat(64) }),
    /does not match its checksum/,
  );
  await assert.rejects(
    verifyPayload(file, opened.payload, { ...written.payload, bytes: 1999 }),
    /not the one its manifest describes/,
  );
  assert.throws(() => openBackupFile(join(work, 'missing.mortar')), /Cannot read/);
});

test('tar headers: sizes of 8 GiB and more in base-256, as GNU tar writes them', () => {
  for (const size of [0, 1, 511, 8 ** 11 - 1, 8 ** 11, 3 * 2 ** 40]) {
    assert.deepEqual(parseTarHeader(tarHeader('database.pgdump', size, new Date(0))), {
      name: 'database.pgdump',
      size,
    });
  }
  assert.equal(parseTarHeader(Buffer.alloc(512)), null);
});
