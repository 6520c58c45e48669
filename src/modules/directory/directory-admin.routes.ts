import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { notFound } from '../../platform/errors.ts';
import { asArray, formErrors, type FormErrors } from '../../platform/forms.ts';
import { directoryEditScope } from '../../platform/scope.ts';
import { setFlash } from '../../platform/flash.ts';
import { DIRECTORY_AIDS, MODES } from './directory.codes.ts';
import * as repo from './directory.repository.ts';
import { ENTRY_ANCHORS, ServiceEntrySchema } from './directory.schemas.ts';
import { isUuid } from '../../platform/validation.ts';
import { editableService, saveEntry } from './directory.service.ts';

// Keeping the directory up to date: a service manager edits their own service's entry, a commissioner
// those of the services their authority commissions, an administrator their own organisation's, a
// national administrator every one (directoryEditScope).
// A service out of scope answers 404, exactly as one that does not exist. The entry's places have their
// own routes file (directory-places.routes.ts), which shares the helpers exported here.

export const EDITORS = [
  'service_manager',
  'commissioner',
  'administrator',
  'national_administrator',
] as const;
export const V = (name: string) => `directory/views/${name}.njk`;
export const param = (request: FastifyRequest, name: string) => {
  const v = (request.params as Record<string, string>)[name] ?? '';
  if (!isUuid(v)) throw notFound('Page not found');
  return v;
};

export type Values = Record<string, string | string[]>;

/** What was typed, to show again: strings, and the checkbox lists as lists. */
export function kept(body: unknown): Values {
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

type EditableService = Awaited<ReturnType<typeof editableService>>;

/** The entry as stored, in the form's fields. */
function entryValues(service: EditableService): Values {
  return {
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
}

async function editPage(
  db: Database,
  reply: FastifyReply,
  service: EditableService,
  values?: Values,
  errors?: FormErrors,
) {
  const v: Values = values ?? entryValues(service);
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

/** The services a person may keep up to date, and each one's directory entry. */
export function registerDirectoryAdminRoutes(app: FastifyInstance, { db }: { db: Database }) {
  app.get('/directory/services', { config: { access: EDITORS } }, async (request, reply) => {
    const rows = await repo.listEditableServices(db, directoryEditScope(staffOf(request)));
    return reply.page(V('services'), {
      title: 'Service directory',
      rows: rows.map((r) => ({ ...r, location_count: Number(r.location_count ?? 0) })),
    });
  });

  app.get('/directory/services/:orgId/edit', { config: { access: EDITORS } }, async (request, reply) =>
    editPage(db, reply, await editableService(db, staffOf(request), param(request, 'orgId'))),
  );

  app.post('/directory/services/:orgId/edit', { config: { access: EDITORS } }, async (request, reply) => {
    const actor = staffOf(request);
    const service = await editableService(db, actor, param(request, 'orgId'));
    const parsed = ServiceEntrySchema.safeParse(request.body ?? {});
    if (!parsed.success)
      return editPage(
        db,
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
}
