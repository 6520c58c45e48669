import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';

// Placeholder being replaced by the organisations work in progress.
export function registerAreaRoutes(_app: FastifyInstance, _deps: { db: Database; config?: Config }) {}
