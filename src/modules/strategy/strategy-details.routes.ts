import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { forbidden } from '../../platform/errors.ts';
import { mergeErrors, type FormErrors } from '../../platform/forms.ts';
import { strategyScope } from '../../platform/scope.ts';
import { setFlash } from '../../platform/flash.ts';
import { bodyOf, keptValues } from '../organisations/organisation.schemas.ts';
import { quarterOf, type Period } from '../../platform/quarters.ts';
import * as pages from './strategy.pages.ts';
import { parseDetails, periodValue } from './strategy.schemas.ts';
import { createStrategy, overlapMessage, updateDetails } from './strategy.service.ts';
import { EDITORS, V, strategyFor } from './strategy.routes.ts';

// A new strategy, and changes to its title, aims and period: one form for both. A period that overlaps
// another of the authority's strategies is refused on the start field (the service checks it under a lock).

type Deps = { db: Database };
type DetailsForm = {
  title: string;
  action: string;
  backHref: string;
  values: Record<string, string>;
  errors?: FormErrors;
  keep?: Period[];
};

function renderDetails(reply: FastifyReply, today: Period, ctx: DetailsForm) {
  if (ctx.errors) reply.code(400);
  return reply.page(V('strategy-details'), {
    ...ctx,
    startItems: pages.quarterChoices(today, ctx.values.start, ctx.keep),
    endItems: pages.quarterChoices(today, ctx.values.end, ctx.keep),
  });
}

const NEW_FORM = { title: 'Create a strategy', action: '/strategy', backHref: '/strategy' };
const editForm = (s: { id: string; period: { start: Period; end: Period } }) => ({
  title: 'Change the strategy’s details',
  action: `/strategy/${s.id}/edit`,
  backHref: `/strategy/${s.id}`,
  keep: [s.period.start, s.period.end],
});

export function registerStrategyDetailsRoutes(app: FastifyInstance, { db }: Deps) {
  const today = (): Period => quarterOf(app.clock.today());

  app.get('/strategy/new', { config: { access: EDITORS } }, async (request, reply) => {
    strategyScope(staffOf(request));
    return renderDetails(reply, today(), { ...NEW_FORM, values: {} });
  });

  app.post('/strategy', { config: { access: EDITORS } }, async (request, reply) => {
    const user = staffOf(request);
    const scope = strategyScope(user);
    if (!scope.edits) throw forbidden();
    const body = bodyOf(request.body);
    const parsed = parseDetails(body);
    const form = { ...NEW_FORM, values: keptValues(body) };
    if (!parsed.ok) return renderDetails(reply, today(), { ...form, errors: parsed.errors });
    const done = await createStrategy(db, user, scope.edits, parsed.details, request.id);
    if ('overlap' in done)
      return renderDetails(reply, today(), {
        ...form,
        errors: mergeErrors(undefined, 'start', overlapMessage(done.overlap)),
      });
    setFlash(reply, 'The strategy has been created. Now set its targets.');
    return reply.redirect(`/strategy/${done.id}/targets`, 303);
  });

  app.get('/strategy/:id/edit', { config: { access: EDITORS } }, async (request, reply) => {
    const { strategy: s } = await strategyFor(db, request, true);
    const values = {
      title: s.title,
      aims: s.aims,
      start: periodValue(s.period.start),
      end: periodValue(s.period.end),
    };
    return renderDetails(reply, today(), { ...editForm(s), values });
  });

  app.post('/strategy/:id/edit', { config: { access: EDITORS } }, async (request, reply) => {
    const { user, strategy: s } = await strategyFor(db, request, true);
    const body = bodyOf(request.body);
    const parsed = parseDetails(body);
    const form = { ...editForm(s), values: keptValues(body) };
    if (!parsed.ok) return renderDetails(reply, today(), { ...form, errors: parsed.errors });
    const done = await updateDetails(db, user, s, parsed.details, request.id);
    if ('overlap' in done)
      return renderDetails(reply, today(), {
        ...form,
        errors: mergeErrors(undefined, 'start', overlapMessage(done.overlap)),
      });
    if (done.changed) setFlash(reply, 'The strategy’s details have been changed');
    return reply.redirect(`/strategy/${s.id}`, 303);
  });
}
