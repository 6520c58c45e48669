import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import { toCsv } from '../../platform/csv.ts';
import { forbidden } from '../../platform/errors.ts';
import { formErrors, mergeErrors, type FormErrors } from '../../platform/forms.ts';
import { partnerScope, type PartnerScope } from '../../platform/scope.ts';
import { setFlash } from '../../platform/flash.ts';
import { bodyOf, keptValues } from '../organisations/organisation.schemas.ts';
import { ORGANISATION_TYPES } from '../organisations/organisation.codes.ts';
import { labelOf } from '../../platform/forms.ts';
import * as repo from './partner.repository.ts';
import {
  dateValues,
  DATE_ANCHORS,
  itemsOf,
  PARTNER_KINDS,
  partnerSchema,
  withDates,
} from './partner.schemas.ts';
import { createPartner, FieldError, getPartner, updatePartner } from './partner.service.ts';
import { partnerView, sectorItems, statusItems, trainingView, byRenewal } from './partner.view.ts';
import { PARTNER_STATUSES, SECTORS } from './policy.ts';
import * as trainingRepo from './training.repository.ts';
import { COURSES } from './training.ts';
import { NO_WORKFORCE } from './workforce.repository.ts';
import { loadWorkforceCounts, type WorkforceCounts } from './training.service.ts';

// The partners of an authority's whole-system response (issue 6): the list with policy and training at a
// glance, the CSV, a partner's page, and adding and editing partners. The authority's commissioner edits;
// a national analyst reads every authority's. Contacts, the smokefree policy and training records have
// routes of their own (partner-contacts.routes.ts, partner-policy.routes.ts, training.routes.ts).

type Deps = { db: Database };
const V = (name: string) => `partners/views/${name}.njk`;
export const READ = ['commissioner', 'national_analyst'] as const;
export const EDIT = ['commissioner'] as const;

export const idParam = (request: FastifyRequest, name = 'id') =>
  (request.params as Record<string, string>)[name] ?? '';
const queryOf = (request: FastifyRequest) => (request.query ?? {}) as Record<string, unknown>;
const oneOf = (v: unknown, allowed: Record<string, unknown>) =>
  typeof v === 'string' && v in allowed ? v : undefined;

/** The commissioner's own authority, for a change: nobody else changes partners. */
export function ownScope(request: FastifyRequest) {
  const user = staffOf(request);
  const scope = partnerScope(user);
  if (scope.kind !== 'local_authority') throw forbidden();
  return { user, scope, requestId: request.id };
}

export const fieldErrorOf = (err: FieldError, errors?: FormErrors) =>
  mergeErrors(errors, err.field, err.message, err.href);

/** Which authority a national analyst asked for (a commissioner always gets their own). */
async function authorityAsked(db: Database, scope: PartnerScope, v: unknown) {
  if (scope.kind === 'local_authority') return scope.code;
  if (typeof v !== 'string' || !/^E\d{8}$/.test(v)) return undefined;
  return (await repo.authorityName(db, v)) ? v : undefined;
}

/** England's total for a national analyst looking at every authority. */
function sumCounts(counts: Iterable<WorkforceCounts>): WorkforceCounts {
  const out = { ...NO_WORKFORCE };
  for (const c of counts) for (const k of Object.keys(out) as (keyof WorkforceCounts)[]) out[k] += c[k];
  return out;
}

