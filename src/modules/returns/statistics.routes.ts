// The published quarterly returns, for anyone, without signing in: the list of published quarters, each
// as a page and as CSV. Every figure on those comes from the stored publication, which holds only figures
// as published (publication.ts), never an exact one.
// They read through the reader (the replica when there is one: docs/operations-replica.md). A quarter's
// publication never changes once stored, so a replica's copy is the published one exactly; only the newest
// may not have reached it yet, so a quarter the replica lacks is looked for on the primary before a 404.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import type { Reader } from '../../db/read-replica.ts';
import { newestMayBeMissingText } from '../../db/replica-rules.ts';
import { londonDate } from '../../platform/clock.ts';
import { formatDate } from '../../platform/dates.ts';
import { notFound } from '../../platform/errors.ts';
import { quarterLabel, type Period } from '../../platform/quarters.ts';
import { rowsToCsv } from './csv-layout.ts';
import { fileStem } from './national.routes.ts';
import { publicationRows } from './publication.ts';
import * as store from './publication.repository.ts';
import { publicationPage, STATISTICS, statisticsPath } from './publication.routes.ts';
import { periodOf } from './return.service.ts';

type Deps = { db: Database; reader: Reader };

const PUBLIC = { access: 'public' } as const;

/** The quarter in a public address (/statistics/quarterly-returns/2026/1), or 404. */
function periodInPath(request: FastifyRequest): Period {
  const { year, quarter } = request.params as { year: string; quarter: string };
  const p = periodOf(year, quarter);
  if (!p) throw notFound('Quarter not found');
  return p;
}

/** The quarter's stored publication, or 404 until it is published (on the primary, not just the replica). */
async function publishedIn({ db, reader }: Deps, request: FastifyRequest) {
  const p = periodInPath(request);
  const { value, freshness } = await reader.read((from) => store.findPublication(from, p));
  const found = value ?? (freshness.source === 'replica' ? await store.findPublication(db, p) : undefined);
  if (!found) throw notFound('This quarter is not published');
  return { p, found };
}

export function registerStatisticsRoutes(app: FastifyInstance, deps: Deps) {
  app.get(STATISTICS, { config: PUBLIC }, async (_request, reply) => {
    const { value: quarters, freshness } = await deps.reader.read((from) => store.listPublications(from));
    const minutes = freshness.noticeMinutes;
    return reply.page('returns/views/statistics.njk', {
      title: 'Stop smoking services: quarterly returns',
      figuresAge: minutes === null ? null : newestMayBeMissingText(minutes),
      quarters: quarters.map((q) => ({
        label: quarterLabel(q.financialYear, q.quarter),
        href: statisticsPath(q),
        csv: `${statisticsPath(q)}/tables.csv`,
        returns: q.returns,
      })),
    });
  });

  app.get(`${STATISTICS}/:year/:quarter`, { config: PUBLIC }, async (request, reply) => {
    const { p, found } = await publishedIn(deps, request);
    return reply.page('returns/views/statistics-quarter.njk', {
      title: `Stop smoking services: quarterly returns, ${found.publication.label}`,
      ...publicationPage(found.publication),
      csv: `${statisticsPath(p)}/tables.csv`,
      returns: found.returns,
      publishedOn: formatDate(londonDate(found.publishedAt)),
    });
  });

  app.get(`${STATISTICS}/:year/:quarter/tables.csv`, { config: PUBLIC }, async (request, reply) => {
    const { p, found } = await publishedIn(deps, request);
    return reply
      .header('content-disposition', `attachment; filename="stop-smoking-returns-${fileStem(p)}.csv"`)
      .type('text/csv; charset=utf-8')
      .send(rowsToCsv(publicationRows(found.publication)));
  });
}
