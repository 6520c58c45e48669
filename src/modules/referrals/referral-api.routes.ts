import type { FastifyInstance } from 'fastify';
export function registerReferralApi(_app: FastifyInstance, _deps: unknown) {}
