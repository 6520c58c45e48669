// The FHIR R4 API under /fhir (docs/fhir.md): one Fastify scope with FHIR's conventions (fhir-http.plugin.ts),
// the referral resources, the directory, and the CapabilityStatement made from what they register.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import type { PostcodeLookup } from '../../platform/postcode-lookup.ts';
import { TOKEN_PATH } from '../../platform/oauth-token.routes.ts';
import { capabilityStatement } from './capability-statement.ts';
import { registerFhirScope } from './fhir-http.plugin.ts';
import { registerFhirReferralRoutes } from './fhir-referral.routes.ts';
import { registerFhirDirectoryRoutes } from './fhir-directory.routes.ts';
import { registerFhirClinicalRoutes } from './fhir-clinical.routes.ts';
import { registerFhirTransactionRoutes } from './fhir-transaction.routes.ts';
import { FHIR_JSON } from './fhir-resources.ts';
import { directoryCacheOf } from '../directory/directory-cache.service.ts';

export const FHIR_PREFIX = '/fhir';

type Deps = { db: Database; postcodes: PostcodeLookup; config: Config };

export function registerFhirApi(app: FastifyInstance, { db, postcodes, config }: Deps) {
  const base = `${config.publicUrl}${FHIR_PREFIX}`;
  // The app's own copy of the directory, shared with the finder and the open data (keyed by `app`, not
  // by the FHIR scope, which is another Fastify instance).
  const directory = directoryCacheOf(app, db);
  void app.register(
    async (fhir) => {
      const declared = registerFhirScope(fhir, base);
      registerFhirReferralRoutes(fhir, { db, postcodes, base });
      registerFhirDirectoryRoutes(fhir, { directory, base });
      registerFhirClinicalRoutes(fhir, { db, postcodes, base });
      registerFhirTransactionRoutes(fhir, { db, postcodes, base });
      // Public, as FHIR asks: a client reads it to learn how to connect before it has a token.
      fhir.get('/metadata', { config: { access: 'public' } }, async (_request, reply) =>
        reply.type(`${FHIR_JSON}; charset=utf-8`).send(
          capabilityStatement(declared, {
            base,
            tokenUrl: `${config.publicUrl}${TOKEN_PATH}`,
            date: app.clock.today(),
            software: 'Mortar',
          }),
        ),
      );
    },
    { prefix: FHIR_PREFIX },
  );
}
