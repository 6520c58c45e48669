import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.ts';
import { pendingMigrations } from '../db/migrate.ts';
import { checkReadiness } from './readiness.ts';

/** The probes: no session is looked up and no rate limit counts them (app.ts). */
export const PROBE_PATHS = ['/healthz', '/readyz'];

export function registerHealth(app: FastifyInstance, { db }: { db: Database }) {
  // Sessionless: a browser's session cookie must not turn "the database is down" into an error page.
  // Both are always asked afresh: a monitor or proxy must never be answered from a cache.
  const config = { access: 'public' as const, sessionless: true };

  // Liveness: the process answers. No database call, so a database outage never restarts instances.
  app.get('/healthz', { config, logLevel: 'warn' }, async (_request, reply) =>
    reply.header('cache-control', 'no-store').send({ status: 'ok' }),
  );

  // Readiness: send this instance requests (platform/readiness.ts).
  app.get('/readyz', { config, logLevel: 'warn' }, async (_request, reply) => {
    const readiness = await checkReadiness({
      shuttingDown: app.lifecycle.shuttingDown,
      pending: () => pendingMigrations(db),
    });
    return reply
      .code(readiness.status === 'ready' ? 200 : 503)
      .header('cache-control', 'no-store')
      .send(readiness);
  });
}
