import type { FastifyInstance } from 'fastify';
import { ROLES } from '../../platform/roles.ts';
import { INDICATORS } from './indicators.ts';
import { UNIT_LABELS } from './strategy.pages.ts';
import { V } from './strategy.routes.ts';

// What each indicator means: its numerator, denominator, source and definition, for every role, so a
// figure on any dashboard or target can be looked up.

export function registerIndicatorRoutes(app: FastifyInstance) {
  app.get('/indicators', { config: { access: ROLES } }, async (_request, reply) => {
    return reply.page(V('indicators'), {
      title: 'Indicators',
      indicators: INDICATORS.map((i) => ({ ...i, unitLabel: UNIT_LABELS[i.unit] })),
      csrf: false,
    });
  });
}
