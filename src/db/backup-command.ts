import type { Clock } from '../platform/clock.ts';
import { BackupFileError } from './backup-archive.ts';
import { ServerToolError } from './backup-server.ts';
import { DataDirInUseError } from './data-dir-lock.ts';
import { backup, BackupRefused, restore, type BackupTarget } from './backup.ts';

// The words `mortar backup` and `mortar restore` print: what was done, with table names and counts only.

const total = (tables: Record<string, number>) => Object.values(tables).reduce((a, b) => a + b, 0);

/** Runs the command and answers its exit code: 0 done, 2 refused (nothing changed), 1 failed. */
export async function runBackupCommand(
  command: 'backup' | 'restore',
  file: string | undefined,
  opts: { target: BackupTarget; force: boolean; clock: Clock },
  out: { log: (s: string) => void; error: (s: string) => void } = console,
): Promise<number> {
  if (!file) {
    out.error(`Name the backup file: node src/main.ts ${command} <file>`);
    return 2;
  }
  const where = opts.target.databaseUrl ? 'the PostgreSQL server (DATABASE_URL)' : opts.target.dataDir;
  try {
    if (command === 'backup') {
      const m = await backup({ target: opts.target, file, clock: opts.clock });
      out.log(
        `Backed up ${where} to ${file}: ${Object.keys(m.tables).length} tables, ${total(m.tables)} rows, ` +
          `migration ${m.migrations.at(-1) ?? 'none'}.\n` +
          'The file holds people’s personal data: keep it encrypted and where only those who may restore it can read it.',
      );
      return 0;
    }
    const r = await restore({ target: opts.target, file, clock: opts.clock, force: opts.force });
    for (const aside of r.movedAside) out.log(`The database that was there is kept as ${aside}.`);
    out.log(
      `Restored ${file} (made ${r.manifest.createdAt} by Mortar ${r.manifest.mortarVersion}) into ${where}: ` +
        `${Object.keys(r.manifest.tables).length} tables, ${total(r.manifest.tables)} rows, every count as in the backup.`,
    );
    out.log(
      r.migrated.length ? `Applied migrations: ${r.migrated.join(', ')}` : 'No migrations were needed.',
    );
    out.log('Anything recorded after the backup was made is not in it: tell the services that use Mortar.');
    return 0;
  } catch (err) {
    if (
      err instanceof BackupRefused ||
      err instanceof BackupFileError ||
      err instanceof DataDirInUseError ||
      err instanceof ServerToolError
    ) {
      out.error(err.message);
      return 2;
    }
    throw err;
  }
}
