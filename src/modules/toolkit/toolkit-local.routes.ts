import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { notFound } from '../../platform/errors.ts';
import { setFlash } from '../../platform/flash.ts';
import { formErrors, type FormErrors } from '../../platform/forms.ts';
import { toolkitEditArea } from '../../platform/scope.ts';
import { fillDocument, toHtml } from './toolkit-fill.ts';
import { MARKUP_HINT } from './toolkit-national.routes.ts';
import { documentOf, V } from './toolkit.routes.ts';
import { DocumentTextSchema } from './toolkit.schemas.ts';
import { adopt, editLocal, localCopy } from './toolkit.service.ts';

// A local authority's copy of a toolkit document: its commissioner adopts the national version, adapts
// the text (each save a new local version, with who and when), reads earlier ones, and can start again
// from a newer national version. Scope: platform/scope.ts (toolkitEditArea).

type Deps = { db: Database };
const COMMISSIONER = ['commissioner'] as const;
type Values = Record<string, unknown>;

function editPage(reply: FastifyReply, id: string, values: Values, errors?: FormErrors) {
  if (errors) reply.code(400);
  return reply.page(V('local-edit'), {
    title: 'Adapt this document for your area',
    backHref: `/toolkit/${id}`,
    action: `/toolkit/${id}/local`,
    values,
    errors,
    markupHint: MARKUP_HINT,
  });
}

export function registerToolkitLocalRoutes(app: FastifyInstance, { db }: Deps) {
  app.post('/toolkit/:id/adopt', { config: { access: COMMISSIONER } }, async (request, reply) => {
    const user = staffOf(request);
    const { document } = await documentOf(db, request);
    const restart = (request.body as Values | undefined)?.restart === 'yes';
    await adopt(db, user, document.id, toolkitEditArea(user), request.id, restart);
    setFlash(
      reply,
      restart
        ? 'Your area’s copy now starts from the newest national version'
        : 'Your area has adopted this document',
    );
    return reply.redirect(`/toolkit/${document.id}`, 303);
  });

  app.get('/toolkit/:id/local', { config: { access: COMMISSIONER } }, async (request, reply) => {
    const user = staffOf(request);
    const { document } = await documentOf(db, request);
    const current = (await localCopy(db, document.id, toolkitEditArea(user)))?.versions[0];
    if (!current) return reply.redirect(`/toolkit/${document.id}`, 303);
    return editPage(reply, document.id, { title: current.title, body: current.body });
  });

  app.post('/toolkit/:id/local', { config: { access: COMMISSIONER } }, async (request, reply) => {
    const user = staffOf(request);
    const { document } = await documentOf(db, request);
    const body = (request.body ?? {}) as Values;
    const parsed = DocumentTextSchema.safeParse(body);
    if (!parsed.success) return editPage(reply, document.id, body, formErrors(parsed.error));
    const saved = await editLocal(db, user, document.id, toolkitEditArea(user), parsed.data, request.id);
    setFlash(
      reply,
      saved
        ? 'Your changes have been saved as a new local version'
        : 'Adopt the document before you adapt it',
    );
    return reply.redirect(`/toolkit/${document.id}`, 303);
  });

  app.get('/toolkit/:id/local/:number', { config: { access: COMMISSIONER } }, async (request, reply) => {
    const user = staffOf(request);
    const { document } = await documentOf(db, request);
    const { number } = request.params as { number: string };
    const copy = await localCopy(db, document.id, toolkitEditArea(user));
    const v = copy?.versions.find((x) => String(x.number) === number);
    if (!v) throw notFound('Version not found');
    return reply.page(V('version'), {
      title: `${v.title}: your area’s version ${v.number}`,
      backHref: `/toolkit/${document.id}`,
      version: { ...v, publisher: null, published_at: null },
      basedOn: v.based_on_number,
      html: toHtml(fillDocument(v.body, null)),
    });
  });
}
