import type { Database } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import type { StaffUser } from '../../platform/roles.ts';
import { quarterLabel } from '../../platform/quarters.ts';
import { formatIndicatorValue, isIndicatorCode, indicatorOf } from './indicators.ts';
import { contains, findOverlap, periodLabel, type StrategyPeriod } from './strategy.periods.ts';
import * as repo from './strategy.repository.ts';
import type { StrategyDetails } from './strategy.schemas.ts';

// What the dashboards read of strategies and the need settings.
export { loadTargets, type TargetRow } from './strategy.repository.ts';
export { loadNeedSettings } from './need.repository.ts';

// The changes a commissioner makes to a strategy, each in one transaction with its line of history and
// its audit row. Who may make them is decided by the routes through strategyScope (platform/scope.ts);
// what a change means, and what the history says about it, is decided here.

export type Overlap = { overlap: { id: string; title: string; period: StrategyPeriod } };

export const overlapMessage = (o: Overlap['overlap']) =>
  `The period overlaps your strategy “${o.title}” (${periodLabel(o.period)}). Choose quarters that it does not cover`;

/** The changes to the targets that differ from what is stored, as history's before and after. */
export function diffTargets(stored: ReadonlyMap<string, number>, wanted: ReadonlyMap<string, number | null>) {
  const before: Record<string, number | null> = {};
  const after: Record<string, number | null> = {};
  const changes = new Map<string, number | null>();
  let set = 0;
  let changed = 0;
  let removed = 0;
  for (const [key, value] of wanted) {
    const old = stored.get(key) ?? null;
    if (old === value) continue;
    before[key] = old;
    after[key] = value;
    changes.set(key, value);
    if (old === null) set++;
    else if (value === null) removed++;
    else changed++;
  }
  return { before, after, changes, set, changed, removed };
}

const n = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** "Set 2 targets, changed 1 and removed 1": what a save of the grid did, in words. */
export function describeTargetChange(d: { set: number; changed: number; removed: number }): string {
  const parts: string[] = [];
  if (d.set) parts.push(`set ${n(d.set, 'target')}`);
  if (d.changed) parts.push(`changed ${d.set ? d.changed : n(d.changed, 'target')}`);
  if (d.removed) parts.push(`removed ${d.set || d.changed ? d.removed : n(d.removed, 'target')}`);
  if (parts.length === 0) return 'No targets changed';
  const text = parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
  return text[0]!.toUpperCase() + text.slice(1);
}

/** A history key as people read it: "Title", or "Referrals from NHS Talking Therapies, 2025/26 Q1". */
export function historyLabel(key: string): string {
  const fixed: Record<string, string> = { title: 'Title', aims: 'Aims', period: 'Period' };
  if (fixed[key]) return fixed[key];
  const k = repo.parseTargetKey(key);
  if (!k) return key;
  const name = isIndicatorCode(k.code) ? indicatorOf(k.code).name : k.code;
  return `${name}, ${quarterLabel(k.period.financialYear, k.period.quarter)}`;
}

/** A history value as people read it: a target with its unit, "No target", or the text itself. */
export function historyValue(key: string, value: unknown): string {
  const k = repo.parseTargetKey(key);
  if (k) {
    if (value === null || value === undefined) return 'No target';
    return isIndicatorCode(k.code) ? formatIndicatorValue(k.code, Number(value)) : String(value);
  }
  return value === null || value === undefined || value === '' ? 'None' : String(value);
}

async function checkOverlap(
  trx: Parameters<typeof repo.lockAuthority>[0],
  code: string,
  period: StrategyPeriod,
  exceptId?: string,
): Promise<Overlap | null> {
  await repo.lockAuthority(trx, code);
  const others = await repo.listStrategies(trx, [code]);
  const clash = findOverlap(period, others, exceptId);
  return clash ? { overlap: { id: clash.id, title: clash.title, period: clash.period } } : null;
}

