import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { notFound } from '../../platform/errors.ts';
import { asArray, formErrors, mergeErrors, type FormErrors } from '../../platform/forms.ts';
import { directoryEditScope } from '../../platform/scope.ts';
import { setFlash } from '../../platform/flash.ts';
import { DIRECTORY_AIDS, MODES } from './directory.codes.ts';
import * as repo from './directory.repository.ts';
import { ENTRY_ANCHORS, LocationSchema, ServiceEntrySchema } from './directory.schemas.ts';
import { isUuid } from '../../platform/validation.ts';
import {
  addLocation,
  changeLocation,
  editableService,
  removeLocation,
  saveEntry,
  type FinderTables,
} from './directory.service.ts';
import { locate } from './geo.ts';

// Keeping the directory up to date: a service manager edits their own service's entry, a commissioner
// those of the services their authority commissions, an administrator their own organisation's, a
// national administrator every one (directoryEditScope).
// A service out of scope answers 404, exactly as one that does not exist.

const EDITORS = ['service_manager', 'commissioner', 'administrator', 'national_administrator'] as const;
const V = (name: string) => `directory/views/${name}.njk`;
const param = (request: FastifyRequest, name: string) => {
  const v = (request.params as Record<string, string>)[name] ?? '';
  if (!isUuid(v)) throw notFound('Page not found');
  return v;
};

type Values = Record<string, string | string[]>;

/** What was typed, to show again: strings, and the checkbox lists as lists. */
function kept(body: unknown): Values {
  const out: Values = {};
  if (!body || typeof body !== 'object') return out;
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (k === '_csrf') continue;
    if (k === 'modes' || k === 'aids') out[k] = asArray(v).slice(0, 20);
    else if (typeof v === 'string') out[k] = v.slice(0, 2000);
  }
  return out;
}

/** The entry form's fields, top to bottom: the error summary lists problems in this order. */
const ENTRY_FIELDS = [
  'description',
  'phone',
  'email',
  'website',
  'openingTimes',
  'modes',
  'languages',
  'tailoredSupport',
  'tailoredSupportText',
  'inTalkingTherapies',
  'aids',
  'eligibility',
  'published',
];
function inPageOrder(errors: FormErrors): FormErrors {
  const rank = (href: string) => ENTRY_FIELDS.indexOf(href.slice(1));
  return { ...errors, list: [...errors.list].sort((a, b) => rank(a.href) - rank(b.href)) };
}

const yesNo = (v: boolean | null | undefined) => (v === true ? 'yes' : v === false ? 'no' : '');
const text = (v: unknown) => (typeof v === 'string' ? v : '');
const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function checkboxItems(options: Record<string, string>, chosen: string[]) {
  return Object.entries(options).map(([value, label]) => ({
    value,
    text: label,
    checked: chosen.includes(value),
  }));
}

function radioItems(value: string, yes: string, no: string) {
  return [
    { value: 'yes', text: yes, checked: value === 'yes' },
    { value: 'no', text: no, checked: value === 'no' },
  ];
}

