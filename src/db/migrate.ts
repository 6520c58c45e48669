import { sql } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import type { Database } from './database.ts';
import * as m0001 from './migrations/0001-foundation.ts';
import * as m0002 from './migrations/0002-episodes.ts';
import * as m0003 from './migrations/0003-idempotency.ts';
import * as m0004 from './migrations/0004-directory.ts';
import * as m0005 from './migrations/0005-self-referral.ts';
import * as m0006 from './migrations/0006-returns.ts';
import * as m0007 from './migrations/0007-need-parameters.ts';
import * as m0008 from './migrations/0008-strategies.ts';
import * as m0009 from './migrations/0009-partners.ts';
import * as m0010 from './migrations/0010-campaigns.ts';
import * as m0011 from './migrations/0011-episode-facts.ts';
import * as m0012 from './migrations/0012-referral-facts.ts';
import * as m0013 from './migrations/0013-national-counts-cache.ts';
import * as m0014 from './migrations/0014-sign-in-security.ts';
import * as m0016 from './migrations/0016-grants-and-audit.ts';
import * as m0017 from './migrations/0017-medicine-names.ts';
import * as m0018 from './migrations/0018-asked-about-smoking.ts';
import * as m0019 from './migrations/0019-form-tokens.ts';
import * as m0020 from './migrations/0020-published-returns.ts';
import * as m0021 from './migrations/0021-vba-module.ts';
import * as m0024 from './migrations/0024-toolkit.ts';
import * as m0022 from './migrations/0022-delivery-route.ts';
import * as m0025 from './migrations/0025-national-trajectory.ts';
import * as m0026 from './migrations/0026-integrated-returns.ts';
import * as m0027 from './migrations/0027-signposted-advice.ts';
import * as m0028 from './migrations/0028-local-indicators.ts';
import * as m0029 from './migrations/0029-service-costs.ts';
import * as m0030 from './migrations/0030-appointments.ts';
import * as m0032 from './migrations/0032-relapse-and-referrer-changes.ts';
import * as m0033 from './migrations/0033-messages.ts';
import * as m0035 from './migrations/0035-referrer-updates.ts';
import * as m0036 from './migrations/0036-two-factor.ts';
import * as m0039 from './migrations/0039-clinical-codes.ts';
import * as m0040 from './migrations/0040-single-sign-on.ts';
import * as m0041 from './migrations/0041-webhooks.ts';
import * as m0042 from './migrations/0042-letter-deliveries.ts';
import * as m0044 from './migrations/0044-opening-hours.ts';
import * as m0045 from './migrations/0045-cheaper-write-triggers.ts';
import * as m0046 from './migrations/0046-rate-limits-unlogged.ts';
import * as m0047 from './migrations/0047-directory-version.ts';
import * as m0048 from './migrations/0048-referral-current-status.ts';
import * as m0050 from './migrations/0050-national-counts-marks-by-authority.ts';
import * as m0051 from './migrations/0051-facts-covering-indexes.ts';
import * as m0052 from './migrations/0052-open-episodes.ts';
import * as m0053 from './migrations/0053-referral-facts-by-service.ts';
import * as m0054 from './migrations/0054-cmhc-quit-dates-index.ts';
import * as m0055 from './migrations/0055-referral-facts-by-service-covering.ts';
import * as m0056 from './migrations/0056-audit-reach-by-type.ts';
import * as m0057 from './migrations/0057-episode-facts-by-service-covering.ts';
import * as m0058 from './migrations/0058-counting-authority-plan-kept.ts';

// Listed, not read from disk, so the set is explicit and reviewable.
const migrations: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-episodes': m0002,
  '0003-idempotency': m0003,
  '0004-directory': m0004,
  '0005-self-referral': m0005,
  '0006-returns': m0006,
  '0007-need-parameters': m0007,
  '0008-strategies': m0008,
  '0009-partners': m0009,
  '0010-campaigns': m0010,
  '0011-episode-facts': m0011,
  '0012-referral-facts': m0012,
  '0013-national-counts-cache': m0013,
  '0014-sign-in-security': m0014,
  '0016-grants-and-audit': m0016,
  '0017-medicine-names': m0017,
  '0018-asked-about-smoking': m0018,
  '0019-form-tokens': m0019,
  '0020-published-returns': m0020,
  '0021-vba-module': m0021,
  '0024-toolkit': m0024,
  '0022-delivery-route': m0022,
  '0025-national-trajectory': m0025,
  '0026-integrated-returns': m0026,
  '0027-signposted-advice': m0027,
  '0028-local-indicators': m0028,
  '0029-service-costs': m0029,
  '0030-appointments': m0030,
  '0032-relapse-and-referrer-changes': m0032,
  '0033-messages': m0033,
  '0035-referrer-updates': m0035,
  '0036-two-factor': m0036,
  '0039-clinical-codes': m0039,
  '0040-single-sign-on': m0040,
  '0041-webhooks': m0041,
  '0042-letter-deliveries': m0042,
  '0044-opening-hours': m0044,
  '0045-cheaper-write-triggers': m0045,
  '0046-rate-limits-unlogged': m0046,
  '0047-directory-version': m0047,
  '0048-referral-current-status': m0048,
  '0050-national-counts-marks-by-authority': m0050,
  '0051-facts-covering-indexes': m0051,
  '0052-open-episodes': m0052,
  '0053-referral-facts-by-service': m0053,
  '0054-cmhc-quit-dates-index': m0054,
  '0055-referral-facts-by-service-covering': m0055,
  '0056-audit-reach-by-type': m0056,
  '0057-episode-facts-by-service-covering': m0057,
  '0058-counting-authority-plan-kept': m0058,
};

/** Every migration this version knows, in order: a backup from a database with any other is refused. */
export const KNOWN_MIGRATIONS: readonly string[] = Object.keys(migrations);

const provider: MigrationProvider = { getMigrations: async () => migrations };

const MIGRATION_TABLE = 'mortar_migrations';

/**
 * The migrations this version of Mortar lists that the database has not applied (all of them on a
 * database Mortar never ran on). Two small queries, for the readiness check: Kysely's own listing reads
 * every table's columns first. Throws when the database cannot be reached.
 */
export async function pendingMigrations(db: Database): Promise<string[]> {
  const { rows } = await sql<{ present: boolean }>`
    select to_regclass(${MIGRATION_TABLE}::text) is not null as present`.execute(db);
  if (!rows[0]?.present) return Object.keys(migrations);
  const applied = await sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(db);
  const done = new Set(applied.rows.map((r) => r.name));
  return Object.keys(migrations).filter((name) => !done.has(name));
}

export async function migrateToLatest(db: Database): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: 'mortar_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
