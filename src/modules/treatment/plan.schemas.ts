// Reading the plan form: the quit date (after the assessment, within the rules of validateQuitDate), the
// type of support, where it is given, and any supply given with it.
import { daysBetween, formatDate, type IsoDate } from '../../platform/dates.ts';
import {
  DEFAULT_SETTINGS,
  INTERVENTION_SESSION_TYPE_CODES,
  validateQuitDate,
  type InterventionSessionType,
  type Setting,
} from '../episodes/programme.ts';
import { parseAidSupply, type AidSupplyInput } from './aid-supply.schemas.ts';
import {
  dateAnchors,
  dateField,
  Errors,
  field,
  invalid,
  type Body,
  type EpisodeDates,
  type Parsed,
} from './treatment.schemas.ts';

export type PlanInput = {
  quitDate: IsoDate;
  interventionType: InterventionSessionType;
  setting: Setting;
  aid: AidSupplyInput | null;
};

const PLAN_ORDER = [
  'quitDate',
  'interventionType',
  'setting',
  'aid',
  'aidSuppliedOn',
  'aidSupply',
  'aidDays',
] as const;

export type PlanContext = EpisodeDates & {
  /** The pre-quit assessment's date: the quit date is the session after it. */
  assessedOn: IsoDate;
  maxDaysAhead?: number;
};

export function parsePlan(body: Body, ctx: PlanContext): Parsed<PlanInput> {
  const errors = new Errors(dateAnchors('quitDate', 'aidSuppliedOn'));
  const raw = dateField(body, 'quitDate');
  let quitDate: IsoDate | null = null;
  if (raw === '') errors.add('quitDate', 'Enter the quit date');
  else {
    const problems = validateQuitDate({
      quitDate: raw,
      referralDate: ctx.referralDate,
      today: ctx.today,
      ...(ctx.maxDaysAhead !== undefined ? { maxDaysAhead: ctx.maxDaysAhead } : {}),
    });
    if (problems.length) errors.add('quitDate', problems[0]!);
    else if (daysBetween(ctx.assessedOn, raw) < 0) {
      errors.add(
        'quitDate',
        `The quit date cannot be before the pre-quit assessment (${formatDate(ctx.assessedOn, ctx.today)})`,
      );
    } else quitDate = raw;
  }
  const interventionType = field(body, 'interventionType');
  if (!(INTERVENTION_SESSION_TYPE_CODES as readonly string[]).includes(interventionType)) {
    errors.add('interventionType', 'Select the type of support');
  }
  const setting = field(body, 'setting');
  if (!Object.hasOwn(DEFAULT_SETTINGS, setting)) errors.add('setting', 'Select where the support is given');
  const aid = parseAidSupply(errors, body, { ...ctx, suppliedOnField: 'aidSuppliedOn' });
  const result = errors.result(PLAN_ORDER);
  if (result || !quitDate || aid === undefined) return invalid(result);
  return {
    ok: true,
    data: {
      quitDate,
      interventionType: interventionType as InterventionSessionType,
      setting: setting as Setting,
      aid,
    },
  };
}
