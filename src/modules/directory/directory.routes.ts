import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.ts';
import { sharedCentroids } from './centroid-data.ts';
import { registerDirectoryAdminRoutes } from './directory-admin.routes.ts';
import { registerDirectoryApi } from './directory-api.routes.ts';
import type { FinderTables } from './directory.service.ts';
import { registerFinderRoutes } from './finder.routes.ts';
import type { PostcodeSource } from './geo.ts';

/** The service directory: the public finder, its upkeep by services and commissioners, and its open API. */
export function registerDirectoryRoutes(
  app: FastifyInstance,
  { db, postcodes }: { db: Database; postcodes: PostcodeSource },
) {
  // The centroid table is read once per process; loading it as the app starts keeps it off the first search.
  app.addHook('onReady', async () => {
    await sharedCentroids();
  });
  const tables = async (): Promise<FinderTables> => ({ centroids: await sharedCentroids(), postcodes });
  registerFinderRoutes(app, { db, tables });
  registerDirectoryAdminRoutes(app, { db, tables });
  registerDirectoryApi(app, { db, tables });
}
