import { z } from 'zod';

// What a backup says about itself, and the rules restore applies to it before it touches anything and
// after. Kept pure (no database, no files) so each refusal is tested alone (backup-manifest.test.ts).

export type DatabaseKind = 'embedded' | 'server';

const ManifestSchema = z.object({
  format: z.literal('mortar-backup'),
  formatVersion: z.literal(1),
  mortarVersion: z.string(),
  database: z.enum(['embedded', 'server']),
  postgresVersion: z.string(),
  /** Every migration the database had, in the order applied; the last is its migration level. */
  migrations: z.array(z.string()),
  createdAt: z.iso.datetime(),
  /** Rows in each table, by `schema.table`, counted in the same snapshot the backup holds. */
  tables: z.record(z.string(), z.number().int().min(0)),
  payload: z.object({
    name: z.string(),
    bytes: z.number().int().min(0),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  }),
});

export type BackupManifest = z.infer<typeof ManifestSchema>;

export type ManifestCheck = { ok: true; manifest: BackupManifest } | { ok: false; reason: string };

/**
 * Whether a backup can be restored by this code into this kind of database. Refused: anything that is
 * not a Mortar backup's manifest, a backup of the other kind of database, and a backup whose database
 * had a migration this code does not know (made by a newer Mortar: this code cannot run on it, and
 * could only bring it "up to date" by getting its tables wrong).
 */
export function checkManifest(
  raw: unknown,
  target: { kind: DatabaseKind; knownMigrations: readonly string[] },
): ManifestCheck {
  const parsed = ManifestSchema.safeParse(raw);
  if (!parsed.success)
    return { ok: false, reason: 'This is not a Mortar backup, or its manifest is damaged.' };
  const manifest = parsed.data;
  if (manifest.database !== target.kind) {
    return {
      ok: false,
      reason:
        `This is a backup of ${manifest.database === 'embedded' ? 'an embedded' : 'a PostgreSQL server'} ` +
        `database; it cannot be restored into ${target.kind === 'embedded' ? 'an embedded' : 'a server'} one.`,
    };
  }
  const known = new Set(target.knownMigrations);
  const unknown = manifest.migrations.filter((m) => !known.has(m));
  if (unknown.length) {
    return {
      ok: false,
      reason:
        `This backup was made by a newer version of Mortar (${manifest.mortarVersion}): its database has ` +
        `migration ${unknown.join(', ')}, which this version does not know. Restore it with that version or a later one.`,
    };
  }
  return { ok: true, manifest };
}

export type CountDifference = { table: string; expected: number | null; found: number | null };

/** Every table whose row count differs from the manifest's, or that is only on one side. */
export function compareCounts(
  expected: Record<string, number>,
  found: Record<string, number>,
): CountDifference[] {
  const tables = [...new Set([...Object.keys(expected), ...Object.keys(found)])].sort();
  return tables
    .map((table) => ({ table, expected: expected[table] ?? null, found: found[table] ?? null }))
    .filter((d) => d.expected !== d.found);
}

/** The differences in words, table names and numbers only (a log or terminal never sees a row). */
export function describeDifferences(diffs: CountDifference[]): string {
  return diffs
    .map(
      (d) =>
        `${d.table}: ${d.expected === null ? 'not in the backup' : `${d.expected} in the backup`}, ` +
        `${d.found === null ? 'missing after restore' : `${d.found} after restore`}`,
    )
    .join('\n');
}
