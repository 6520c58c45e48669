// Reading the session forms: what happened at a session (and, at the four-week follow-up, the day 15 to
// 28 question that records the outcome), and the date of an extra session.
import { z } from 'zod';
import { addDays, daysBetween, formatDate, isIsoDate, type IsoDate } from '../../platform/dates.ts';
import { validateOutcomeEntry } from '../episodes/four-week-outcome.ts';
import { SESSION_MODES, type SessionMode } from '../episodes/programme.ts';
import { parseAidSupply, type AidSupplyInput } from './aid-supply.schemas.ts';
import {
  checkPastDate,
  co,
  dateAnchors,
  dateField,
  earliestOf,
  Errors,
  field,
  invalid,
  text,
  yesNo,
  type Body,
  type EpisodeDates,
  type Parsed,
} from './treatment.schemas.ts';

/** How far ahead an extra session may be booked. */
export const MAX_DAYS_TO_EXTRA_SESSION = 365;

export type SessionInput = {
  attended: boolean;
  heldOn: IsoDate | null;
  mode: SessionMode | null;
  coPpm: number | null;
  smokedSinceLast: boolean | null;
  cravings: number | null;
  withdrawal: string | null;
  notes: string | null;
  /** Only on the four-week follow-up session: answered, it records the four-week outcome. */
  smokedDays15to28: boolean | null;
  aid: AidSupplyInput | null;
};

const SESSION_ORDER = [
  'attended',
  'heldOn',
  'mode',
  'coPpm',
  'smokedSinceLast',
  'smokedDays15to28',
  'cravings',
  'withdrawal',
  'notes',
  'aid',
  'aidSupply',
  'aidDays',
] as const;

export type SessionContext = EpisodeDates & {
  quitDate: IsoDate | null;
  /** The four-week follow-up, with no outcome recorded yet: the day 15 to 28 question is asked. */
  asksFourWeekOutcome: boolean;
};

const SessionText = z.object({ withdrawal: text('Withdrawal symptoms'), notes: text('Notes') });

/** A session that did not take place: only a note is kept. */
const NOT_HELD: Omit<SessionInput, 'notes'> = {
  attended: false,
  heldOn: null,
  mode: null,
  coPpm: null,
  smokedSinceLast: null,
  cravings: null,
  withdrawal: null,
  smokedDays15to28: null,
  aid: null,
};

export function parseSession(body: Body, ctx: SessionContext): Parsed<SessionInput> {
  const errors = new Errors({
    ...dateAnchors('heldOn'),
    attended: 'attended',
    mode: 'mode',
    smokedSinceLast: 'smokedSinceLast',
    smokedDays15to28: 'smokedDays15to28',
    cravings: 'cravings',
  });
  const attended = yesNo(errors, body, 'attended', 'Select whether the session took place');
  const texts = SessionText.safeParse({ withdrawal: field(body, 'withdrawal'), notes: field(body, 'notes') });
  if (!texts.success) errors.zod(texts.error);
  if (attended !== true) {
    const result = errors.result(SESSION_ORDER);
    if (result || attended === null || !texts.success) return invalid(result);
    return { ok: true, data: { ...NOT_HELD, notes: texts.data.notes } };
  }
  const heldOn = checkPastDate(errors, 'heldOn', dateField(body, 'heldOn'), {
    label: 'the date of the session',
    today: ctx.today,
    earliest: earliestOf(ctx),
  });
  const mode = field(body, 'mode');
  if (!Object.hasOwn(SESSION_MODES, mode)) errors.add('mode', 'Select how the session was held');
  const coPpm = co(errors, body);
  const afterQuitDate = !!(heldOn && ctx.quitDate && daysBetween(ctx.quitDate, heldOn) > 0);
  const smokedSinceLast = yesNo(
    errors,
    body,
    'smokedSinceLast',
    afterQuitDate ? 'Select whether they have smoked since the last session, even a puff' : null,
  );
  const smokedDays15to28 = fourWeekAnswer(errors, body, ctx, heldOn);
  const cravings = cravingsOf(errors, body);
  const aid = parseAidSupply(errors, body, { ...ctx, suppliedOn: heldOn });
  const result = errors.result(SESSION_ORDER);
  if (result || !heldOn || !texts.success || aid === undefined) return invalid(result);
  return {
    ok: true,
    data: {
      attended: true,
      heldOn,
      mode: mode as SessionMode,
      coPpm,
      smokedSinceLast,
      cravings,
      withdrawal: texts.data.withdrawal,
      notes: texts.data.notes,
      smokedDays15to28,
      aid,
    },
  };
}

/** The day 15 to 28 answer, asked only at a four-week follow-up with no outcome yet; null when unanswered. */
function fourWeekAnswer(errors: Errors, body: Body, ctx: SessionContext, heldOn: IsoDate | null) {
  if (!ctx.asksFourWeekOutcome || !ctx.quitDate) return null;
  const answer = yesNo(errors, body, 'smokedDays15to28', null);
  if (answer !== null && heldOn) {
    const problems = validateOutcomeEntry(ctx.quitDate, heldOn, ctx.today);
    if (problems.length)
      errors.add(
        'heldOn',
        `${problems[0]!}. Leave the four-week question unanswered to record the session without an outcome`,
      );
  }
  return answer;
}

function cravingsOf(errors: Errors, body: Body): number | null {
  const raw = field(body, 'cravings');
  if (raw === '') return null;
  if (/^[0-5]$/.test(raw)) return Number(raw);
  errors.add('cravings', 'Cravings must be from 0 (none) to 5 (all the time)');
  return null;
}

export function parseExtraSession(body: Body, dates: EpisodeDates): Parsed<{ scheduledOn: IsoDate }> {
  const errors = new Errors(dateAnchors('extraOn'));
  const raw = dateField(body, 'extraOn');
  const earliest = earliestOf(dates) ?? { date: dates.startedOn, what: 'the episode started' };
  if (raw === '') errors.add('extraOn', 'Enter the date of the extra session');
  else if (!isIsoDate(raw)) errors.add('extraOn', 'The date of the extra session must be a real date');
  else if (daysBetween(earliest.date, raw) < 0) {
    errors.add(
      'extraOn',
      `The extra session cannot be before ${earliest.what} (${formatDate(earliest.date, dates.today)})`,
    );
  } else if (daysBetween(dates.today, raw) > MAX_DAYS_TO_EXTRA_SESSION) {
    errors.add(
      'extraOn',
      `The extra session must be within a year from today (${formatDate(addDays(dates.today, MAX_DAYS_TO_EXTRA_SESSION), dates.today)} at the latest)`,
    );
  }
  const result = errors.result(['extraOn']);
  if (result) return { ok: false, errors: result };
  return { ok: true, data: { scheduledOn: raw } };
}
