// The order of the stop and its bounds, with steps that record when they run; the real process is
// shutdown.db.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shutdownOnce, type ShutdownPlan } from './shutdown.ts';

function plan(overrides: Partial<ShutdownPlan> = {}) {
  const steps: string[] = [];
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const p: ShutdownPlan = {
    log: quiet,
    beginShutdown: () => steps.push('not ready'),
    drainMs: 5,
    timeoutMs: 200,
    sleep: async (ms) => {
      steps.push(`drain ${ms}`);
    },
    closeServer: async () => {
      steps.push('listener closed');
    },
    destroyConnections: () => steps.push('connections ended'),
    stopJobs: async () => {
      steps.push('jobs stopped');
    },
    closeDatabase: async () => {
      steps.push('database closed');
    },
    ...overrides,
  };
  return { steps, stop: shutdownOnce(p) };
}

const never = () => new Promise<void>(() => undefined);

test('not ready first, then the drain, then requests and jobs, the database last; exit 0', async () => {
  const { steps, stop } = plan();
  assert.equal(await stop('SIGTERM'), 0);
  assert.deepEqual(steps, ['not ready', 'drain 5', 'listener closed', 'jobs stopped', 'database closed']);
});

test('a second signal joins the stop under way instead of starting another', async () => {
  const { steps, stop } = plan();
  const [a, b] = await Promise.all([stop('SIGTERM'), stop('SIGINT')]);
  assert.deepEqual([a, b], [0, 0]);
  assert.equal(steps.filter((s) => s === 'not ready').length, 1);
});

test('requests still running at the timeout: their connections are ended, the database still closed, exit 1', async () => {
  const { steps, stop } = plan({ closeServer: never });
  assert.equal(await stop('SIGTERM'), 1);
  assert.deepEqual(steps, ['not ready', 'drain 5', 'jobs stopped', 'connections ended', 'database closed']);
});

test('a pool that never closes does not keep the process up', async () => {
  const started = performance.now();
  const { stop } = plan({ closeDatabase: never, timeoutMs: 50 });
  assert.equal(await stop('SIGTERM'), 1);
  assert.ok(performance.now() - started < 5000);
});

test('a step that fails is reported in the exit code, and the rest still run', async () => {
  const { steps, stop } = plan({
    stopJobs: async () => {
      throw new Error('the job queue could not stop');
    },
  });
  assert.equal(await stop('SIGTERM'), 1);
  assert.ok(steps.includes('database closed'));
});
