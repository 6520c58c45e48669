import type { Database } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import type { StaffUser } from '../../platform/roles.ts';
import * as repo from './local-indicators.repository.ts';
import type { LocalIndicatorInput } from './local-indicators.schemas.ts';

// The changes a commissioner makes to their authority's local indicators, each in one transaction with
// its line of history and its audit row. Who may make them is decided by the routes through
// strategyScope (platform/scope.ts). An indicator is retired, never deleted, so its history stays.

export type { LocalIndicatorRow, LocalIndicatorChange } from './local-indicators.repository.ts';
export { findLocalIndicator, listChanges, listLocalIndicators } from './local-indicators.repository.ts';

/** The local indicators in use for an authority, for its dashboard. */
export const loadLocalIndicatorsInUse = (db: Database, code: string) =>
  repo.listLocalIndicators(db, [code], 'in_use');

export const FIELDS = ['name', 'definition', 'numerator', 'denominator', 'target', 'better'] as const;
type Field = (typeof FIELDS)[number];

/** The fields that differ, as history's before and after; empty when nothing changed. */
export function diffFields(stored: LocalIndicatorInput, wanted: LocalIndicatorInput) {
  const before: Partial<Record<Field, unknown>> = {};
  const after: Partial<Record<Field, unknown>> = {};
  for (const f of FIELDS) {
    if (stored[f] === wanted[f]) continue;
    before[f] = stored[f];
    after[f] = wanted[f];
  }
  return { before, after, changed: Object.keys(after) as Field[] };
}

const FIELD_WORDS: Record<Field, string> = {
  name: 'name',
  definition: 'definition',
  numerator: 'numerator',
  denominator: 'denominator',
  target: 'target',
  better: 'direction',
};

/** "Changed the name and target". */
export function describeChange(fields: readonly Field[]): string {
  const words = fields.map((f) => FIELD_WORDS[f]);
  const list = words.length === 1 ? words[0] : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
  return `Changed the ${list}`;
}

const snapshot = (f: LocalIndicatorInput): Record<Field, unknown> => ({
  name: f.name,
  definition: f.definition,
  numerator: f.numerator,
  denominator: f.denominator,
  target: f.target,
  better: f.better,
});

export async function createLocalIndicator(
  db: Database,
  user: StaffUser,
  code: string,
  input: LocalIndicatorInput,
  now: Date,
  requestId?: string,
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const id = await repo.insertLocalIndicator(trx, code, input, user.id, now);
    await repo.insertChange(trx, {
      indicatorId: id,
      actorUserId: user.id,
      occurredAt: now,
      summary: 'Added the indicator',
      before: null,
      after: snapshot(input),
    });
    await audit(
      trx,
      user,
      { action: 'create', entityType: 'local_indicator', entityId: id, detail: `${code} local indicator` },
      requestId,
    );
    return id;
  });
}

/** Saves what differs; a retired indicator is not changed (the caller shows it as it is). */
export async function updateLocalIndicator(
  db: Database,
  user: StaffUser,
  id: string,
  input: LocalIndicatorInput,
  now: Date,
  requestId?: string,
): Promise<{ changed: boolean }> {
  return db.transaction().execute(async (trx) => {
    const stored = await repo.lockLocalIndicator(trx, id);
    if (!stored || stored.retiredAt) return { changed: false };
    const diff = diffFields(stored, input);
    if (diff.changed.length === 0) return { changed: false };
    const summary = describeChange(diff.changed);
    await repo.updateLocalIndicator(trx, id, input, user.id, now);
    await repo.insertChange(trx, {
      indicatorId: id,
      actorUserId: user.id,
      occurredAt: now,
      summary,
      before: diff.before,
      after: diff.after,
    });
    await audit(
      trx,
      user,
      { action: 'update', entityType: 'local_indicator', entityId: id, detail: summary },
      requestId,
    );
    return { changed: true };
  });
}

/** Retires the indicator: off the dashboard from now on, kept with its history. */
export async function retireLocalIndicator(
  db: Database,
  user: StaffUser,
  id: string,
  now: Date,
  requestId?: string,
): Promise<{ retired: boolean }> {
  return db.transaction().execute(async (trx) => {
    const stored = await repo.lockLocalIndicator(trx, id);
    if (!stored || stored.retiredAt) return { retired: false };
    await repo.retireLocalIndicator(trx, id, user.id, now);
    await repo.insertChange(trx, {
      indicatorId: id,
      actorUserId: user.id,
      occurredAt: now,
      summary: 'Retired the indicator',
      before: { status: 'in_use' },
      after: { status: 'retired' },
    });
    await audit(
      trx,
      user,
      { action: 'update', entityType: 'local_indicator', entityId: id, detail: 'Retired the indicator' },
      requestId,
    );
    return { retired: true };
  });
}