export function registerPartnerRoutes(app: FastifyInstance, { db }: Deps) {
  async function listing(request: FastifyRequest) {
    const scope = partnerScope(staffOf(request));
    const q = queryOf(request);
    const authority = await authorityAsked(db, scope, q.authority);
    const filter = { authority, status: oneOf(q.status, PARTNER_STATUSES), sector: oneOf(q.sector, SECTORS) };
    const today = app.clock.today();
    const rows = await repo.listPartners(db, scope, filter);
    const training = await trainingRepo.listTrainingForPartners(
      db,
      rows.map((r) => r.id),
    );
    return { scope, filter, today, partners: rows.map((p) => partnerView(p, today, training)) };
  }

  app.get('/partners', { config: { access: READ } }, async (request, reply) => {
    const { scope, filter, today, partners } = await listing(request);
    const counts = await loadWorkforceCounts(db, filter.authority ? [filter.authority] : 'all', today);
    const summary = filter.authority
      ? (counts.get(filter.authority) ?? NO_WORKFORCE)
      : sumCounts(counts.values());
    const areaName = filter.authority ? await repo.authorityName(db, filter.authority) : 'England';
    const authorities = scope.kind === 'all' ? await repo.listAuthorities(db) : [];
    const query = new URLSearchParams(
      Object.entries(filter).filter((e): e is [string, string] => typeof e[1] === 'string'),
    ).toString();
    return reply.page(V('partners'), {
      title: scope.kind === 'local_authority' ? `Partners in ${areaName}` : 'Partners',
      canEdit: scope.canEdit,
      national: scope.kind === 'all',
      areaName,
      partners,
      summary,
      filter,
      filtered: Boolean(filter.status || filter.sector),
      csvHref: `/partners.csv${query ? `?${query}` : ''}`,
      statusItems: statusItems(filter.status, 'Any status'),
      sectorItems: sectorItems(filter.sector, 'Any sector'),
      authorityItems: [
        { value: '', text: 'Every local authority', selected: !filter.authority },
        ...authorities.map((a) => ({ value: a.code, text: a.name, selected: a.code === filter.authority })),
      ],
      flash: reply.locals?.flash,
    });
  });

  app.get('/partners.csv', { config: { access: READ } }, async (request, reply) => {
    const { partners, filter } = await listing(request);
    const header = [
      'Local authority code',
      'Local authority',
      'Partner',
      'Organisation in Mortar',
      'Sector',
      'Kind',
      'Status',
      'Joined on',
      'Smokefree policy',
      'Policy adopted on',
      'Policy review on',
      'Review overdue',
      'Staff with current training',
      ...Object.values(COURSES).map((c) => `Current: ${c}`),
    ];
    const rows = partners.map((p) => [
      p.local_authority_code,
      p.authority_name,
      p.name,
      p.organisation_name,
      p.sectorText,
      p.kindText,
      p.statusText,
      p.joined_on,
      p.policyText,
      p.adopted_on,
      p.review_on,
      p.reviewOverdue ? 'yes' : 'no',
      p.trainedStaff,
      p.byCourse.vba,
      p.byCourse.ncsct_practitioner,
      p.byCourse.ncsct_mental_health,
    ]);
    await audit(
      db,
      staffOf(request),
      {
        action: 'export',
        entityType: 'partner',
        detail: `${rows.length} partners as CSV${filter.authority ? ` for ${filter.authority}` : ''}`,
      },
      request.id,
    );
    reply
      .header(
        'content-disposition',
        `attachment; filename="mortar-partners-${filter.authority ?? 'england'}.csv"`,
      )
      .header('cache-control', 'no-store');
    return reply.type('text/csv; charset=utf-8').send(toCsv(header, rows));
  });

  // --- Add and edit ---------------------------------------------------------------------------------

  async function partnerForm(
    reply: FastifyReply,
    code: string,
    f: { partnerId?: string; values: Record<string, string>; errors?: FormErrors; name?: string },
  ) {
    const orgs = await repo.linkableOrganisations(db, code, f.partnerId);
    if (f.errors) reply.code(400);
    const v = f.values;
    return reply.page(V('partner-form'), {
      title: f.partnerId ? `Change the details of ${f.name}` : 'Add a partner',
      backHref: f.partnerId ? `/partners/${f.partnerId}` : '/partners',
      action: f.partnerId ? `/partners/${f.partnerId}/edit` : '/partners',
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

  app.get('/partners/new', { config: { access: EDIT } }, async (request, reply) => {
    const { scope } = ownScope(request);
    return partnerForm(reply, scope.code, { values: { status: 'prospective' } });
  });

  app.post('/partners', { config: { access: EDIT } }, async (request, reply) => {
    const own = ownScope(request);
    const body = bodyOf(request.body);
    const values = keptValues(body);
    const again = (errors: FormErrors) => partnerForm(reply, own.scope.code, { values, errors });
    const parsed = partnerSchema(app.clock.today()).safeParse(withDates(body, ['joinedOn']));
    if (!parsed.success) return again(formErrors(parsed.error, DATE_ANCHORS));
    try {
      const created = await createPartner(db, own, parsed.data);
      setFlash(reply, `${created.name} has been added as a partner`);
      return reply.redirect(`/partners/${created.id}`, 303);
    } catch (err) {
      if (err instanceof FieldError) return again(fieldErrorOf(err));
      throw err;
    }
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
    const values = {
      name: p.name,
      organisationId: p.organisation_id ?? '',
      sector: p.sector,
      kind: p.kind ?? '',
      status: p.status,
      notes: p.notes ?? '',
      ...dateValues('joinedOn', p.joined_on),
    };
    return partnerForm(reply, scope.code, { partnerId: p.id, name: p.name, values });
  });

  app.post('/partners/:id/edit', { config: { access: EDIT } }, async (request, reply) => {
    const own = ownScope(request);
    const p = await getPartner(db, own.scope, idParam(request));
    const body = bodyOf(request.body);
    const values = keptValues(body);
    const again = (errors: FormErrors) =>
      partnerForm(reply, own.scope.code, { partnerId: p.id, name: p.name, values, errors });
    const parsed = partnerSchema(app.clock.today()).safeParse(withDates(body, ['joinedOn']));
    if (!parsed.success) return again(formErrors(parsed.error, DATE_ANCHORS));
    try {
      const name = await updatePartner(db, own, p, parsed.data);
      setFlash(reply, `The details of ${name} have been saved`);
      return reply.redirect(`/partners/${p.id}`, 303);
    } catch (err) {
      if (err instanceof FieldError) return again(fieldErrorOf(err));
      throw err;
    }
  });
}
