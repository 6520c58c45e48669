// Publishing the quarterly returns. Signed in: the tables as they will be published (commissioners and
// national analysts; a commissioner sees their own authority exact beside them, as it is theirs), as a
// page and as CSV and JSON, and a national analyst publishes a quarter once it has ended. Anyone, without
// signing in, reads the published quarters (statistics.routes.ts).
// A quarter is published once: a second publication, made after another return came in, could be
// subtracted from the first.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import type { FormErrors } from '../../platform/forms.ts';
import { notFound } from '../../platform/errors.ts';
import { returnAccess } from '../../platform/scope.ts';
import type { Clock } from '../../platform/clock.ts';
import { LAYOUT_VERSION, rowsToCsv } from './csv-layout.ts';
import { SUMMARY_HEADERS, summaryLine, tablesOf } from './figure-tables.ts';
import { collection, fileStem, periodAsked } from './national.routes.ts';
import type { Collection } from './national-collection.service.ts';
import {
  buildPublication,
  publicationNote,
  publicationRows,
  type Publication,
  type PublicationInput,
} from './publication.ts';
import * as store from './publication.repository.ts';
import { publishQuarter } from './publication.service.ts';
import { quarterLabel, quarterRange, type Period, type Quarter } from '../../platform/quarters.ts';
import type { QuarterlyReturn } from './return-definition.ts';
import { periodOf } from './return.service.ts';

type Deps = { db: Database };

/** Where anyone can read the published quarters, without signing in. */
export const STATISTICS = '/statistics/quarterly-returns';
export const statisticsPath = (p: Period) => `${STATISTICS}/${p.financialYear}/${p.quarter}`;

/** A quarter can be published once it has ended, in England's calendar. */
export const hasEnded = (p: Period, today: string) => quarterRange(p.financialYear, p.quarter).end < today;

/**
 * What a publication of the quarter is made from: each region with its authorities' submitted returns and
 * its integrated services' (each published as an area of its own, so the region still adds up). An
 * integrated service with no authority is in England's exact totals on the national pages only.
 */
export function publicationInputOf(p: Period, c: Collection): PublicationInput {
  const names = new Map([...c.status, ...c.integrated].map((a) => [a.code, a.name]));
  const byRegion = new Map<string, { code: string; name: string; data: QuarterlyReturn }[]>();
  for (const s of c.submitted) {
    if (s.region_code === null) continue;
    const list = byRegion.get(s.region_code) ?? [];
    list.push({ code: s.code, name: names.get(s.code) ?? s.code, data: s.data });
    byRegion.set(s.region_code, list);
  }
  return {
    financialYear: p.financialYear,
    quarter: p.quarter as Quarter,
    regions: c.regions.map((r) => ({
      code: r.code,
      name: r.name,
      authorities: r.authorities + r.integratedServices,
      returns: byRegion.get(r.code) ?? [],
    })),
  };
}

/** What a page shows of a publication: summary tables, England's mental health tables, each region's. */
export function publicationPage(pub: Publication) {
  const england = pub.areas.find((a) => a.level === 'england')!;
  const regions = pub.areas.filter((a) => a.level === 'region');
  return {
    label: pub.label,
    note: publicationNote(pub.rule),
    summaryHeaders: SUMMARY_HEADERS,
    england: summaryLine('England', england.totals),
    regionLines: regions.map((r) =>
      summaryLine(`${r.name} (${r.returns} of ${r.authorities} submitted)`, r.totals),
    ),
    authorityLines: pub.areas
      .filter((a) => a.level === 'authority')
      .map((a) => summaryLine(a.name, a.totals)),
    mentalHealth: tablesOf(england).filter((t) => t.mortarOnly),
    regionalMentalHealth: regions.map((r) => ({
      name: r.name,
      table: tablesOf(r).find((t) => t.key === 'cmhc')!,
    })),
  };
}

/** The quarter's publication as kept once published; until then, as it would be published now. */
async function publicationOf(db: Database, p: Period, c: Collection) {
  const stored = await store.findPublication(db, p);
  if (stored) return { pub: stored.publication, published: true };
  return { pub: buildPublication(publicationInputOf(p, c)), published: false };
}

