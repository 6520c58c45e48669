import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { buildOpenApi, OPENAPI_PATH } from './openapi.ts';

/** The API's description. Built once, on the first request, for this server's address. */
export function registerOpenApi(app: FastifyInstance, { config }: { config: Config }) {
  let document: unknown;
  app.get(OPENAPI_PATH, { config: { access: 'public' } }, async () => {
    document ??= buildOpenApi(config.publicUrl, app.clock.today());
    return document;
  });
}
