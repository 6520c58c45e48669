import type { FastifyInstance } from 'fastify';
import { ping, type Database } from '../db/database.ts';

export function registerHealth(app: FastifyInstance, { db }: { db: Database }) {
  // Sessionless: a browser's session cookie must not turn "the database is down" into an error page.
  app.get(
    '/healthz',
    { config: { access: 'public', sessionless: true }, logLevel: 'warn' },
    async (_request, reply) => {
      const up = await ping(db);
      // Always asked afresh: a monitor or proxy must never be answered from a cache.
      return reply
        .code(up ? 200 : 503)
        .header('cache-control', 'no-store')
        .send({ status: up ? 'ok' : 'unavailable', database: up ? 'up' : 'down' });
    },
  );
}