export async function createStrategy(
  db: Database,
  user: StaffUser,
  code: string,
  d: StrategyDetails,
  requestId?: string,
): Promise<{ id: string } | Overlap> {
  return db.transaction().execute(async (trx) => {
    const clash = await checkOverlap(trx, code, d.period);
    if (clash) return clash;
    const id = await repo.insertStrategy(trx, code, d, user.id);
    const after = { title: d.title, aims: d.aims, period: periodLabel(d.period) };
    await repo.insertChange(trx, {
      strategyId: id,
      actorUserId: user.id,
      summary: 'Created the strategy',
      before: null,
      after,
    });
    await audit(
      trx,
      user,
      { action: 'create', entityType: 'strategy', entityId: id, detail: `${code} ${periodLabel(d.period)}` },
      requestId,
    );
    return { id };
  });
}

/**
 * Changes the title, aims or period. Targets for quarters the new period no longer covers are removed
 * (a dashboard would otherwise have no strategy to hold them), and the history keeps them.
 */
export async function updateDetails(
  db: Database,
  user: StaffUser,
  s: repo.StrategyRow,
  d: StrategyDetails,
  requestId?: string,
): Promise<{ changed: boolean } | Overlap> {
  return db.transaction().execute(async (trx) => {
    const clash = await checkOverlap(trx, s.localAuthorityCode, d.period, s.id);
    if (clash) return clash;
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    const what: string[] = [];
    const compare = (field: string, old: string, now: string) => {
      if (old === now) return;
      before[field] = old;
      after[field] = now;
      what.push(field);
    };
    compare('title', s.title, d.title);
    compare('aims', s.aims, d.aims);
    compare('period', periodLabel(s.period), periodLabel(d.period));
    if (what.length === 0) return { changed: false };

    const stored = await repo.strategyTargets(trx, s.id);
    const outside = new Map<string, number | null>();
    for (const key of stored.keys()) {
      const k = repo.parseTargetKey(key);
      if (k && !contains(d.period, k.period)) outside.set(key, null);
    }
    const dropped = diffTargets(stored, outside);
    Object.assign(before, dropped.before);
    Object.assign(after, dropped.after);

    await repo.updateStrategy(trx, s.id, d, user.id);
    await repo.writeTargets(trx, s.id, dropped.changes);
    const list = what.length === 1 ? what[0] : `${what.slice(0, -1).join(', ')} and ${what.at(-1)}`;
    const summary = `Changed the ${list}${dropped.removed ? `; removed ${n(dropped.removed, 'target')} outside the new period` : ''}`;
    await repo.insertChange(trx, { strategyId: s.id, actorUserId: user.id, summary, before, after });
    await audit(
      trx,
      user,
      { action: 'update', entityType: 'strategy', entityId: s.id, detail: summary },
      requestId,
    );
    return { changed: true };
  });
}

/**
 * What a save of the grid did: nothing, or the change in words as history records it. Callers decide on
 * `changed`, never on the words, so rewording the summary cannot change what a page says happened.
 */
export type TargetsSaved = { changed: false } | { changed: true; summary: string };

/** Saves the grid: only the cells whose value differs are written, and they are what history shows. */
export async function saveTargets(
  db: Database,
  user: StaffUser,
  s: repo.StrategyRow,
  wanted: ReadonlyMap<string, number | null>,
  requestId?: string,
): Promise<TargetsSaved> {
  return db.transaction().execute(async (trx): Promise<TargetsSaved> => {
    const diff = diffTargets(await repo.strategyTargets(trx, s.id), wanted);
    if (diff.changes.size === 0) return { changed: false };
    const summary = describeTargetChange(diff);
    await repo.writeTargets(trx, s.id, diff.changes);
    await repo.touchStrategy(trx, s.id, user.id);
    await repo.insertChange(trx, {
      strategyId: s.id,
      actorUserId: user.id,
      summary,
      before: diff.before,
      after: diff.after,
    });
    await audit(
      trx,
      user,
      { action: 'update', entityType: 'strategy_targets', entityId: s.id, detail: summary },
      requestId,
    );
    return { changed: true, summary };
  });
}
