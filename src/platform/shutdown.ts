// How an instance stops on SIGTERM or SIGINT, in this order:
//   1. not ready at once: /readyz answers 503 (platform/lifecycle.ts), so a load balancer stops sending;
//   2. optionally wait (SHUTDOWN_DRAIN_MS), still serving, for a proxy that checks readiness every few
//      seconds to notice, so no request is sent to a listener that has just closed;
//   3. stop listening and finish the requests in flight, while the job queue stops fetching and waits for
//      the jobs it is running; idle keep-alive connections are closed rather than waited for, and a
//      request arriving on one meanwhile is still served, with Connection: close (Fastify's
//      forceCloseConnections 'idle' and return503OnClosing false, set in app.ts);
//   4. if requests or jobs are still running after SHUTDOWN_TIMEOUT_MS, end their connections;
//   5. close the database pool, which everything before may still have needed (bounded as well).
// The exit code is 0 when everything finished in time, 1 when something was cut short or failed.

export type ShutdownLog = {
  info: (obj: object, msg: string) => void;
  warn: (obj: object, msg: string) => void;
  error: (obj: object, msg: string) => void;
};

export type ShutdownPlan = {
  log: ShutdownLog;
  /** Turns /readyz to 503. */
  beginShutdown: () => void;
  drainMs: number;
  timeoutMs: number;
  /** Stops listening and resolves once every request in flight has been answered. */
  closeServer: () => Promise<void>;
  /** Ends every connection still open, answered or not (after the timeout). */
  destroyConnections: () => void;
  /** Stops the job queue, waiting for the jobs it is running. */
  stopJobs: () => Promise<void>;
  closeDatabase: () => Promise<void>;
  /** Waits the drain (tests pass their own). */
  sleep?: (ms: number) => Promise<void>;
};

/** After the timeout, how long connections that were ended get to finish closing. */
const AFTER_FORCE_MS = 2_000;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const describe = (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

/** Whether `work` settled within `ms`: done, failed (with why), or late. */
async function within(work: Promise<unknown>, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  const settled = work.then(
    () => 'done' as const,
    (err: unknown) => ({ failed: describe(err) }),
  );
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
  });
  try {
    return await Promise.race([settled, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The stop, run once however many signals arrive; resolves to the exit code. */
export function shutdownOnce(plan: ShutdownPlan): (signal: string) => Promise<number> {
  let running: Promise<number> | null = null;
  return (signal) => {
    if (running) {
      plan.log.warn({ signal }, 'already shutting down');
      return running;
    }
    running = shutdown(plan, signal);
    return running;
  };
}

async function shutdown(plan: ShutdownPlan, signal: string): Promise<number> {
  const { log } = plan;
  const sleep = plan.sleep ?? defaultSleep;
  let code = 0;
  plan.beginShutdown();
  log.info({ signal, drainMs: plan.drainMs, timeoutMs: plan.timeoutMs }, 'shutting down: no longer ready');
  if (plan.drainMs > 0) await sleep(plan.drainMs);

  log.info({}, 'closing the listener; finishing requests in flight and running jobs');
  const server = plan.closeServer();
  const jobs = plan.stopJobs();
  const outcome = await within(Promise.all([server, jobs]), plan.timeoutMs);
  if (outcome === 'late') {
    code = 1;
    log.warn({ timeoutMs: plan.timeoutMs }, 'requests or jobs still running at the timeout: ending them');
    plan.destroyConnections();
    await within(Promise.all([server, jobs]), AFTER_FORCE_MS);
  } else if (outcome !== 'done') {
    code = 1;
    log.error({ error: outcome.failed }, 'stopping the listener or the job queue failed');
  }

  // Closing the pool waits for connections still checked out, which a job cut short may hold: bounded
  // too, so a stop always ends (the database keeps every committed change whatever happens here).
  const closed = await within(plan.closeDatabase(), code === 0 ? plan.timeoutMs : AFTER_FORCE_MS);
  if (closed !== 'done') {
    code = 1;
    const why = closed === 'late' ? 'connections still in use' : closed.failed;
    log.error({ error: why }, 'closing the database failed');
  }
  log.info({ exitCode: code }, code === 0 ? 'stopped' : 'stopped, cutting something short');
  return code;
}
