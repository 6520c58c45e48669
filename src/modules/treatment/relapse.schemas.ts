// Reading the form that starts a new quit attempt after a relapse: when they started smoking again
// (not before the last quit date, not in the future) and the relapse-prevention plan, both parts needed.
import type { IsoDate } from '../../platform/dates.ts';
import {
  checkPastDate,
  dateAnchors,
  dateField,
  Errors,
  field,
  type Body,
  type Parsed,
} from './treatment.schemas.ts';

export type RelapseInput = { relapsedOn: IsoDate; whatHappened: string; preventionPlan: string };

const ORDER = ['relapsedOn', 'whatHappened', 'preventionPlan'] as const;
const TEXT_MAX = 2000;
// People come back years later: the last quit date, not a window, is what catches a mistyped year.
const RELAPSE_DAYS_BACK = Number.POSITIVE_INFINITY;

export function parseRelapse(body: Body, ctx: { today: IsoDate; quitDate: IsoDate }): Parsed<RelapseInput> {
  const errors = new Errors(dateAnchors('relapsedOn'));
  const relapsedOn = checkPastDate(errors, 'relapsedOn', dateField(body, 'relapsedOn'), {
    label: 'the date they started smoking again',
    today: ctx.today,
    earliest: { date: ctx.quitDate, what: 'the quit date of the last attempt' },
    maxDaysBack: RELAPSE_DAYS_BACK,
  });
  const whatHappened = field(body, 'whatHappened');
  const preventionPlan = field(body, 'preventionPlan');
  if (whatHappened === '') errors.add('whatHappened', 'Enter what led to smoking again');
  else if (whatHappened.length > TEXT_MAX)
    errors.add('whatHappened', `What led to smoking again must be ${TEXT_MAX} characters or fewer`);
  if (preventionPlan === '') errors.add('preventionPlan', 'Enter the plan to stay smokefree this time');
  else if (preventionPlan.length > TEXT_MAX)
    errors.add('preventionPlan', `The plan must be ${TEXT_MAX} characters or fewer`);
  const found = errors.result(ORDER);
  if (found || !relapsedOn) return { ok: false, errors: found! };
  return { ok: true, data: { relapsedOn, whatHappened, preventionPlan } };
}
