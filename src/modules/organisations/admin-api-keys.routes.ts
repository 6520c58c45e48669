import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { noStore } from '../../platform/caching.ts';
import { formErrors } from '../../platform/forms.ts';
import { setFlash } from '../../platform/flash.ts';
import { ApiKeySchema, bodyOf, keptValues } from './organisation.schemas.ts';
import * as repo from './organisation.repository.ts';
import { createApiKey, revokeApiKey } from './organisation.service.ts';
import { ADMIN, idParam, managedOrganisation, V } from './admin.routes.ts';

// An organisation's API keys, for the systems that send referrals. A new key is shown once, on the page
// that answers the form: that page must not be kept by the browser or anything in between.

async function apiKeysPage(
  db: Database,
  reply: FastifyReply,
  org: { id: string; name: string },
  extra: Record<string, unknown> = {},
) {
  const keys = await repo.listApiKeys(db, org.id);
  noStore(reply);
  return reply.page(V('api-keys'), {
    title: `API keys for ${org.name}`,
    backHref: `/admin/organisations/${org.id}`,
    org,
    keys,
    values: {},
    ...extra,
  });
}

export function registerApiKeyRoutes(app: FastifyInstance, { db }: { db: Database }) {
  app.get('/admin/organisations/:id/api-keys', { config: { access: ADMIN } }, async (request, reply) =>
    apiKeysPage(db, reply, await managedOrganisation(db, request)),
  );

  app.post('/admin/organisations/:id/api-keys', { config: { access: ADMIN } }, async (request, reply) => {
    const org = await managedOrganisation(db, request);
    const body = bodyOf(request.body);
    const parsed = ApiKeySchema.safeParse(body);
    if (!parsed.success) {
      reply.code(400);
      return apiKeysPage(db, reply, org, { values: keptValues(body), errors: formErrors(parsed.error) });
    }
    const created = await createApiKey(db, staffOf(request), org.id, parsed.data.keyName, request.id);
    // Shown in this response only: it is never stored and never put in a link or a cookie.
    return apiKeysPage(db, reply, org, {
      newKey: { name: parsed.data.keyName, key: created.key, clientId: created.id },
    });
  });

  app.post(
    '/admin/organisations/:id/api-keys/:keyId/revoke',
    { config: { access: ADMIN } },
    async (request, reply) => {
      const org = await managedOrganisation(db, request);
      const name = await revokeApiKey(db, staffOf(request), org.id, idParam(request, 'keyId'), request.id);
      setFlash(
        reply,
        `The API key "${name}" has been revoked. Systems using it can no longer send referrals`,
      );
      return reply.redirect(`/admin/organisations/${org.id}/api-keys`, 303);
    },
  );
}
