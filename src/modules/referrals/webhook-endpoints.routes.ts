// An organisation's webhook endpoints, for its administrator: add one (its signing secret shown once, on
// the page that answers the form), change it, rotate its secret, switch it off and on, remove it, and see
// its latest deliveries. Nothing here shows anything about a person.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { noStore } from '../../platform/caching.ts';
import { setFlash } from '../../platform/flash.ts';
import { asArray, formErrors, optionsOf, type FormErrors } from '../../platform/forms.ts';
import { ADMIN, idParam, managedOrganisation } from '../organisations/admin.routes.ts';
import {
  createEndpoint,
  deliveriesOf,
  listEndpointsOf,
  removeEndpoint,
  rotateEndpointSecret,
  switchEndpoint,
  updateEndpoint,
} from './webhook-endpoints.service.ts';
import { DELIVERY_STATUS_LABELS, PREVIOUS_SECRET_HOURS, WEBHOOK_EVENT_LABELS } from './webhook-events.ts';
import { endpointSchema } from './webhook.schemas.ts';

type Org = { id: string; name: string };
type Form = { values?: Record<string, unknown>; errors?: FormErrors; newSecret?: unknown };

const V = (name: string) => `referrals/views/${name}.njk`;
const base = (org: Org) => `/admin/organisations/${org.id}/webhooks`;

function keptValues(body: Record<string, unknown>) {
  return {
    description: typeof body.description === 'string' ? body.description : '',
    url: typeof body.url === 'string' ? body.url : '',
    events: asArray(body.events),
  };
}

async function listPage(db: Database, reply: FastifyReply, org: Org, f: Form = {}) {
  noStore(reply);
  const values = f.values ?? {};
  return reply.page(V('webhooks'), {
    title: `Webhooks for ${org.name}`,
    backHref: `/admin/organisations/${org.id}`,
    org,
    endpoints: await listEndpointsOf(db, org.id),
    eventLabels: WEBHOOK_EVENT_LABELS,
    eventOptions: optionsOf(WEBHOOK_EVENT_LABELS, values.events as string[] | undefined),
    values,
    errors: f.errors,
    newSecret: f.newSecret,
  });
}

async function endpointPage(db: Database, reply: FastifyReply, org: Org, id: string, f: Form = {}) {
  const { endpoint, deliveries } = await deliveriesOf(db, org.id, id);
  noStore(reply);
  const values = f.values ?? endpoint;
  return reply.page(V('webhook-endpoint'), {
    title: `${endpoint.description}: webhook for ${org.name}`,
    backHref: base(org),
    org,
    endpoint,
    deliveries,
    eventLabels: WEBHOOK_EVENT_LABELS,
    statusLabels: DELIVERY_STATUS_LABELS,
    eventOptions: optionsOf(WEBHOOK_EVENT_LABELS, values.events as string[] | undefined),
    values,
    errors: f.errors,
    newSecret: f.newSecret,
    overlapHours: PREVIOUS_SECRET_HOURS,
  });
}

const endpointIdOf = (request: FastifyRequest) => idParam(request, 'endpointId');

export function registerWebhookEndpointRoutes(
  app: FastifyInstance,
  { db, config }: { db: Database; config: Config },
) {
  const access = { access: ADMIN };
  const schema = endpointSchema(config.webhooks.allowPrivateAddresses);
  const sealKey = config.twoFactorKey;

  app.get('/admin/organisations/:id/webhooks', { config: access }, async (request, reply) =>
    listPage(db, reply, await managedOrganisation(db, request)),
  );

  app.post('/admin/organisations/:id/webhooks', { config: access }, async (request, reply) => {
    const org = await managedOrganisation(db, request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const parsed = schema.safeParse(body);
    if (!parsed.success)
      return listPage(db, reply.code(400), org, {
        values: keptValues(body),
        errors: formErrors(parsed.error, { events: 'events' }),
      });
    const created = await createEndpoint(db, staffOf(request), org.id, parsed.data, sealKey, request.id);
    // Shown in this answer only: kept sealed, never put in a link, a cookie or a log.
    return listPage(db, reply, org, {
      newSecret: { id: created.id, name: parsed.data.description, secret: created.secret },
    });
  });

  app.get('/admin/organisations/:id/webhooks/:endpointId', { config: access }, async (request, reply) =>
    endpointPage(db, reply, await managedOrganisation(db, request), endpointIdOf(request)),
  );

  app.post('/admin/organisations/:id/webhooks/:endpointId', { config: access }, async (request, reply) => {
    const org = await managedOrganisation(db, request);
    const id = endpointIdOf(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const parsed = schema.safeParse(body);
    if (!parsed.success)
      return endpointPage(db, reply.code(400), org, id, {
        values: keptValues(body),
        errors: formErrors(parsed.error, { events: 'events' }),
      });
    const endpoint = (await deliveriesOf(db, org.id, id)).endpoint;
    await updateEndpoint(db, staffOf(request), org.id, endpoint.id, parsed.data, request.id);
    setFlash(reply, `The endpoint "${parsed.data.description}" has been changed`);
    return reply.redirect(`${base(org)}/${endpoint.id}`, 303);
  });

  registerEndpointActions(app, db, sealKey);
}

/** Rotating the secret, switching off and on, removing. */
function registerEndpointActions(app: FastifyInstance, db: Database, sealKey: string) {
  const access = { access: ADMIN };
  const path = '/admin/organisations/:id/webhooks/:endpointId';

  app.post(`${path}/rotate-secret`, { config: access }, async (request, reply) => {
    const org = await managedOrganisation(db, request);
    const { endpoint } = await deliveriesOf(db, org.id, endpointIdOf(request));
    const rotated = await rotateEndpointSecret(
      db,
      staffOf(request),
      org.id,
      endpoint.id,
      app.clock.now(),
      sealKey,
      request.id,
    );
    return endpointPage(db, reply, org, endpoint.id, { newSecret: rotated });
  });

  for (const [action, on] of [
    ['switch-off', false],
    ['switch-on', true],
  ] as const)
    app.post(`${path}/${action}`, { config: access }, async (request, reply) => {
      const org = await managedOrganisation(db, request);
      const id = endpointIdOf(request);
      await switchEndpoint(db, staffOf(request), org.id, id, on, app.clock.now(), request.id);
      setFlash(reply, on ? 'The endpoint is on again' : 'The endpoint has been switched off');
      return reply.redirect(`${base(org)}/${id}`, 303);
    });

  app.post(`${path}/remove`, { config: access }, async (request, reply) => {
    const org = await managedOrganisation(db, request);
    const removed = await removeEndpoint(db, staffOf(request), org.id, endpointIdOf(request), request.id);
    setFlash(reply, `The endpoint "${removed.description}" has been removed`);
    return reply.redirect(base(org), 303);
  });
}
