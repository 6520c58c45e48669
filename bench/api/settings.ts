import { fileURLToPath } from 'node:url';
import { intEnv } from '../load.ts';

// Settings (environment overrides are for quick experiments; the defaults are the reported run)

export const S = {
  concurrency: intEnv('BENCH_CONCURRENCY', 16, 1, 256),
  warmupMs: intEnv('BENCH_WARMUP_S', 10, 0, 300) * 1000,
  measureMs: intEnv('BENCH_SECONDS', 20, 1, 600) * 1000,
  maxRequests: intEnv('BENCH_MAX_REQUESTS', 5000, 1, 1_000_000),
  rawWarmupMs: 3000,
  rawMaxRows: 200_000,
  killAfterMs: 2000,
  burstCapMs: 15_000,
  burstMaxRequests: 50_000,
  pgliteWarmupMs: 5000,
  pgliteMeasureMs: 10_000,
  pgliteMaxRequests: 2000,
  pgliteSetupBudgetMs: 120_000,
  skipPglite: process.env.BENCH_SKIP_PGLITE === '1',
  requestTimeoutMs: 30_000,
};

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DEMO_PASSWORD = 'bench-demo-password-1';
// The demo referrer whose systems call the API; postcodes route to Leeds and Manchester services.
export const REFERRER_ORG = 'Leeds NHS Talking Therapies';
export const POSTCODES = ['LS6 1AN', 'M1 1AE', 'LS2 9JT', 'M14 5TQ', 'LS7 3JB', 'LS11 5DA'];
export const GIVEN = ['Sam', 'Priya', 'Jordan', 'Morgan', 'Casey', 'Alex', 'Robin', 'Jamie'];
export const FAMILY = ['Taylor', 'Shah', 'Lee', 'Hughes', 'Brown', 'Wood', 'Ashworth', 'Fletcher'];
