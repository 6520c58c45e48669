import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DataDirInUseError, lockDataDir, lockPathOf } from './data-dir-lock.ts';

const work = fs.mkdtempSync(join(tmpdir(), 'mortar-lock-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));

test('a data folder is locked to one holder until released', () => {
  const dir = join(work, 'one');
  const lock = lockDataDir(dir);
  assert.equal(lock.path, `${dir}.lock`);
  assert.equal(fs.statSync(lock.path).mode & 0o777, 0o600);
  assert.throws(
    () => lockDataDir(dir),
    (err) => err instanceof DataDirInUseError && err.pid === process.pid && /Stop Mortar/.test(err.message),
  );
  lock.release();
  assert.equal(fs.existsSync(lock.path), false);
  lockDataDir(dir).release();
});

test('a lock left by a process that has ended is taken over', () => {
  const dir = join(work, 'two');
  // A real process's number, once it has exited: nothing holds the lock any more.
  const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  fs.writeFileSync(lockPathOf(dir), JSON.stringify({ pid: Number(ended.stdout), started: '1' }));
  const lock = lockDataDir(dir);
  assert.equal(JSON.parse(fs.readFileSync(lock.path, 'utf8')).pid, process.pid);
  lock.release();
});

test('a lock whose process number now belongs to a later process is taken over', () => {
  const dir = join(work, 'three');
  // This process is alive, but did not start at tick 1: the number was reused.
  fs.writeFileSync(lockPathOf(dir), JSON.stringify({ pid: process.pid, started: '1' }));
  lockDataDir(dir).release();
  // An unreadable lock (written by a process that died at once) is stale too.
  fs.writeFileSync(lockPathOf(dir), '');
  lockDataDir(dir).release();
});

test('a holder whose lock was taken over (thought stale) never removes the new holder’s', () => {
  const dir = join(work, 'four');
  const lock = lockDataDir(dir);
  const theirs = JSON.stringify({ pid: 1, started: null });
  fs.writeFileSync(lock.path, theirs);
  lock.release();
  assert.equal(fs.readFileSync(lock.path, 'utf8'), theirs);
  assert.throws(() => lockDataDir(dir), DataDirInUseError);
});