/** The tables as published, for a quarter; with why publishing was refused when it was. */
async function showPreview(
  db: Database,
  request: FastifyRequest,
  reply: FastifyReply,
  p: Period,
  today: string,
  errors?: FormErrors,
) {
  const user = staffOf(request);
  const c = await collection(db, p);
  // An authority's own figures are exact for the people with access to them (its commissioner); every
  // other figure is shown as it is published.
  const own = c.submitted.filter(
    (s) =>
      user.role === 'commissioner' && returnAccess(user, { code: s.code, commissionedServiceIds: [] }).exact,
  );
  const names = new Map(c.status.map((a) => [a.code, a.name]));
  const { pub, published } = await publicationOf(db, p, c);
  const done = (request.query as Record<string, unknown>).done === 'published';
  await audit(
    db,
    user,
    {
      action: 'view',
      entityType: 'return',
      detail: `published tables ${quarterLabel(p.financialYear, p.quarter)}`,
    },
    request.id,
  );
  return reply.page('returns/views/published.njk', {
    title: `Quarterly returns as published: ${pub.label}`,
    ...publicationPage(pub),
    query: `year=${p.financialYear}&quarter=${p.quarter}`,
    p,
    published,
    publicPath: statisticsPath(p),
    canPublish: user.role === 'national_analyst' && !published,
    publishable: hasEnded(p, today) && c.submitted.length > 0,
    flash:
      published && done
        ? `Published. Anyone can now read ${pub.label}'s tables without signing in.`
        : undefined,
    ownLines: own.map((s) => summaryLine(names.get(s.code) ?? s.code, s.data.totals)),
    errors,
  });
}

async function publish(db: Database, request: FastifyRequest, reply: FastifyReply, clock: Clock) {
  const body = (request.body ?? {}) as Record<string, unknown>;
  const p = periodOf(String(body.year ?? ''), String(body.quarter ?? ''));
  if (!p) throw notFound('Quarter not found');
  const c = await collection(db, p);
  const refuse = (text: string) =>
    showPreview(db, request, reply.code(409), p, clock.today(), {
      list: [{ text, href: '#publish' }],
      fields: {},
    });
  if (!hasEnded(p, clock.today()))
    return refuse(`${quarterLabel(p.financialYear, p.quarter)} has not ended yet: publish it once it has`);
  if (c.submitted.length === 0) return refuse('No authority has submitted its return for this quarter yet');
  const pub = buildPublication(publicationInputOf(p, c));
  const user = staffOf(request);
  const stored = await publishQuarter(db, user, pub, c.submitted.length, clock.now(), request.id);
  if (!stored) return refuse(`${pub.label} is published already: a quarter is published once`);
  return reply.redirect(
    `/national/returns/published?year=${p.financialYear}&quarter=${p.quarter}&done=published`,
    303,
  );
}

async function exportPublished(
  db: Database,
  format: 'csv' | 'json',
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const p = periodAsked(request);
  const { pub } = await publicationOf(db, p, await collection(db, p));
  const rows = publicationRows(pub);
  await audit(
    db,
    staffOf(request),
    {
      action: 'export',
      entityType: 'return',
      detail: `published tables ${pub.label} as ${format}: ${pub.areas.length} areas disclosure-controlled together`,
    },
    request.id,
  );
  reply
    .header('content-disposition', `attachment; filename="mortar-returns-published-${fileStem(p)}.${format}"`)
    .header('cache-control', 'no-store');
  if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(rowsToCsv(rows));
  return reply.type('application/json; charset=utf-8').send({
    layoutVersion: LAYOUT_VERSION,
    period: pub.label,
    published: true,
    disclosure: publicationNote(pub.rule),
    rows,
  });
}

export function registerPublicationRoutes(app: FastifyInstance, { db }: Deps) {
  app.get(
    '/national/returns/published',
    { config: { access: ['commissioner', 'national_analyst'] } },
    async (request, reply) => showPreview(db, request, reply, periodAsked(request), app.clock.today()),
  );
  app.post(
    '/national/returns/published',
    { config: { access: ['national_analyst'] } },
    async (request, reply) => publish(db, request, reply, app.clock),
  );
  for (const format of ['csv', 'json'] as const) {
    app.get(
      `/national/returns/published.${format}`,
      { config: { access: ['commissioner', 'national_analyst'] } },
      async (request, reply) => exportPublished(db, format, request, reply),
    );
  }
}
