import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import { notFound } from '../../platform/errors.ts';
import { ROLES, type StaffUser } from '../../platform/roles.ts';
import { toolkitArea } from '../../platform/scope.ts';
import { diffParagraphs, hasChanges } from './toolkit-diff.ts';
import { fillDocument, gapsOf, toHtml } from './toolkit-fill.ts';
import { toolkitPdf } from './toolkit-pdf.ts';
import { kindLabel } from './toolkit.kinds.ts';
import * as svc from './toolkit.service.ts';

// The national toolkit: the list, each document with its versions, and its downloads (a print-friendly
// page and a PDF) filled with the reader's own area's details. Changing documents is in
// toolkit-edit.routes.ts.

type Deps = { db: Database };
export const V = (name: string) => `toolkit/views/${name}.njk`;
export const NATIONAL = ['national_administrator', 'national_analyst'] as const;
const isNational = (u: StaffUser) => (NATIONAL as readonly string[]).includes(u.role);

/** The document the path names, with every national version newest first; a 404 otherwise. */
export async function documentOf(db: Database, request: FastifyRequest) {
  const { id } = request.params as { id: string };
  const document = await svc.findDocument(db, id);
  if (!document) throw notFound('Document not found');
  const versions = await svc.versionsOf(db, document.id);
  const published = versions.filter((v) => v.published_at);
  if (!published.length) throw notFound('Document not found');
  return { document, versions, published, latest: published[0]! };
}

/** What the reader's area has of this document, and what changed nationally since it was based. */
async function areaView(db: Database, documentId: string, la: string | null, latest: svc.VersionRow) {
  const copy = la ? await svc.localCopy(db, documentId, la) : undefined;
  const current = copy?.versions[0];
  if (!current) return { copy, current };
  const basedOnLatest = current.based_on_version_id === latest.id;
  const basedOn = (await svc.versionsOf(db, documentId)).find((v) => v.id === current.based_on_version_id);
  const diff = basedOnLatest || !basedOn ? [] : diffParagraphs(basedOn.body, latest.body);
  return { copy, current, newer: !basedOnLatest, diff, changed: hasChanges(diff) };
}

/** What a download holds: the area's copy if it has one, otherwise the newest national version. */
async function download(db: Database, request: FastifyRequest, today: string) {
  const user = staffOf(request);
  const { document, latest } = await documentOf(db, request);
  const la = toolkitArea(user);
  const current = la ? (await svc.localCopy(db, document.id, la))?.versions[0] : undefined;
  const details = la ? await svc.localDetails(db, la, today) : null;
  const place = details?.['local authority'];
  const subtitle = current
    ? `${place}'s version ${current.number}, based on national version ${current.based_on_number}`
    : `National version ${latest.number}${place ? `, filled in for ${place}` : ''}`;
  const text = current ?? latest;
  const blocks = fillDocument(text.body, details);
  await audit(
    db,
    user,
    { action: 'export', entityType: 'toolkit_document', entityId: document.id, detail: subtitle },
    request.id,
  );
  return { document, title: text.title, subtitle, blocks };
}

export function registerToolkitRoutes(app: FastifyInstance, { db }: Deps) {
  app.get('/toolkit', { config: { access: ROLES } }, async (request, reply) => {
    const user = staffOf(request);
    const rows = await svc.listDocuments(db, toolkitArea(user));
    return reply.page(V('list'), {
      title: 'National toolkit',
      flash: reply.locals?.flash,
      mayAdopt: user.role === 'commissioner',
      rows: rows.map((r) => ({
        ...r,
        kindText: kindLabel(r.kind),
        newer: r.local_based_on !== null && r.local_based_on < r.number,
      })),
    });
  });

  app.get('/toolkit/:id', { config: { access: ROLES } }, async (request, reply) => {
    const user = staffOf(request);
    const { document, versions, latest } = await documentOf(db, request);
    const area = await areaView(
      db,
      document.id,
      user.role === 'commissioner' ? toolkitArea(user) : null,
      latest,
    );
    return reply.page(V('show'), {
      title: latest.title,
      backHref: '/toolkit',
      flash: reply.locals?.flash,
      document,
      kindText: kindLabel(document.kind),
      latest,
      versions,
      html: toHtml(fillDocument((area.current ?? latest).body, null)),
      national: isNational(user),
      commissioner: user.role === 'commissioner',
      ...area,
    });
  });

  app.get('/toolkit/:id/print', { config: { access: ROLES } }, async (request, reply) => {
    const d = await download(db, request, app.clock.today());
    return reply.page(V('print'), {
      ...d,
      backHref: `/toolkit/${d.document.id}`,
      html: toHtml(d.blocks),
      gaps: gapsOf(d.blocks),
    });
  });

  app.get('/toolkit/:id/download.pdf', { config: { access: ROLES } }, async (request, reply) => {
    const d = await download(db, request, app.clock.today());
    return reply
      .type('application/pdf')
      .header('Content-Disposition', `attachment; filename="${d.document.slug}.pdf"`)
      .send(await toolkitPdf(d));
  });
}
