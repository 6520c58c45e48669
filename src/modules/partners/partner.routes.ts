import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { staffOf } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import { forbidden } from '../../platform/errors.ts';
import { formErrors, labelOf, mergeErrors, type FormErrors } from '../../platform/forms.ts';
import { partnerScope } from '../../platform/scope.ts';
import { setFlash } from '../../platform/flash.ts';
import { bodyOf, keptValues } from '../organisations/organisation.schemas.ts';
import { ORGANISATION_TYPES } from '../organisations/organisation.codes.ts';
import * as repo from './partner.repository.ts';
import {
  dateValues,
  DATE_ANCHORS,
  itemsOf,
  PARTNER_KINDS,
  partnerSchema,
  withDates,
  type PartnerInput,
} from './partner.schemas.ts';
import { createPartner, FieldError, getPartner, updatePartner, type Own } from './partner.service.ts';
import { partnerView, sectorItems, statusItems, trainingView, byRenewal } from './partner.view.ts';
import * as trainingRepo from './training.repository.ts';
import { COURSES } from './training.ts';

// A partner of an authority's whole-system response (issue 6): its page, and adding and editing
// partners. The authority's commissioner edits; a national analyst reads every authority's. The list
// and its CSV, contacts, the smokefree policy and training records have routes of their own
// (partner-list.routes.ts, partner-contacts.routes.ts, partner-policy.routes.ts, training.routes.ts);
// the access lists and request helpers they share are here.

type Deps = { db: Database };
const V = (name: string) => `partners/views/${name}.njk`;
export const READ = ['commissioner', 'national_analyst'] as const;
export const EDIT = ['commissioner'] as const;

export const idParam = (request: FastifyRequest, name = 'id') =>
  (request.params as Record<string, string>)[name] ?? '';

/** The commissioner's own authority, for a change: nobody else changes partners. */
export function ownScope(request: FastifyRequest) {
  const user = staffOf(request);
  const scope = partnerScope(user);
  if (scope.kind !== 'local_authority') throw forbidden();
  return { user, scope, requestId: request.id };
}

export const fieldErrorOf = (err: FieldError, errors?: FormErrors) =>
  mergeErrors(errors, err.field, err.message, err.href);

type FormState = { partner?: repo.PartnerRow; values: Record<string, string>; errors?: FormErrors };

async function partnerForm(db: Database, reply: FastifyReply, code: string, f: FormState) {
  const p = f.partner;
  const orgs = await repo.linkableOrganisations(db, code, p?.id);
  if (f.errors) reply.code(400);
  const v = f.values;
  return reply.page(V('partner-form'), {
    title: p ? `Change the details of ${p.name}` : 'Add a partner',
    backHref: p ? `/partners/${p.id}` : '/partners',
    action: p ? `/partners/${p.id}/edit` : '/partners',
    values: v,
    errors: f.errors,
    organisationItems: [
      { value: '', text: 'Not in Mortar', selected: !v.organisationId },
      ...orgs.map((o) => ({
        value: o.id,
        text: `${o.name} (${labelOf(ORGANISATION_TYPES, o.type)})`,
        selected: o.id === v.organisationId,
      })),
    ],
    sectorItems: sectorItems(v.sector),
    statusItems: statusItems(v.status),
    kindItems: [
      { value: '', text: 'Select the kind of organisation', selected: !v.kind },
      ...itemsOf(PARTNER_KINDS, v.kind),
    ],
  });
}

/** The form's values for a partner being changed. */
const valuesOf = (p: repo.PartnerRow) => ({
  name: p.name,
  organisationId: p.organisation_id ?? '',
  sector: p.sector,
  kind: p.kind ?? '',
  status: p.status,
  notes: p.notes ?? '',
  ...dateValues('joinedOn', p.joined_on),
});

type Saved = { flash: string; href: string };

/**
 * Adding and changing a partner read the same form: `save` stores what was entered and says where to go
 * next; the form comes back with its errors when it does not read or the service refuses a field.
 */
async function submitPartner(
  db: Database,
  clock: Clock,
  request: FastifyRequest,
  reply: FastifyReply,
  form: { own: Own; partner?: repo.PartnerRow },
  save: (input: PartnerInput) => Promise<Saved>,
) {
  const body = bodyOf(request.body);
  const values = keptValues(body);
  const again = (errors: FormErrors) =>
    partnerForm(db, reply, form.own.scope.code, { partner: form.partner, values, errors });
  const parsed = partnerSchema(clock.today()).safeParse(withDates(body, ['joinedOn']));
  if (!parsed.success) return again(formErrors(parsed.error, DATE_ANCHORS));
  try {
    const saved = await save(parsed.data);
    setFlash(reply, saved.flash);
    return reply.redirect(saved.href, 303);
  } catch (err) {
    if (err instanceof FieldError) return again(fieldErrorOf(err));
    throw err;
  }
}

export function registerPartnerRoutes(app: FastifyInstance, { db }: Deps) {
  app.get('/partners/new', { config: { access: EDIT } }, async (request, reply) => {
    const { scope } = ownScope(request);
    return partnerForm(db, reply, scope.code, { values: { status: 'prospective' } });
  });

  app.post('/partners', { config: { access: EDIT } }, async (request, reply) => {
    const own = ownScope(request);
    return submitPartner(db, app.clock, request, reply, { own }, async (input) => {
      const created = await createPartner(db, own, input);
      return { flash: `${created.name} has been added as a partner`, href: `/partners/${created.id}` };
    });
  });

  app.get('/partners/:id', { config: { access: READ } }, async (request, reply) => {
    const user = staffOf(request);
    const scope = partnerScope(user);
    const p = await getPartner(db, scope, idParam(request));
    const today = app.clock.today();
    const [contacts, training] = await Promise.all([
      repo.listContacts(db, p.id),
      trainingRepo.listTrainingForPartners(db, [p.id]),
    ]);
    // Named contacts and staff are people's details: who looked is recorded.
    await audit(db, user, { action: 'view', entityType: 'partner', entityId: p.id }, request.id);
    return reply.page(V('partner'), {
      title: p.name,
      backHref: scope.kind === 'all' ? `/partners?authority=${p.local_authority_code}` : '/partners',
      canEdit: scope.canEdit,
      partner: partnerView(p, today, training),
      contacts,
      training: byRenewal(training.map((t) => trainingView(t, today))),
      courses: COURSES,
      flash: reply.locals?.flash,
    });
  });

  app.get('/partners/:id/edit', { config: { access: EDIT } }, async (request, reply) => {
    const { scope } = ownScope(request);
    const p = await getPartner(db, scope, idParam(request));
    return partnerForm(db, reply, scope.code, { partner: p, values: valuesOf(p) });
  });

  app.post('/partners/:id/edit', { config: { access: EDIT } }, async (request, reply) => {
    const own = ownScope(request);
    const p = await getPartner(db, own.scope, idParam(request));
    return submitPartner(db, app.clock, request, reply, { own, partner: p }, async (input) => {
      const name = await updatePartner(db, own, p, input);
      return { flash: `The details of ${name} have been saved`, href: `/partners/${p.id}` };
    });
  });
}
