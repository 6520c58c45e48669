// Reading the outcome forms: the national four-week outcome (its dates judged by validateOutcomeEntry) and
// the local 12- and 52-week follow-ups.
import { addDays, daysBetween, formatDate, isIsoDate, type IsoDate } from '../../platform/dates.ts';
import { validateOutcomeEntry } from '../episodes/four-week-outcome.ts';
import { SESSION_MODES, type SessionMode } from '../episodes/programme.ts';
import {
  co,
  dateAnchors,
  dateField,
  Errors,
  field,
  invalid,
  yesNo,
  type Body,
  type Parsed,
} from './treatment.schemas.ts';

/** Local follow-ups (no national definition): a contact this many days before the week counts (local choice). */
export const LOCAL_FOLLOW_UP_EARLY_DAYS = 14;

export type OutcomeInput = {
  followUpOn: IsoDate;
  smokedDays15to28: boolean;
  coPpm: number | null;
  mode: SessionMode | null;
};

export function parseOutcome(body: Body, ctx: { quitDate: IsoDate; today: IsoDate }): Parsed<OutcomeInput> {
  const errors = new Errors({
    ...dateAnchors('followUpOn'),
    smokedDays15to28: 'smokedDays15to28',
    mode: 'mode',
  });
  const raw = dateField(body, 'followUpOn');
  let followUpOn: IsoDate | null = null;
  if (raw === '') errors.add('followUpOn', 'Enter the date you followed them up');
  else {
    const problems = validateOutcomeEntry(ctx.quitDate, raw, ctx.today);
    if (problems.length) errors.add('followUpOn', problems[0]!);
    else followUpOn = raw;
  }
  const mode = field(body, 'mode');
  if (mode && !Object.hasOwn(SESSION_MODES, mode)) errors.add('mode', 'Select how you reached them');
  const smoked = yesNo(
    errors,
    body,
    'smokedDays15to28',
    'Select whether they have smoked at all, even a single puff, since day 15',
  );
  const coPpm = co(errors, body);
  const result = errors.result(['followUpOn', 'mode', 'smokedDays15to28', 'coPpm']);
  if (result || !followUpOn || smoked === null) return invalid(result);
  return {
    ok: true,
    data: { followUpOn, smokedDays15to28: smoked, coPpm, mode: (mode || null) as SessionMode | null },
  };
}

export type LocalOutcomeInput = {
  weeks: 12 | 52;
  contactOn: IsoDate;
  abstinent: boolean;
  coPpm: number | null;
};

export function parseLocalOutcome(
  body: Body,
  ctx: { quitDate: IsoDate; today: IsoDate },
): Parsed<LocalOutcomeInput> {
  const errors = new Errors({
    ...dateAnchors('contactOn'),
    weeks: 'weeks',
    abstinent: 'abstinent',
    coPpm: 'local-coPpm',
  });
  const w = field(body, 'weeks');
  const weeks = w === '12' ? 12 : w === '52' ? 52 : null;
  if (!weeks) errors.add('weeks', 'Select the 12-week or the 52-week follow-up');
  const raw = dateField(body, 'contactOn');
  let contactOn: IsoDate | null = null;
  const earliest = weeks ? addDays(ctx.quitDate, weeks * 7 - LOCAL_FOLLOW_UP_EARLY_DAYS) : null;
  if (raw === '') errors.add('contactOn', 'Enter the date you followed them up');
  else if (!isIsoDate(raw)) errors.add('contactOn', 'The follow-up date must be a real date');
  else if (daysBetween(ctx.today, raw) > 0)
    errors.add('contactOn', 'The follow-up date cannot be in the future');
  else if (earliest && daysBetween(earliest, raw) < 0) {
    errors.add(
      'contactOn',
      `The ${weeks}-week follow-up is too early: it counts from ${formatDate(earliest, ctx.today)}, two weeks before week ${weeks}`,
    );
  } else contactOn = raw;
  const abstinent = yesNo(errors, body, 'abstinent', 'Select whether they are still not smoking');
  const coPpm = co(errors, body);
  const result = errors.result(['weeks', 'contactOn', 'abstinent', 'coPpm']);
  if (result || !weeks || !contactOn || abstinent === null) return invalid(result);
  return { ok: true, data: { weeks, contactOn, abstinent, coPpm } };
}
