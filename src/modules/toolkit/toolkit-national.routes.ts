import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { notFound } from '../../platform/errors.ts';
import { setFlash } from '../../platform/flash.ts';
import { formErrors, type FormErrors } from '../../platform/forms.ts';
import { ROLES } from '../../platform/roles.ts';
import { fillDocument, toHtml } from './toolkit-fill.ts';
import { PLACEHOLDERS } from './toolkit-markup.ts';
import { documentOf, NATIONAL, V } from './toolkit.routes.ts';
import { DraftSchema } from './toolkit.schemas.ts';
import { publishDraft, saveDraft, type VersionRow } from './toolkit.service.ts';

// The national team's side of the toolkit: drafting the next version, publishing it, and reading any
// earlier version. A published version never changes (migration 0024 refuses it).

type Deps = { db: Database };
type Values = Record<string, unknown>;
/** How to write the markup, under every text box that takes it. */
export const MARKUP_HINT = `Start a line with # for a heading, ## for a smaller heading, - for a bullet point or 1. for a numbered step. Leave a blank line between paragraphs. Placeholders filled in with each area's details: ${Object.keys(
  PLACEHOLDERS,
)
  .map((p) => `{{${p}}}`)
  .join(', ')}.`;

function draftPage(
  reply: FastifyReply,
  f: { id: string; latest: VersionRow; draft?: VersionRow; values: Values; errors?: FormErrors },
) {
  if (f.errors) reply.code(400);
  return reply.page(V('draft'), {
    title: f.draft ? `Change draft version ${f.draft.number}` : `Draft version ${f.latest.number + 1}`,
    backHref: `/toolkit/${f.id}`,
    action: `/toolkit/${f.id}/draft`,
    values: f.values,
    errors: f.errors,
    draft: f.draft,
    preview: f.draft ? toHtml(fillDocument(f.draft.body, null)) : undefined,
    markupHint: MARKUP_HINT,
  });
}

export function registerToolkitNationalRoutes(app: FastifyInstance, { db }: Deps) {
  app.get('/toolkit/:id/versions/:number', { config: { access: ROLES } }, async (request, reply) => {
    const { document, versions } = await documentOf(db, request);
    const { number } = request.params as { number: string };
    const national = staffOf(request).role.startsWith('national_');
    const v = versions.find((x) => String(x.number) === number && (x.published_at || national));
    if (!v) throw notFound('Version not found');
    return reply.page(V('version'), {
      title: `${v.title}: national version ${v.number}`,
      backHref: `/toolkit/${document.id}`,
      version: v,
      html: toHtml(fillDocument(v.body, null)),
    });
  });

  app.get('/toolkit/:id/draft', { config: { access: NATIONAL } }, async (request, reply) => {
    const { document, versions, latest } = await documentOf(db, request);
    const draft = versions.find((v) => !v.published_at);
    const from = draft ?? latest;
    const values = { title: from.title, body: from.body, changeNote: draft?.change_note ?? '' };
    return draftPage(reply, { id: document.id, latest, draft, values });
  });

  app.post('/toolkit/:id/draft', { config: { access: NATIONAL } }, async (request, reply) => {
    const { document, versions, latest } = await documentOf(db, request);
    const body = (request.body ?? {}) as Values;
    const parsed = DraftSchema.safeParse(body);
    if (!parsed.success) {
      const draft = versions.find((v) => !v.published_at);
      return draftPage(reply, {
        id: document.id,
        latest,
        draft,
        values: body,
        errors: formErrors(parsed.error),
      });
    }
    await saveDraft(db, staffOf(request), document.id, parsed.data, request.id);
    setFlash(reply, 'The draft has been saved. Check it, then publish it when it is ready');
    return reply.redirect(`/toolkit/${document.id}/draft`, 303);
  });

  app.post('/toolkit/:id/publish', { config: { access: NATIONAL } }, async (request, reply) => {
    const { document } = await documentOf(db, request);
    const published = await publishDraft(db, staffOf(request), document.id, app.clock.now(), request.id);
    setFlash(
      reply,
      published
        ? 'The new version has been published. Areas that adopted this document will see it'
        : 'There was no draft to publish',
    );
    return reply.redirect(`/toolkit/${document.id}`, 303);
  });
}
