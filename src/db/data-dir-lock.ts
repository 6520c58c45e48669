import fs from 'node:fs';

// PGlite takes no lock on its data directory: a second process (or a second PGlite in the same one)
// opens it without complaint, and two PostgreSQL instances writing one set of files corrupt it (tried:
// both opened and answered queries). Its postmaster.pid always says pid -42, so it cannot tell a live
// owner from a crashed one. So Mortar keeps its own lock beside the directory (`<dir>.lock`, not inside,
// where a backup would carry it), naming the process and when it started; a lock whose process has gone
// (or whose number now belongs to a later process) is stale and taken over.

export class DataDirInUseError extends Error {
  readonly dir: string;
  readonly pid: number;
  constructor(dir: string, pid: number) {
    super(
      `The embedded database at ${dir} is in use by another Mortar process (process ${pid}). ` +
        'Stop Mortar (the server, or any migrate, seed, backup or restore) and try again.',
    );
    this.name = 'DataDirInUseError';
    this.dir = dir;
    this.pid = pid;
  }
}

export type DataDirLock = { path: string; release: () => void };

type Owner = { pid: number; started: string | null };

export const lockPathOf = (dir: string) => `${dir.replace(/\/+$/, '')}.lock`;

/** When a process started, in clock ticks since boot (field 22 of /proc/<pid>/stat); null if unknown. */
function startTicks(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces; count from after it.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function alive(owner: Owner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const started = startTicks(owner.pid);
  return owner.started === null || started === null || started === owner.started;
}

function readOwner(path: string): Owner | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(path, 'utf8')) as Partial<Owner>;
    return typeof parsed.pid === 'number' ? { pid: parsed.pid, started: parsed.started ?? null } : null;
  } catch {
    return null;
  }
}

/**
 * Takes the lock on an embedded data directory, or throws DataDirInUseError naming the process that
 * holds it. The lock is released by `release()`; a process that dies without releasing it leaves a stale
 * lock, which the next caller takes over.
 */
export function lockDataDir(dir: string): DataDirLock {
  const path = lockPathOf(dir);
  const me: Owner = { pid: process.pid, started: startTicks(process.pid) };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(path, JSON.stringify(me), { flag: 'wx', mode: 0o600 });
      let held = true;
      return {
        path,
        release: () => {
          if (!held) return;
          held = false;
          const owner = readOwner(path);
          if (owner?.pid === me.pid && owner.started === me.started) fs.rmSync(path, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = readOwner(path);
    if (owner && alive(owner)) throw new DataDirInUseError(dir, owner.pid);
    // Stale (or half written by a process that died at once): moved away by a rename, so of two
    // processes finding it stale together only one removes it, and the other retries against the new.
    const stale = `${path}.stale-${process.pid}`;
    try {
      fs.renameSync(path, stale);
      fs.rmSync(stale, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  throw new Error(`Could not take the lock ${path}; try again.`);
}
