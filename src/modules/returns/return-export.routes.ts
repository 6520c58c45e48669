// The return in the documented layout (csv-layout.ts), as CSV or JSON: exact for the people with access
// to it, or disclosure-controlled for publication (?published=1). Access as for the return's page
// (return.routes.ts); every export is audited.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import { notFound } from '../../platform/errors.ts';
import { fileNameOf, LAYOUT_VERSION, rowsToCsv, toJson } from './csv-layout.ts';
import { publicationNote, publicationRows, publishReturn } from './publication.ts';
import { contextOf, PAGE_ROLES, versionOf } from './return.routes.ts';

type Deps = { db: Database };
type Format = 'csv' | 'json';

async function exportReturn(db: Database, format: Format, request: FastifyRequest, reply: FastifyReply) {
  const ctx = await contextOf(db, request);
  if (!ctx.row) throw notFound('There is no return yet');
  const q = request.query as Record<string, unknown>;
  const v = await versionOf(db, ctx, q.version ?? String(ctx.row.current_version));
  // Published on its own, the return's tables are disclosure-controlled as one whole (publication.ts).
  const published = q.published === '1' ? publishReturn(v.data, ctx.authority.name) : null;
  const rows = published ? publicationRows(published) : toJson(v.data);
  await audit(
    db,
    staffOf(request),
    {
      action: 'export',
      entityType: 'return',
      entityId: ctx.row.id,
      detail: `${ctx.authority.code} ${ctx.period.label} version ${v.version} as ${format}${published ? ', disclosure-controlled for publication' : ', exact'}`,
    },
    request.id,
  );
  const name = fileNameOf(v.data, format).replace(
    `.${format}`,
    `${published ? '-published' : ''}-v${v.version}.${format}`,
  );
  reply.header('content-disposition', `attachment; filename="${name}"`).header('cache-control', 'no-store');
  if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(rowsToCsv(rows));
  return reply.type('application/json; charset=utf-8').send({
    layoutVersion: LAYOUT_VERSION,
    localAuthorityCode: ctx.authority.code,
    period: ctx.period.label,
    version: v.version,
    published: published !== null,
    ...(published ? { disclosure: publicationNote(published.rule) } : {}),
    rows,
  });
}

export function registerReturnExportRoutes(app: FastifyInstance, { db }: Deps) {
  for (const format of ['csv', 'json'] as const) {
    app.get(
      `/returns/:code/:year/:quarter/return.${format}`,
      { config: { access: [...PAGE_ROLES] } },
      async (request, reply) => exportReturn(db, format, request, reply),
    );
  }
}
