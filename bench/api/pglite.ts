// The same API figure, and the same kill, on the embedded database (PGlite), for comparison.

import { join } from 'node:path';
import { hashToken, newToken } from '../../src/platform/tokens.ts';
import { machineCpuSeconds, procCpu, single, withCpu, type CpuProbe, type CpuUse } from '../cpu.ts';
import { log, now, runDir, SlowError, sleep } from '../pg-cluster.ts';
import { burstAndKill, verifyAcknowledged, type Durability } from './durability.ts';
import { API_KEY_SQL, mortarEnv, spawnMortar, startMortar, stopGracefully, type Mortar } from './mortar.ts';
import { apiThroughput, type LoadResult } from './referral-load.ts';
import { REFERRER_ORG, S } from './settings.ts';

export type PgliteResult = {
  load: LoadResult;
  cpu: CpuUse;
  durability?: Durability;
  durabilitySkipped?: string;
};

export async function pgliteThroughput(): Promise<PgliteResult | string> {
  const dataDir = join(runDir, 'pglite');
  const setupStart = now();
  const budgetLeft = () => S.pgliteSetupBudgetMs - (now() - setupStart);

  // Demo data first (`seed`), then the API key written with PGlite in this process, then `serve`: only
  // one process may open a PGlite data directory at a time.
  const seed = spawnMortar('seed', mortarEnv({ MORTAR_DATA_DIR: dataDir }));
  const seeded = await Promise.race([seed.exited.then(() => true), sleep(budgetLeft()).then(() => false)]);
  if (!seeded) {
    seed.child.kill('SIGKILL');
    return `skipped: seeding the embedded database took over ${S.pgliteSetupBudgetMs / 1000} s`;
  }
  if (seed.child.exitCode !== 0)
    throw new Error(`seed failed (${seed.child.exitCode ?? seed.child.signalCode}):\n${seed.output()}`);

  const key = newToken();
  const { PGlite } = await import('@electric-sql/pglite');
  let lite = await PGlite.create(dataDir);
  try {
    const r = await lite.query<{ id: string }>(API_KEY_SQL, [key.slice(0, 8), hashToken(key), REFERRER_ORG]);
    if (!r.rows[0]) throw new Error(`No organisation named "${REFERRER_ORG}" in the embedded database`);
  } finally {
    await lite.close();
  }
  if (budgetLeft() <= 0)
    return `skipped: setting up the embedded database took over ${S.pgliteSetupBudgetMs / 1000} s`;

  let m: Mortar;
  try {
    m = await startMortar({ MORTAR_DATA_DIR: dataDir }, Math.max(5000, budgetLeft()));
  } catch (err) {
    if (err instanceof SlowError)
      return `skipped: Mortar on PGlite did not start within the ${S.pgliteSetupBudgetMs / 1000} s budget`;
    throw err;
  }
  log(`PGlite set-up took ${((now() - setupStart) / 1000).toFixed(1)} s; measuring`);
  let out: PgliteResult;
  try {
    const probes: CpuProbe[] = [
      { label: 'bench client', read: () => single(procCpu(process.pid)?.secs) },
      { label: 'Mortar with PGlite', read: () => single(procCpu(m.child.pid!)?.secs) },
      { label: 'whole machine', read: () => single(machineCpuSeconds()) },
    ];
    const { result, cpu } = await withCpu(probes, () =>
      apiThroughput(m.url, key, S.pgliteWarmupMs, S.pgliteMeasureMs, S.pgliteMaxRequests),
    );
    out = { load: result, cpu };
  } catch (err) {
    await stopGracefully(m);
    throw err;
  }

  // The same kill on the embedded database: the data directory is opened again here once Mortar is gone.
  log(`PGlite durability: burst of POSTs, SIGKILL Mortar after ${S.killAfterMs / 1000} s…`);
  const burst = await burstAndKill(m, key);
  const reopenStart = now();
  try {
    lite = await Promise.race([
      PGlite.create(dataDir),
      sleep(60_000).then(() => {
        throw new SlowError('reopening the PGlite data directory after the kill took over 60 s');
      }),
    ]);
  } catch (err) {
    out.durabilitySkipped = `could not reopen the data directory after the kill: ${err instanceof Error ? err.message : String(err)}`;
    return out;
  }
  try {
    out.durability = await verifyAcknowledged(lite, burst, undefined);
    log(
      `PGlite: reopened after the kill in ${((now() - reopenStart) / 1000).toFixed(1)} s; acknowledged ${out.durability.acknowledged}, lost ${out.durability.lost}`,
    );
  } finally {
    await lite.close();
  }
  return out;
}
