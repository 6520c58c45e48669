import fs from 'node:fs';
import { join } from 'node:path';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';
import { lockDataDir, type DataDirLock } from './data-dir-lock.ts';

// The embedded database keeps people's records on this machine's disk, so two things PGlite does not do
// by itself are done here:
//
// 1. Durable commits. PGlite starts PostgreSQL with fsync off ("-F"), and its Emscripten file system for
//    Node has no fsync at all (fsync() and fdatasync() return success without touching the disk): strace
//    counted 0 fsync calls for 256 committed referrals. PostgreSQL runs here with fsync on and
//    wal_sync_method=fsync (fdatasync() is a dead end in Emscripten; fsync() reaches the file system's
//    stream_ops.fsync), and that operation is given a real fsync(2). strace then counts one fsync of the
//    write-ahead log per commit, before the commit returns. The files PGlite unpacks from an archive
//    (with no fsync) when it makes a new database are synced once, then.
// 2. Owner-only files. PGlite unpacks a new database's files with mode 0666 (its archive's modes), so any
//    local user could read the write-ahead log. At every start the data directory is made 0700 and
//    everything in it owner-only (folders left by earlier versions too), and the process's umask 077
//    keeps later files (PostgreSQL's own, Node's) the same.

/** Modes with any group or other bit set are narrowed to these. */
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

/** PostgreSQL's settings in the embedded database: PGlite's own, with fsync on (see above). */
export function durableStartParams(): string[] {
  return [
    ...PGlite.defaultStartParams.filter((p) => p !== '-F'),
    '-c',
    'fsync=on',
    '-c',
    'wal_sync_method=fsync',
  ];
}

type EmscriptenStream = { nfd?: number };
type EmscriptenModule = {
  NODEFS: {
    stream_ops: Record<string, unknown>;
    tryFSOperation: <T>(f: () => T) => T;
  };
};

/** PGlite's Node file system with a real fsync(2) behind PostgreSQL's fsync(). */
class DurableNodeFS extends NodeFS {
  override async init(pg: PGlite, opts: Parameters<NodeFS['init']>[1]) {
    const result = await super.init(pg, opts);
    result.emscriptenOpts.preRun = [
      ...(result.emscriptenOpts.preRun ?? []),
      (mod) => {
        const { NODEFS } = mod as unknown as EmscriptenModule;
        // Every file and directory NODEFS opens shares this one object; a failed fsync becomes an errno
        // PostgreSQL sees (and answers with a PANIC, as it should), not a JavaScript exception.
        NODEFS.stream_ops.fsync = (stream: EmscriptenStream) =>
          NODEFS.tryFSOperation(() => {
            if (typeof stream.nfd === 'number') fs.fsyncSync(stream.nfd);
            return 0;
          });
      },
    ];
    return result;
  }
}

/** Every directory under `dir` (itself included) and every file, directories after their contents. */
function walk(dir: string, visit: (path: string, isDir: boolean) => void): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, visit);
    else if (entry.isFile()) visit(path, false);
  }
  visit(dir, true);
}

/** Narrows every directory under `dir` to 0700 and every file to 0600 (those already narrower stay so). */
export function secureTree(dir: string): void {
  walk(dir, (path, isDir) => {
    const mode = fs.lstatSync(path).mode & 0o777;
    if (mode & 0o077) fs.chmodSync(path, mode & (isDir ? DIR_MODE : FILE_MODE));
  });
}

/**
 * fsyncs every file and then its directory, so a new file's contents and name are both on disk. About
 * 5 ms a file on a virtual disk even when nothing is dirty, so only after PGlite has made a new database.
 */
export function syncTree(dir: string): void {
  walk(dir, (path) => {
    const fd = fs.openSync(path, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  });
}

/**
 * PGlite on a folder of this machine, owner-only and with every commit on disk before it returns, and
 * locked to this process until closed (data-dir-lock.ts): a second opener is refused with
 * DataDirInUseError. A caller that already holds the lock (restore, which keeps it across moving a folder
 * aside and unpacking a backup) passes it as `held`, and releases it itself.
 */
export async function openEmbeddedPglite(
  dir: string,
  options: PGliteOptions = {},
  held?: DataDirLock,
): Promise<PGlite> {
  // The process's mask: files PostgreSQL or Node create later are owner-only from the start.
  process.umask(0o077);
  fs.mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  fs.chmodSync(dir, DIR_MODE);
  const lock = held ?? lockDataDir(dir);
  const release = () => {
    if (!held) lock.release();
  };
  const fresh = !fs.existsSync(join(dir, 'PG_VERSION'));
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({
      ...options,
      fs: new DurableNodeFS(dir),
      startParams: durableStartParams(),
    });
  } catch (err) {
    release();
    throw err;
  }
  try {
    secureTree(dir);
    if (fresh) syncTree(dir);
  } catch (err) {
    await pglite.close();
    release();
    throw err;
  }
  const close = pglite.close.bind(pglite);
  // The lock goes with the instance: every caller closes PGlite, and none forgets the lock that way.
  pglite.close = async () => {
    try {
      await close();
    } finally {
      release();
    }
  };
  return pglite;
}
