import type { FastifyInstance } from 'fastify';
export function registerWorklistRoutes(_app: FastifyInstance, _deps: unknown) {}
