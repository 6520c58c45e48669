import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { setFlash } from '../../platform/flash.ts';
import type { FormErrors } from '../../platform/forms.ts';
import { financialYearLabel, quarterOf } from '../../platform/quarters.ts';
import type { IsoDate } from '../../platform/dates.ts';
import { bodyOf, keptValues } from '../organisations/organisation.schemas.ts';
import { fundingEstimate, saveAssumptions } from './funding.service.ts';
import { parseAssumptionsForm } from './funding.schemas.ts';
import {
  ASSUMPTIONS,
  ESTIMATE_RULE,
  type AssumptionName,
  type ResolvedAssumption,
} from './funding-estimate.ts';
import { formatPence, poundsInput } from '../../platform/money.ts';

// The national estimate of extending integrated support to every NHS Talking Therapies service (issue 12):
// the national team sets the assumptions (history kept); commissioners read it for their own case.

type Deps = { db: Database };
const NATIONAL_TEAM = ['national_analyst', 'national_administrator'] as const;
type Form = { values?: Record<string, string>; errors?: FormErrors };

const shown = (a: ResolvedAssumption): string => {
  if (a.value === null) return 'Not set';
  if (a.kind === 'money') return formatPence(a.value);
  if (a.kind === 'percent') return `${a.value}%`;
  return a.value.toLocaleString('en-GB');
};

const boxValue = (name: AssumptionName, v: number | undefined): string =>
  v === undefined
    ? ''
    : ASSUMPTIONS.find((a) => a.name === name)!.kind === 'money'
      ? poundsInput(v)
      : String(v);

const labelOf = (name: AssumptionName) => ASSUMPTIONS.find((a) => a.name === name)!.label;

async function render(db: Database, reply: FastifyReply, today: IsoDate, mayEdit: boolean, form: Form = {}) {
  const financialYear = quarterOf(today).financialYear;
  const { saved, assumptions, estimate, history } = await fundingEstimate(db, financialYear, today);
  const values =
    form.values ?? Object.fromEntries(ASSUMPTIONS.map((a) => [a.name, boxValue(a.name, saved[a.name])]));
  if (form.errors) reply.code(400);
  return reply.page('funding/views/funding-estimate.njk', {
    title: 'Support inside every Talking Therapies service: the estimate',
    yearLabel: financialYearLabel(financialYear),
    rule: ESTIMATE_RULE,
    assumptions: assumptions.map((a) => ({ ...a, shown: shown(a), box: values[a.name] ?? '' })),
    estimate: estimate.complete
      ? {
          ...estimate,
          cost: formatPence(estimate.costPence, true),
          perQuit: estimate.perQuitPence === null ? null : formatPence(estimate.perQuitPence, true),
        }
      : estimate,
    history: history.map((h) => ({
      ...h,
      text: `${labelOf(h.name)}: ${h.before === null ? 'not set' : boxValue(h.name, h.before)} to ${h.after === null ? 'not set' : boxValue(h.name, h.after)}`,
    })),
    mayEdit,
    errors: form.errors,
    flash: reply.locals?.flash,
  });
}

export function registerFundingEstimateRoutes(app: FastifyInstance, { db }: Deps) {
  app.get(
    '/funding/estimate',
    { config: { access: ['commissioner', ...NATIONAL_TEAM] } },
    async (request, reply) =>
      render(
        db,
        reply,
        app.clock.today(),
        (NATIONAL_TEAM as readonly string[]).includes(staffOf(request).role),
      ),
  );

  app.post('/funding/estimate', { config: { access: NATIONAL_TEAM } }, async (request, reply) => {
    const body = bodyOf(request.body);
    const parsed = parseAssumptionsForm(body);
    if ('list' in parsed)
      return render(db, reply, app.clock.today(), true, {
        values: keptValues(body),
        errors: parsed as FormErrors,
      });
    const changes = await saveAssumptions(db, staffOf(request), parsed, app.clock.now(), request.id);
    setFlash(
      reply,
      changes.length === 0
        ? 'Nothing was changed: the assumptions are as they were'
        : `The assumptions have been saved (${changes.length} changed)`,
    );
    return reply.redirect('/funding/estimate', 303);
  });
}
