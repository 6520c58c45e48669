// The quarterly return in the national collection's own layout (national-layout.ts, NATIONAL-LAYOUT.md),
// with the written exception reasons: one authority's signed-off, approved or submitted return for the
// people who may see it, and every authority's submitted return of a quarter in one file for national
// analysts. Every export is audited.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import { HttpError, notFound } from '../../platform/errors.ts';
import { quarterLabel } from '../../platform/quarters.ts';
import {
  nationalFileName,
  nationalRowsToCsv,
  NATIONAL_LAYOUT_VERSION,
  toNationalRows,
  type NationalRow,
} from './national-layout.ts';
import { submittedAuthorityReturns } from './national-layout.repository.ts';
import { periodAsked } from './national.routes.ts';
import { settingsNeedingReasons } from './return-exceptions.service.ts';
import { contextOf, PAGE_ROLES } from './return.routes.ts';
import { loadVersion, STATUS_LABELS } from './return.service.ts';

type Deps = { db: Database };
type Format = 'csv' | 'json';

/** Only a return someone has signed off goes out in the national layout: a draft may still change. */
const EXPORTABLE = ['signed_off', 'approved', 'submitted'] as const;

function send(reply: FastifyReply, format: Format, name: string, rows: NationalRow[], about: object) {
  reply.header('content-disposition', `attachment; filename="${name}"`).header('cache-control', 'no-store');
  if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(nationalRowsToCsv(rows));
  return reply
    .type('application/json; charset=utf-8')
    .send({ layout: 'national', layoutVersion: NATIONAL_LAYOUT_VERSION, ...about, rows });
}

async function exportOne(db: Database, format: Format, request: FastifyRequest, reply: FastifyReply) {
  const ctx = await contextOf(db, request);
  if (!ctx.row) throw notFound('There is no return yet');
  if (!(EXPORTABLE as readonly string[]).includes(ctx.row.status))
    throw new HttpError(
      409,
      'Not signed off yet',
      `The return is ${STATUS_LABELS[ctx.row.status].toLowerCase()}: it can be downloaded in the national layout once it is signed off.`,
    );
  const v = (await loadVersion(db, ctx.row, ctx.row.current_version))!;
  const rows = toNationalRows(v.data, settingsNeedingReasons(v));
  await audit(
    db,
    staffOf(request),
    {
      action: 'export',
      entityType: 'return',
      entityId: ctx.row.id,
      detail: `${ctx.authority.code} ${ctx.period.label} version ${v.version} in the national layout as ${format}`,
    },
    request.id,
  );
  const { financialYear, quarter } = ctx.period;
  return send(reply, format, nationalFileName(ctx.authority.code, financialYear, quarter, format), rows, {
    localAuthorityCode: ctx.authority.code,
    period: ctx.period.label,
    version: v.version,
  });
}

async function exportQuarter(db: Database, format: Format, request: FastifyRequest, reply: FastifyReply) {
  const p = periodAsked(request);
  const returns = await submittedAuthorityReturns(db, p.financialYear, p.quarter);
  const rows = returns.flatMap((r) => toNationalRows(r.data, settingsNeedingReasons(r)));
  const label = quarterLabel(p.financialYear, p.quarter);
  await audit(
    db,
    staffOf(request),
    {
      action: 'export',
      entityType: 'return',
      detail: `every submitted authority return of ${label} (${returns.length}) in the national layout as ${format}`,
    },
    request.id,
  );
  return send(reply, format, nationalFileName('england', p.financialYear, p.quarter, format), rows, {
    period: label,
    returns: returns.length,
  });
}

export function registerNationalLayoutRoutes(app: FastifyInstance, { db }: Deps) {
  for (const format of ['csv', 'json'] as const) {
    app.get(
      `/returns/:code/:year/:quarter/national.${format}`,
      { config: { access: [...PAGE_ROLES] } },
      async (request, reply) => exportOne(db, format, request, reply),
    );
    app.get(
      `/national/returns/national-layout.${format}`,
      { config: { access: ['national_analyst'] } },
      async (request, reply) => exportQuarter(db, format, request, reply),
    );
  }
}