export function registerDirectoryAdminRoutes(
  app: FastifyInstance,
  { db, tables }: { db: Database; tables: () => Promise<FinderTables> },
) {
  app.get('/directory/services', { config: { access: EDITORS } }, async (request, reply) => {
    const rows = await repo.listEditableServices(db, directoryEditScope(staffOf(request)));
    return reply.page(V('services'), {
      title: 'Service directory',
      rows: rows.map((r) => ({ ...r, location_count: Number(r.location_count ?? 0) })),
    });
  });

  async function editPage(
    reply: FastifyReply,
    service: Awaited<ReturnType<typeof editableService>>,
    values?: Values,
    errors?: FormErrors,
  ) {
    const v: Values = values ?? {
      description: service.description ?? '',
      phone: service.phone ?? '',
      email: service.email ?? '',
      website: service.website ?? '',
      openingTimes: service.opening_times ?? '',
      modes: service.modes ?? [],
      languages: (service.languages ?? []).join(', '),
      tailoredSupport: yesNo(service.tailored_support),
      tailoredSupportText: service.tailored_support_text ?? '',
      inTalkingTherapies: yesNo(service.in_talking_therapies),
      aids: service.aids ?? [],
      eligibility: service.eligibility ?? '',
      published: yesNo(service.published),
    };
    const locations = service.service_id ? await repo.listLocations(db, service.service_id) : [];
    if (errors) reply.code(400);
    return reply.page(V('edit'), {
      title: `Directory entry for ${service.name}`,
      backHref: '/directory/services',
      service,
      locations,
      values: v,
      errors,
      modeItems: checkboxItems(MODES, list(v.modes)),
      aidItems: checkboxItems(DIRECTORY_AIDS, list(v.aids)),
      tailoredItems: radioItems(text(v.tailoredSupport), 'Yes', 'No'),
      talkingTherapiesItems: radioItems(text(v.inTalkingTherapies), 'Yes', 'No'),
      publishedItems: radioItems(text(v.published), 'Yes, show it to the public', 'No, not yet'),
    });
  }

  app.get('/directory/services/:orgId/edit', { config: { access: EDITORS } }, async (request, reply) =>
    editPage(reply, await editableService(db, staffOf(request), param(request, 'orgId'))),
  );

  app.post('/directory/services/:orgId/edit', { config: { access: EDITORS } }, async (request, reply) => {
    const actor = staffOf(request);
    const service = await editableService(db, actor, param(request, 'orgId'));
    const parsed = ServiceEntrySchema.safeParse(request.body ?? {});
    if (!parsed.success)
      return editPage(
        reply,
        service,
        kept(request.body),
        inPageOrder(formErrors(parsed.error, ENTRY_ANCHORS)),
      );
    await saveEntry(db, actor, service.organisation_id, parsed.data, request.id);
    setFlash(
      reply,
      parsed.data.published
        ? `The entry for ${service.name} has been saved and is shown to the public`
        : `The entry for ${service.name} has been saved. It is not shown to the public`,
    );
    return reply.redirect(`/directory/services/${service.organisation_id}/edit`, 303);
  });

  // Places --------------------------------------------------------------------------------------------

  /** The service and its entry: places belong to an entry, so one must have been saved first. */
  async function withEntry(request: FastifyRequest) {
    const service = await editableService(db, staffOf(request), param(request, 'orgId'));
    if (!service.service_id) throw notFound('Save the directory entry before you add places');
    return { service, serviceId: service.service_id };
  }

  async function locationPage(
    reply: FastifyReply,
    service: { organisation_id: string; name: string },
    location: { id: string } | null,
    values: Values,
    errors?: FormErrors,
  ) {
    if (errors) reply.code(400);
    const base = `/directory/services/${service.organisation_id}`;
    return reply.page(V('location'), {
      title: location ? `Change a place for ${service.name}` : `Add a place for ${service.name}`,
      backHref: `${base}/edit`,
      service,
      location,
      action: location ? `${base}/locations/${location.id}/edit` : `${base}/locations`,
      values,
      errors,
    });
  }

  /** Validates a place and works out where it is: typed coordinates, or the middle of its postcode sector. */
  async function parseLocation(body: unknown) {
    const parsed = LocationSchema.safeParse(body ?? {});
    if (!parsed.success) return { errors: formErrors(parsed.error) } as const;
    const l = parsed.data;
    if (l.latitude !== null && l.longitude !== null)
      return { data: { ...l, latitude: l.latitude, longitude: l.longitude } } as const;
    const found = locate(l.postcode, await tables());
    if (!found.ok) {
      return {
        errors: mergeErrors(
          undefined,
          'postcode',
          'We cannot find that postcode. Check it, or enter the latitude and longitude below',
        ),
      } as const;
    }
    return { data: { ...l, latitude: found.place.lat, longitude: found.place.long } } as const;
  }

  app.get(
    '/directory/services/:orgId/locations/new',
    { config: { access: EDITORS } },
    async (request, reply) => {
      const { service } = await withEntry(request);
      return locationPage(reply, service, null, {});
    },
  );

  app.post(
    '/directory/services/:orgId/locations',
    { config: { access: EDITORS } },
    async (request, reply) => {
      const { service, serviceId } = await withEntry(request);
      const r = await parseLocation(request.body);
      if (r.errors) return locationPage(reply, service, null, kept(request.body), r.errors);
      await addLocation(db, staffOf(request), serviceId, r.data, request.id);
      setFlash(reply, `${r.data.name} has been added`);
      return reply.redirect(`/directory/services/${service.organisation_id}/edit#places`, 303);
    },
  );

  async function existingLocation(request: FastifyRequest) {
    const { service, serviceId } = await withEntry(request);
    const location = await repo.findLocation(db, serviceId, param(request, 'locationId'));
    if (!location) throw notFound('Place not found');
    return { service, serviceId, location };
  }

  app.get(
    '/directory/services/:orgId/locations/:locationId/edit',
    { config: { access: EDITORS } },
    async (request, reply) => {
      const { service, location } = await existingLocation(request);
      return locationPage(reply, service, location, {
        name: location.name,
        address: location.address,
        postcode: location.postcode,
        latitude: String(location.latitude),
        longitude: String(location.longitude),
        accessibility: location.accessibility ?? '',
      });
    },
  );

  app.post(
    '/directory/services/:orgId/locations/:locationId/edit',
    { config: { access: EDITORS } },
    async (request, reply) => {
      const { service, serviceId, location } = await existingLocation(request);
      const r = await parseLocation(request.body);
      if (r.errors) return locationPage(reply, service, location, kept(request.body), r.errors);
      await changeLocation(db, staffOf(request), serviceId, location.id, r.data, request.id);
      setFlash(reply, `${r.data.name} has been changed`);
      return reply.redirect(`/directory/services/${service.organisation_id}/edit#places`, 303);
    },
  );

  app.get(
    '/directory/services/:orgId/locations/:locationId/remove',
    { config: { access: EDITORS } },
    async (request, reply) => {
      const { service, location } = await existingLocation(request);
      return reply.page(V('remove-location'), {
        title: `Remove ${location.name}`,
        backHref: `/directory/services/${service.organisation_id}/edit#places`,
        service,
        location,
      });
    },
  );

  app.post(
    '/directory/services/:orgId/locations/:locationId/remove',
    { config: { access: EDITORS } },
    async (request, reply) => {
      const { service, serviceId, location } = await existingLocation(request);
      await removeLocation(db, staffOf(request), serviceId, location.id, request.id);
      setFlash(reply, `${location.name} has been removed`);
      return reply.redirect(`/directory/services/${service.organisation_id}/edit#places`, 303);
    },
  );
}
