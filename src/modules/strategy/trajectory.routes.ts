import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { setFlash } from '../../platform/flash.ts';
import type { FormErrors } from '../../platform/forms.ts';
import { financialYearLabel } from '../../platform/quarters.ts';
import { bodyOf, keptValues } from '../organisations/organisation.schemas.ts';
import { NATIONAL_GOAL } from './need.ts';
import * as repo from './trajectory.repository.ts';
import { MILESTONE_YEARS, fieldOf, parseMilestones, saveMilestones } from './trajectory.service.ts';
import { TRAJECTORY_RULE, describeChange, goalYear, yearEnd } from './trajectory.ts';

// The national trajectory to the goal (issue 12): the national team sets a milestone for any financial
// year, sees the history of every change, and the national dashboard shows it against the actual figures.

type Deps = { db: Database };
const NATIONAL_TEAM = ['national_analyst', 'national_administrator'] as const;
type Form = { values?: Record<string, string>; errors?: FormErrors };

async function render(db: Database, reply: FastifyReply, form: Form = {}) {
  const [milestones, history] = await Promise.all([repo.loadMilestones(db), repo.loadHistory(db)]);
  const saved = new Map(milestones.map((m) => [m.financialYear, String(m.target)]));
  const values =
    form.values ?? Object.fromEntries(MILESTONE_YEARS.map((fy) => [fieldOf(fy), saved.get(fy) ?? '']));
  const reached = goalYear(milestones);
  if (form.errors) reply.code(400);
  return reply.page('strategy/views/trajectory.njk', {
    title: 'National trajectory to 1.5 million',
    rule: TRAJECTORY_RULE,
    goalText: NATIONAL_GOAL.toLocaleString('en-GB'),
    goalYearText: reached === null ? null : financialYearLabel(reached),
    years: MILESTONE_YEARS.map((fy) => ({
      id: fieldOf(fy),
      label: `By the end of ${financialYearLabel(fy)} (${yearEnd(fy)})`,
      value: values[fieldOf(fy)] ?? '',
    })),
    history: history.map((h) => ({ ...h, text: describeChange(h) })),
    errors: form.errors,
    flash: reply.locals?.flash,
  });
}

export function registerTrajectoryRoutes(app: FastifyInstance, { db }: Deps) {
  app.get('/national/trajectory', { config: { access: NATIONAL_TEAM } }, async (_request, reply) =>
    render(db, reply),
  );

  app.post('/national/trajectory', { config: { access: NATIONAL_TEAM } }, async (request, reply) => {
    const body = bodyOf(request.body);
    const parsed = parseMilestones(body);
    if (!Array.isArray(parsed)) return render(db, reply, { values: keptValues(body), errors: parsed });
    const changes = await saveMilestones(db, staffOf(request), parsed, app.clock.now(), request.id);
    setFlash(
      reply,
      changes.length === 0
        ? 'Nothing was changed: the milestones are as they were'
        : `The trajectory has been saved (${changes.length} ${changes.length === 1 ? 'year' : 'years'} changed)`,
    );
    return reply.redirect('/national/trajectory', 303);
  });
}
