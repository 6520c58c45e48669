import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { formErrors, type FormErrors } from '../../platform/forms.ts';
import { setFlash } from '../../platform/flash.ts';
import { ssoProviderOf } from '../../platform/oidc-client.ts';
import { roleLabelOf, ROLES } from '../../platform/roles.ts';
import { MAPPABLE_CLAIMS } from './sso-claims.ts';
import { bodyOf, keptValues } from './organisation.schemas.ts';
import { FieldError } from './organisation.service.ts';
import { addMapping, listMappings, MappingSchema, removeMapping } from './sso-mappings.service.ts';
import { ADMIN, fieldError, idParam, managedOrganisation, V } from './admin.routes.ts';

// "Single sign-on" in an organisation's settings: which identity provider claims may hold which role here
// (docs/sso.md). Without a rule, nobody from this organisation can sign in with a provider.

type Org = Awaited<ReturnType<typeof managedOrganisation>>;

async function mappingsPage(
  db: Database,
  config: Config,
  reply: FastifyReply,
  org: Org,
  values: Record<string, string> = {},
  errors?: FormErrors,
) {
  const providerName = (id: string) => ssoProviderOf(config, id)?.name ?? `${id} (no longer configured)`;
  const rules = await listMappings(db, org.id);
  return reply.page(V('sso-mappings'), {
    title: `Single sign-on for ${org.name}`,
    backHref: `/admin/organisations/${org.id}`,
    org,
    values,
    errors,
    rules: rules.map((r) => ({
      ...r,
      providerName: providerName(r.provider_id),
      roleLabel: roleLabelOf(r.role, org.type),
    })),
    providers: config.ssoProviders.map((p) => ({
      id: p.id,
      name: p.name,
      kind: p.kind,
      claims: MAPPABLE_CLAIMS[p.kind],
    })),
    providerItems: [
      { value: '', text: 'Select an identity provider', selected: !values.providerId },
      ...config.ssoProviders.map((p) => ({
        value: p.id,
        text: p.name,
        selected: p.id === values.providerId,
      })),
    ],
    roleItems: [
      { value: '', text: 'Select a role', selected: !values.role },
      ...ROLES.map((r) => ({ value: r, text: roleLabelOf(r, org.type), selected: r === values.role })),
    ],
  });
}

export function registerSsoMappingRoutes(
  app: FastifyInstance,
  { db, config }: { db: Database; config: Config },
) {
  const path = '/admin/organisations/:id/single-sign-on';

  app.get(path, { config: { access: ADMIN } }, async (request, reply) =>
    mappingsPage(db, config, reply, await managedOrganisation(db, request)),
  );

  app.post(path, { config: { access: ADMIN } }, async (request, reply) => {
    const org = await managedOrganisation(db, request);
    const body = bodyOf(request.body);
    const values = keptValues(body);
    const again = (errors: FormErrors) => mappingsPage(db, config, reply.code(400), org, values, errors);
    const parsed = MappingSchema.safeParse(body);
    if (!parsed.success) return again(formErrors(parsed.error));
    try {
      const provider = ssoProviderOf(config, parsed.data.providerId);
      await addMapping(db, staffOf(request), org, provider, parsed.data, request.id);
    } catch (err) {
      if (err instanceof FieldError) return again(fieldError(err));
      throw err;
    }
    setFlash(reply, 'The rule has been added.');
    return reply.redirect(`/admin/organisations/${org.id}/single-sign-on`, 303);
  });

  app.post(`${path}/:mappingId/delete`, { config: { access: ADMIN } }, async (request, reply) => {
    const org = await managedOrganisation(db, request);
    await removeMapping(db, staffOf(request), org.id, idParam(request, 'mappingId'), request.id);
    setFlash(reply, 'The rule has been removed. People it let in can no longer sign in with it.');
    return reply.redirect(`/admin/organisations/${org.id}/single-sign-on`, 303);
  });
}
