import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { registerMoodFormRoutes } from './mood-form.routes.ts';
import { registerSafetyTaskRoutes } from './safety-task.routes.ts';

/** Mood on an episode: the questionnaires (PHQ-9, GAD-7) and the safety tasks PHQ-9 item 9 raises. */
export function registerMoodRoutes(app: FastifyInstance, deps: { db: Database; config: Config }) {
  registerMoodFormRoutes(app, deps);
  registerSafetyTaskRoutes(app, deps);
}
