import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { forbidden, notFound } from '../../platform/errors.ts';
import type { FormErrors } from '../../platform/forms.ts';
import { setFlash } from '../../platform/flash.ts';
import { mayEditStrategyOf, mayReadStrategyOf, strategyScope } from '../../platform/scope.ts';
import { isUuid } from '../../platform/validation.ts';
import { bodyOf, keptValues } from '../organisations/organisation.schemas.ts';
import { parseLocalIndicator } from './local-indicators.schemas.ts';
import * as service from './local-indicators.service.ts';
import * as view from './local-indicators.view.ts';
import { EDITORS, READERS, V } from './strategy.routes.ts';

// Local indicators: a commissioner's own indicators for their authority, built from the counts Mortar
// holds, shown on their dashboard beside the national ones. strategyScope decides who reads and who
// edits, as for strategies: the authority's commissioner edits its own, a national analyst reads every
// authority's. Every change is written with its history and audit row by local-indicators.service.ts.

type Deps = { db: Database };

/** The indicator in the path, if this user may read it (or edit it, when `edit`). */
async function indicatorFor(db: Database, request: FastifyRequest, edit: boolean) {
  const user = staffOf(request);
  const scope = strategyScope(user);
  const id = (request.params as { id?: string }).id;
  const indicator = isUuid(id) ? await service.findLocalIndicator(db, id) : null;
  if (!indicator) throw notFound('Local indicator not found');
  const code = indicator.localAuthorityCode;
  if (!(edit ? mayEditStrategyOf(scope, code) : mayReadStrategyOf(scope, code))) throw forbidden();
  return { user, indicator, canEdit: mayEditStrategyOf(scope, code) && !indicator.retiredAt };
}

type FormPage = { title: string; action: string; backHref: string; values: Record<string, string> };

function renderForm(reply: FastifyReply, page: FormPage, errors?: FormErrors) {
  if (errors) reply.code(400);
  return reply.page(V('local-indicator-form'), {
    ...page,
    errors,
    numeratorItems: view.countItems(page.values.numerator),
    denominatorItems: view.countItems(page.values.denominator),
    glossary: view.countsGlossary(),
  });
}

const NEW_FORM = {
  title: 'Add a local indicator',
  action: '/local-indicators',
  backHref: '/local-indicators',
};
const editForm = (i: { id: string; name: string }) => ({
  title: `Change ${i.name}`,
  action: `/local-indicators/${i.id}/edit`,
  backHref: `/local-indicators/${i.id}`,
});

function registerList(app: FastifyInstance, db: Database) {
  app.get('/local-indicators', { config: { access: READERS } }, async (request, reply) => {
    const scope = strategyScope(staffOf(request));
    const list = await service.listLocalIndicators(db, scope.kind === 'all' ? 'all' : [scope.code]);
    return reply.page(V('local-indicators'), {
      title: 'Local indicators',
      national: scope.kind === 'all',
      canAdd: scope.edits !== null,
      indicators: list.map((i) => ({ ...i, targetText: view.targetText(i.target) })),
      flash: reply.locals?.flash,
      csrf: false,
    });
  });
}

function registerForms(app: FastifyInstance, db: Database) {
  app.get('/local-indicators/new', { config: { access: EDITORS } }, async (request, reply) => {
    if (!strategyScope(staffOf(request)).edits) throw forbidden();
    return renderForm(reply, { ...NEW_FORM, values: { better: 'higher' } });
  });

  app.post('/local-indicators', { config: { access: EDITORS } }, async (request, reply) => {
    const user = staffOf(request);
    const code = strategyScope(user).edits;
    if (!code) throw forbidden();
    const body = bodyOf(request.body);
    const parsed = parseLocalIndicator(body);
    if (!parsed.ok) return renderForm(reply, { ...NEW_FORM, values: keptValues(body) }, parsed.errors);
    const id = await service.createLocalIndicator(db, user, code, parsed.input, app.clock.now(), request.id);
    setFlash(reply, 'The indicator has been added. It is on your dashboard.');
    return reply.redirect(`/local-indicators/${id}`, 303);
  });

  app.get('/local-indicators/:id/edit', { config: { access: EDITORS } }, async (request, reply) => {
    const { indicator: i, canEdit } = await indicatorFor(db, request, true);
    if (!canEdit) return reply.redirect(`/local-indicators/${i.id}`, 303);
    return renderForm(reply, { ...editForm(i), values: view.formValues(i) });
  });

  app.post('/local-indicators/:id/edit', { config: { access: EDITORS } }, async (request, reply) => {
    const { user, indicator: i } = await indicatorFor(db, request, true);
    const body = bodyOf(request.body);
    const parsed = parseLocalIndicator(body);
    if (!parsed.ok) return renderForm(reply, { ...editForm(i), values: keptValues(body) }, parsed.errors);
    const done = await service.updateLocalIndicator(
      db,
      user,
      i.id,
      parsed.input,
      app.clock.now(),
      request.id,
    );
    setFlash(reply, done.changed ? 'The indicator has been changed' : 'Nothing was changed');
    return reply.redirect(`/local-indicators/${i.id}`, 303);
  });
}

export function registerLocalIndicatorRoutes(app: FastifyInstance, { db }: Deps) {
  registerList(app, db);
  registerForms(app, db);

  app.get('/local-indicators/:id', { config: { access: READERS } }, async (request, reply) => {
    const { indicator: i, canEdit } = await indicatorFor(db, request, false);
    return reply.page(V('local-indicator'), {
      title: i.name,
      indicator: i,
      rows: view.definitionRows(i),
      changes: view.historyItems(await service.listChanges(db, i.id)),
      canEdit,
      backHref: '/local-indicators',
      flash: reply.locals?.flash,
    });
  });

  app.post('/local-indicators/:id/retire', { config: { access: EDITORS } }, async (request, reply) => {
    const { user, indicator: i } = await indicatorFor(db, request, true);
    const done = await service.retireLocalIndicator(db, user, i.id, app.clock.now(), request.id);
    setFlash(
      reply,
      done.retired
        ? 'The indicator has been retired. Its history is kept.'
        : 'The indicator was already retired',
    );
    return reply.redirect(`/local-indicators/${i.id}`, 303);
  });
}
