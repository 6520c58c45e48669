import type { FastifyInstance } from 'fastify';
import { ping, type Database } from '../db/database.ts';

export function registerHealth(app: FastifyInstance, db: Database) {
  app.get('/healthz', { config: { access: 'public' }, logLevel: 'warn' }, async (_request, reply) => {
    const up = await ping(db);
    return reply
      .code(up ? 200 : 503)
      .send({ status: up ? 'ok' : 'unavailable', database: up ? 'up' : 'down' });
  });
}
