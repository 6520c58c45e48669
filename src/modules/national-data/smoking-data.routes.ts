import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import type { Reader } from '../../db/read-replica.ts';
import { staffOf } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import { toCsv } from '../../platform/csv.ts';
import { previousQuarter, quarterLabel, quarterOf, type Period } from '../../platform/quarters.ts';
import { areaScope } from '../../platform/scope.ts';
import { disclosureNote, formatDisclosed } from '../returns/disclosure.ts';
import { SMOKING_MEASURES, SMOKING_MEASURE_NAMES } from './smoking-data.ts';
import { loadSmokingPublication, rowsFor } from './smoking-data.service.ts';
import type { PublishedRow } from './smoking-data-tables.ts';

// The national data on smoking among people with common mental health conditions: NHS England's page and
// downloads, and each commissioner's part of it. Every figure is disclosure-controlled (smoking-data-tables.ts).
// The figures are read through the reader (the replica when there is one: docs/operations-replica.md);
// the audit row goes to the primary.

type Deps = { db: Database; reader: Reader };
const READERS = { access: ['national_analyst', 'commissioner'] as const };
const LEVELS = {
  england: 'England',
  service_type: 'Service type',
  icb: 'ICB',
  local_authority: 'Local authority',
};

function periodFrom(query: unknown, today: string): Period {
  const q = (query ?? {}) as Record<string, unknown>;
  const fy = Number(q.year);
  const quarter = Number(q.quarter);
  if (Number.isInteger(fy) && fy >= 2000 && fy <= 2099 && [1, 2, 3, 4].includes(quarter))
    return { financialYear: fy, quarter: quarter as Period['quarter'] };
  return previousQuarter(quarterOf(today));
}

/** The page: one table per level (England, service type, ICB, authority), with links to the downloads. */
function pageOf(period: Period, rows: PublishedRow[], label: string) {
  const qs = `year=${period.financialYear}&quarter=${period.quarter}`;
  return {
    title: `Smoking among people with common mental health conditions, ${label}`,
    label,
    note: disclosureNote(),
    headers: SMOKING_MEASURES.map((m) => SMOKING_MEASURE_NAMES[m]),
    sections: (Object.keys(LEVELS) as PublishedRow['level'][])
      .map((level) => ({
        title: LEVELS[level],
        rows: rows
          .filter((r) => r.level === level)
          .map((r) => ({
            name: r.name,
            code: r.code,
            cells: SMOKING_MEASURES.map((m) => formatDisclosed(r.figures[m])),
          })),
      }))
      .filter((s) => s.rows.length > 0),
    previous: previousQuarter(period),
    csv: `/national-data/smoking.csv?${qs}`,
    json: `/national-data/smoking.json?${qs}`,
  };
}

export function registerSmokingDataRoutes(app: FastifyInstance, { db, reader }: Deps) {
  async function load(request: FastifyRequest, format: string) {
    const actor = staffOf(request);
    const scope = areaScope(actor);
    const period = periodFrom(request.query, app.clock.today());
    // A download cannot carry the notice of how old its figures are: from the replica only while none is needed.
    const { value, freshness } = await reader.read((from) => loadSmokingPublication(from, period), {
      mustBeFresh: format !== 'page',
    });
    const rows = rowsFor(value, scope);
    const label = quarterLabel(period.financialYear, period.quarter);
    await audit(
      db,
      actor,
      {
        action: format === 'page' ? 'view' : 'export',
        entityType: 'national_smoking_data',
        entityId: null,
        detail: `${format} ${label}`,
      },
      request.id,
    );
    return { period, rows, label, figuresAge: freshness.notice };
  }
  const file = (period: Period) => `smoking-data-${period.financialYear}-q${period.quarter}`;

  app.get('/national-data/smoking', { config: READERS }, async (request, reply) => {
    const { period, rows, label, figuresAge } = await load(request, 'page');
    return reply.page('national-data/views/smoking-data.njk', { ...pageOf(period, rows, label), figuresAge });
  });

  app.get('/national-data/smoking.csv', { config: READERS }, async (request, reply: FastifyReply) => {
    const { period, rows } = await load(request, 'csv');
    const body = toCsv(
      ['level', 'code', 'name', 'icb_code', 'financial_year', 'quarter', ...SMOKING_MEASURES],
      rows.map((r) => [
        r.level,
        r.code,
        r.name,
        r.icbCode,
        period.financialYear,
        period.quarter,
        ...SMOKING_MEASURES.map((m) => r.figures[m]),
      ]),
    );
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${file(period)}.csv"`)
      .send(body);
  });

  app.get('/national-data/smoking.json', { config: READERS }, async (request, reply) => {
    const { period, rows } = await load(request, 'json');
    return reply
      .type('application/json; charset=utf-8')
      .send({ ...period, disclosure: disclosureNote(), measures: SMOKING_MEASURES, rows });
  });
}
