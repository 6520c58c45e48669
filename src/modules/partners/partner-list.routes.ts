import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { staffOf } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import { toCsv } from '../../platform/csv.ts';
import { partnerScope } from '../../platform/scope.ts';
import { READ } from './partner.routes.ts';
import * as repo from './partner.repository.ts';
import { areaChoice, authorityAsked } from './partner.service.ts';
import { authorityItems, partnerView, sectorItems, statusItems } from './partner.view.ts';
import { PARTNER_STATUSES, SECTORS } from './policy.ts';
import * as trainingRepo from './training.repository.ts';
import { COURSES } from './training.ts';
import { workforceSummary } from './training.service.ts';

// The partners of an authority's whole-system response (issue 6) with policy and training at a glance,
// and the same list as CSV. A commissioner sees their authority's; a national analyst chooses one or
// sees England's.

type Deps = { db: Database };
const V = (name: string) => `partners/views/${name}.njk`;

const queryOf = (request: FastifyRequest) => (request.query ?? {}) as Record<string, unknown>;
const oneOf = (v: unknown, allowed: Record<string, unknown>) =>
  typeof v === 'string' && v in allowed ? v : undefined;

/** The partners the filter in the query string asks for, as the page and the CSV show them. */
async function listing(db: Database, clock: Clock, request: FastifyRequest) {
  const scope = partnerScope(staffOf(request));
  const q = queryOf(request);
  const authority = await authorityAsked(db, scope, q.authority);
  const filter = { authority, status: oneOf(q.status, PARTNER_STATUSES), sector: oneOf(q.sector, SECTORS) };
  const today = clock.today();
  const rows = await repo.listPartners(db, scope, filter);
  const training = await trainingRepo.listTrainingForPartners(
    db,
    rows.map((r) => r.id),
  );
  return { scope, filter, today, partners: rows.map((p) => partnerView(p, today, training)) };
}

type Listing = Awaited<ReturnType<typeof listing>>;

const CSV_HEADER = [
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

const csvRow = (p: Listing['partners'][number]) => [
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
];

export function registerPartnerListRoutes(app: FastifyInstance, { db }: Deps) {
  app.get('/partners', { config: { access: READ } }, async (request, reply) => {
    const { scope, filter, today, partners } = await listing(db, app.clock, request);
    const summary = await workforceSummary(db, filter.authority, today);
    const { areaName, authorities } = await areaChoice(db, scope, filter.authority);
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
      authorityItems: authorityItems(authorities, filter.authority),
      flash: reply.locals?.flash,
    });
  });

  app.get('/partners.csv', { config: { access: READ } }, async (request, reply) => {
    const { partners, filter } = await listing(db, app.clock, request);
    const rows = partners.map(csvRow);
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
    return reply.type('text/csv; charset=utf-8').send(toCsv(CSV_HEADER, rows));
  });
}
