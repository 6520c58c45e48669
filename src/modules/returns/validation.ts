// The checks a return must pass before sign-off (issue 5). Pure. Each issue is in plain English, carries a
// stable code and says where to look; errors block sign-off, warnings do not. The same checks run on a
// return imported from a file (there are no episodes behind it, so the missing-data checks are skipped).

import { AIDS } from '../episodes/programme.ts';
import { formatDate, isIsoDate } from '../../platform/dates.ts';
import {
  CONDITION,
  ETHNIC_CATEGORIES,
  FREE_PRESCRIPTIONS,
  GENDER_SAME_AS_BIRTH,
  IN_TALKING_THERAPIES,
  NS_SEC,
  PREGNANT,
  SEX,
  SEXUAL_ORIENTATION,
  ageOn,
  isCode,
  isRecognisedReferralSource,
  labelFor,
  type CodeList,
} from '../referrals/demographics.ts';
import { outcomesCompleteAfter } from './outcome-completeness.ts';
import {
  countsInSetQuitDate,
  outcomeAsOf,
  type CategoryCounts,
  type EpisodeFact,
  type Measure,
  type ReturnScope,
} from './return-measures.ts';
import {
  BREAKDOWN_KEYS,
  BREAKDOWNS,
  INTERVENTION_TYPES,
  SETTINGS,
  measuresOf,
  type BreakdownKey,
} from './return-breakdowns.ts';
import type { QuarterlyReturn } from './return-definition.ts';
import { categoriesInOrder } from './return-figures.ts';

export type Severity = 'error' | 'warning';

export const ISSUE_CODES = {
  co_verified_above_quits: 'error',
  breakdown_does_not_add_up: 'error',
  outcomes_do_not_add_up: 'error',
  setting_exception_reason_missing: 'error',
  setting_exception_reason_not_needed: 'warning',
  missing_data: 'warning',
  unrecognised_code: 'warning',
  quit_date_before_referral: 'warning',
  outcomes_pending: 'warning',
} as const satisfies Record<string, Severity>;
export type IssueCode = keyof typeof ISSUE_CODES;

export type IssueLocation = {
  /** 'total' for the return's totals. */
  breakdown?: BreakdownKey | 'total';
  category?: string;
  measure?: Measure;
  /** The episode item to correct (for missing or unrecognised data). */
  item?: keyof EpisodeFact;
};

export type ValidationIssue = {
  code: IssueCode;
  severity: Severity;
  message: string;
  where: IssueLocation;
  /** How many people the issue is about, for the data-quality issues. */
  count?: number;
  /** The episodes to open and fix, for the data-quality issues. */
  episodeIds?: string[];
};

/**
 * Quit rates at or below `low` or at or above `high` (percent) need a written reason (docs/domain.md,
 * Quarterly return).
 */
export const EXCEPTION_QUIT_RATE_BAND = { low: 35, high: 70 } as const;

export type ValidateReturnInput = {
  ret: QuarterlyReturn;
  /** The facts it was computed from (any superset: they are filtered by the return's own rule). */
  episodes?: readonly EpisodeFact[];
  /** Written exception reasons given so far, by setting code. Blank reasons count as missing. */
  exceptionReasons?: Readonly<Record<string, string | null | undefined>>;
  quitRateBand?: { low: number; high: number };
};

const issue = (
  code: IssueCode,
  message: string,
  where: IssueLocation,
  extra: Partial<ValidationIssue> = {},
) => ({ code, severity: ISSUE_CODES[code], message, where, ...extra }) satisfies ValidationIssue;

const people = (n: number) => `${n.toLocaleString('en-GB')} ${n === 1 ? 'person' : 'people'}`;

/** How each count reads in a sentence: "120 people who set a quit date". */
const MEASURE_PHRASE: Record<Measure, (n: number) => string> = {
  referralsReceived: (n) => `${n.toLocaleString('en-GB')} ${n === 1 ? 'referral' : 'referrals'} received`,
  setQuitDate: (n) => `${people(n)} who set a quit date`,
  quitSelfReported: (n) => `${n.toLocaleString('en-GB')} self-reported ${n === 1 ? 'quit' : 'quits'}`,
  quitCoVerified: (n) => `${n.toLocaleString('en-GB')} CO-verified ${n === 1 ? 'quit' : 'quits'}`,
  notQuit: (n) => `${people(n)} not quit`,
  lostToFollowUp: (n) => `${people(n)} lost to follow-up`,
  pending: (n) => `${people(n)} waiting for follow-up`,
};

type Cell = { where: IssueLocation; name: string; counts: Omit<CategoryCounts, 'referralsReceived'> };

/** The totals and every breakdown category, with a name to put in a sentence. */
function cellsOf(ret: QuarterlyReturn): Cell[] {
  const cells: Cell[] = [{ where: { breakdown: 'total' }, name: 'The total', counts: ret.totals }];
  for (const key of BREAKDOWN_KEYS) {
    const def = BREAKDOWNS[key];
    for (const [category, counts] of categoriesInOrder(key, ret.breakdowns[key])) {
      cells.push({
        where: { breakdown: key, category },
        name: `${def.label}, ${labelFor(def.categories, category)}`,
        counts,
      });
    }
  }
  return cells;
}

/** CO-verified quits are a subset of self-reported quits: never more, in the total or any category. */
export function checkCoVerified(ret: QuarterlyReturn): ValidationIssue[] {
  return cellsOf(ret)
    .filter((c) => c.counts.quitCoVerified > c.counts.quitSelfReported)
    .map((c) =>
      issue(
        'co_verified_above_quits',
        `${c.name}: ${MEASURE_PHRASE.quitCoVerified(c.counts.quitCoVerified)} but only ${MEASURE_PHRASE.quitSelfReported(c.counts.quitSelfReported)}. ` +
          'Every CO-verified quit is also a self-reported quit, so there cannot be more of them.',
        { ...c.where, measure: 'quitCoVerified' },
      ),
    );
}

/** Everyone who set a quit date has exactly one outcome: quit, not quit, lost to follow-up or still pending. */
export function checkOutcomesAddUp(ret: QuarterlyReturn): ValidationIssue[] {
  return cellsOf(ret)
    .filter((c) => {
      const k = c.counts;
      return k.quitSelfReported + k.notQuit + k.lostToFollowUp + k.pending !== k.setQuitDate;
    })
    .map((c) => {
      const k = c.counts;
      const sum = k.quitSelfReported + k.notQuit + k.lostToFollowUp + k.pending;
      return issue(
        'outcomes_do_not_add_up',
        `${c.name}: ${MEASURE_PHRASE.setQuitDate(k.setQuitDate)}, but quit (${k.quitSelfReported}), not quit (${k.notQuit}), ` +
          `lost to follow-up (${k.lostToFollowUp}) and waiting for follow-up (${k.pending}) add up to ${sum}. ` +
          'Everyone who set a quit date must be in exactly one of these.',
        { ...c.where, measure: 'setQuitDate' },
      );
    });
}

/** Each breakdown's categories add up to the total, for every count it carries. */
export function checkBreakdownSums(ret: QuarterlyReturn): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const key of BREAKDOWN_KEYS) {
    const categories = Object.values(ret.breakdowns[key] ?? {});
    for (const measure of measuresOf(key)) {
      const sum = categories.reduce((s, c) => s + (c[measure] ?? 0), 0);
      const total = ret.totals[measure];
      if (sum !== total) {
        out.push(
          issue(
            'breakdown_does_not_add_up',
            `${BREAKDOWNS[key].label}: the categories add up to ${MEASURE_PHRASE[measure](sum)}, but the total is ${total.toLocaleString('en-GB')}.`,
            { breakdown: key, measure },
          ),
        );
      }
    }
  }
  return out;
}

const percent = (quits: number, set: number) => `${Math.round((quits * 100) / set)}%`;

/**
 * A setting whose quit rate (self-reported quits / set a quit date) is at or below 35% or at or above 70%
 * needs the written exception reason the national data set asks for. Reports the reasons still missing,
 * and reasons given for settings that no longer need one. Whole-number arithmetic, so exactly 35% counts.
 */
export function checkSettingExceptions(
  ret: QuarterlyReturn,
  reasons: Readonly<Record<string, string | null | undefined>> = {},
  band: { low: number; high: number } = EXCEPTION_QUIT_RATE_BAND,
): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const needed = new Set<string>();
  for (const [category, c] of categoriesInOrder('setting', ret.breakdowns.setting)) {
    if (c.setQuitDate === 0) continue;
    const low = c.quitSelfReported * 100 <= band.low * c.setQuitDate;
    const high = c.quitSelfReported * 100 >= band.high * c.setQuitDate;
    if (!low && !high) continue;
    needed.add(category);
    if ((reasons[category] ?? '').trim() !== '') continue;
    const pendingNote =
      c.pending > 0
        ? ` ${MEASURE_PHRASE.pending(c.pending)} here, so the rate may change when their outcomes are known.`
        : '';
    out.push(
      issue(
        'setting_exception_reason_missing',
        `${labelFor(SETTINGS, category)}: ${c.quitSelfReported} of ${MEASURE_PHRASE.setQuitDate(c.setQuitDate)} quit ` +
          `(${percent(c.quitSelfReported, c.setQuitDate)}), ${low ? `at or below ${band.low}%` : `at or above ${band.high}%`}. ` +
          `The national data set needs a written reason for a setting's quit rate at or below ${band.low}% or at or above ${band.high}%.` +
          pendingNote,
        { breakdown: 'setting', category, measure: 'quitSelfReported' },
      ),
    );
  }
  for (const [category, reason] of Object.entries(reasons)) {
    if (needed.has(category) || (reason ?? '').trim() === '') continue;
    out.push(
      issue(
        'setting_exception_reason_not_needed',
        `${labelFor(SETTINGS, category)}: an exception reason is recorded, but this setting's quit rate is now between ` +
          `${band.low}% and ${band.high}%, so it is not needed and will not be submitted.`,
        { breakdown: 'setting', category },
      ),
    );
  }
  return out;
}

type ItemCheck = {
  item: keyof EpisodeFact;
  breakdown: BreakdownKey;
  /** "no ethnic category recorded" */
  missing: string;
  /** "an ethnic category" */
  noun: string;
  /** 'missing', 'unrecognised' (with the offending values) or null when the item is fine. */
  state: (e: EpisodeFact) => { kind: 'missing' } | { kind: 'unrecognised'; values: string[] } | null;
};

const blank = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

/** A coded item: missing when blank or one of the list's not-known codes; unrecognised when not on the list. */
const coded =
  (
    list: CodeList<string>,
    notKnown: readonly string[],
    read: (e: EpisodeFact) => string | null | undefined,
  ) =>
  (e: EpisodeFact) => {
    const v = read(e);
    if (blank(v) || notKnown.includes(v!)) return { kind: 'missing' as const };
    return isCode(list, v) ? null : { kind: 'unrecognised' as const, values: [String(v)] };
  };

const KNOWN_AIDS: readonly string[] = Object.keys(AIDS);

/**
 * The items the national data set breaks counts by, and when each is missing. "Not stated" (the person was
 * asked and did not want to say) is an answer, not missing data; "not known" means nobody recorded it.
 */
const ITEM_CHECKS: readonly ItemCheck[] = [
  {
    item: 'dateOfBirth',
    breakdown: 'age_band',
    missing: 'no date of birth recorded',
    noun: 'a date of birth that is not a real date or is after their quit date',
    state: (e) => {
      if (blank(e.dateOfBirth)) return { kind: 'missing' };
      return ageOn(e.dateOfBirth, e.quitDate) === null
        ? { kind: 'unrecognised', values: [String(e.dateOfBirth)] }
        : null;
    },
  },
  {
    item: 'sex',
    breakdown: 'sex',
    missing: 'no sex recorded',
    noun: 'a sex',
    state: coded(SEX, ['not_known'], (e) => e.sex),
  },
  {
    item: 'genderSameAsBirth',
    breakdown: 'gender_identity',
    missing: 'nothing recorded for whether their gender is the same as at birth',
    noun: 'an answer for whether their gender is the same as at birth',
    state: coded(GENDER_SAME_AS_BIRTH, ['not_known'], (e) => e.genderSameAsBirth),
  },
  {
    item: 'ethnicCategory',
    breakdown: 'ethnic_group',
    missing: 'no ethnic category recorded',
    noun: 'an ethnic category',
    state: coded(ETHNIC_CATEGORIES, ['99'], (e) => e.ethnicCategory),
  },
  {
    item: 'pregnant',
    breakdown: 'pregnant',
    missing: 'nothing recorded for pregnancy',
    noun: 'a pregnancy answer',
    state: coded(PREGNANT, ['not_known'], (e) => e.pregnant),
  },
  {
    item: 'freePrescriptions',
    breakdown: 'free_prescriptions',
    missing: 'nothing recorded for free prescriptions',
    noun: 'a free prescriptions answer',
    state: coded(FREE_PRESCRIPTIONS, ['not_known'], (e) => e.freePrescriptions),
  },
  {
    item: 'nsSec',
    breakdown: 'ns_sec',
    missing: 'no socio-economic class (NS-SEC) recorded',
    noun: 'a socio-economic class (NS-SEC)',
    state: coded(NS_SEC, ['not_known'], (e) => e.nsSec),
  },
  {
    item: 'sexualOrientation',
    breakdown: 'sexual_orientation',
    missing: 'no sexual orientation recorded',
    noun: 'a sexual orientation',
    state: coded(SEXUAL_ORIENTATION, ['not_known'], (e) => e.sexualOrientation),
  },
  {
    item: 'interventionType',
    breakdown: 'intervention_type',
    missing: 'no intervention type recorded',
    noun: 'an intervention type',
    state: coded(INTERVENTION_TYPES, ['not_known'], (e) => e.interventionType),
  },
  {
    item: 'setting',
    breakdown: 'setting',
    missing: 'no setting recorded',
    noun: 'a setting',
    state: coded(SETTINGS, ['not_known'], (e) => e.setting),
  },
  {
    item: 'aids',
    breakdown: 'aid',
    missing: 'no stop smoking aid recorded (not even "no medicine or vape")',
    noun: 'a stop smoking aid',
    state: (e) => {
      if (e.aids.length === 0) return { kind: 'missing' };
      const unknown = e.aids.filter((a) => !KNOWN_AIDS.includes(a));
      return unknown.length > 0 ? { kind: 'unrecognised', values: unknown } : null;
    },
  },
  {
    item: 'mentalHealth',
    breakdown: 'condition',
    missing: 'nothing recorded about depression or anxiety',
    noun: 'a mental health condition',
    state: coded(CONDITION, ['not_known'], (e) => e.mentalHealth),
  },
  {
    item: 'inTalkingTherapies',
    breakdown: 'in_talking_therapies',
    missing: 'nothing recorded for whether they are in NHS Talking Therapies',
    noun: 'an NHS Talking Therapies answer',
    state: coded(IN_TALKING_THERAPIES, ['not_known'], (e) => e.inTalkingTherapies),
  },
  {
    item: 'referralSource',
    breakdown: 'referral_source',
    missing: 'no referral source recorded',
    noun: 'a referral source',
    state: (e) => {
      if (blank(e.referralSource) || e.referralSource === 'not_known') return { kind: 'missing' };
      return isRecognisedReferralSource(e.referralSource)
        ? null
        : { kind: 'unrecognised', values: [String(e.referralSource)] };
    },
  },
];

function scopeOf(ret: QuarterlyReturn): ReturnScope | null {
  if (ret.asOf === null) return null;
  return {
    localAuthorityCode: ret.localAuthorityCode,
    financialYear: ret.period.financialYear,
    quarter: ret.period.quarter,
    asOf: ret.asOf,
  };
}

/** The episodes the return counts (people who set a quit date in it), from any superset of facts. */
export function episodesInReturn(ret: QuarterlyReturn, episodes: readonly EpisodeFact[]): EpisodeFact[] {
  const scope = scopeOf(ret);
  return scope ? episodes.filter((e) => countsInSetQuitDate(e, scope)) : [];
}

const MAX_VALUES_SHOWN = 5;

/**
 * Missing and unrecognised data, one issue per item with the number of people and their episode ids, so
 * the page can link to each episode to fix. Only the people the return counts are checked.
 */
export function checkMissingData(ret: QuarterlyReturn, episodes: readonly EpisodeFact[]): ValidationIssue[] {
  const counted = episodesInReturn(ret, episodes);
  const out: ValidationIssue[] = [];
  for (const check of ITEM_CHECKS) {
    const missing: string[] = [];
    const unrecognised: string[] = [];
    const values = new Set<string>();
    for (const e of counted) {
      const state = check.state(e);
      if (state?.kind === 'missing') missing.push(e.episodeId);
      else if (state?.kind === 'unrecognised') {
        unrecognised.push(e.episodeId);
        for (const v of state.values) values.add(v);
      }
    }
    const where = { breakdown: check.breakdown, item: check.item };
    if (missing.length > 0) {
      const n = missing.length;
      out.push(
        issue(
          'missing_data',
          `${people(n)} who set a quit date ${n === 1 ? 'has' : 'have'} ${check.missing}.`,
          where,
          {
            count: n,
            episodeIds: missing,
          },
        ),
      );
    }
    if (unrecognised.length > 0) {
      const n = unrecognised.length;
      const shown = [...values].slice(0, MAX_VALUES_SHOWN).map((v) => JSON.stringify(v));
      const more = values.size > MAX_VALUES_SHOWN ? ` and ${values.size - MAX_VALUES_SHOWN} more` : '';
      out.push(
        issue(
          'unrecognised_code',
          `${people(n)} who set a quit date ${n === 1 ? 'has' : 'have'} ${check.noun} that Mortar does not recognise ` +
            `(${shown.join(', ')}${more}), so ${n === 1 ? 'it is' : 'they are'} counted as not known.`,
          where,
          { count: n, episodeIds: unrecognised },
        ),
      );
    }
  }
  const early = counted.filter(
    (e) => isIsoDate(e.referralReceivedOn) && isIsoDate(e.quitDate) && e.quitDate < e.referralReceivedOn,
  );
  if (early.length > 0) {
    const n = early.length;
    out.push(
      issue(
        'quit_date_before_referral',
        `${people(n)} who set a quit date ${n === 1 ? 'has a quit date' : 'have quit dates'} before the service received the referral. Check the dates.`,
        { item: 'quitDate' },
        { count: n, episodeIds: early.map((e) => e.episodeId) },
      ),
    );
  }
  return out;
}

/** People still waiting for their four-week follow-up: the return is not complete until after day 42. */
export function checkPending(ret: QuarterlyReturn, episodes: readonly EpisodeFact[] = []): ValidationIssue[] {
  const n = ret.totals.pending;
  if (n === 0) return [];
  const complete = formatDate(outcomesCompleteAfter(ret.period.financialYear, ret.period.quarter));
  const asOf = ret.asOf;
  const ids =
    asOf === null ? [] : episodesInReturn(ret, episodes).filter((e) => outcomeAsOf(e, asOf) === 'pending');
  const kind = ret.provisional ? 'This provisional return' : 'This is the final (Q4) return, and it';
  return [
    issue(
      'outcomes_pending',
      `${people(n)} who set a quit date ${n === 1 ? 'is' : 'are'} still waiting for the four-week follow-up. ${kind} ` +
        `will have every outcome if it is generated again after ${complete}.`,
      { breakdown: 'total', measure: 'pending' },
      ids.length > 0 ? { count: n, episodeIds: ids.map((e) => e.episodeId) } : { count: n },
    ),
  ];
}

/** Every check, errors first (each group in the order above). */
export function validateReturn(input: ValidateReturnInput): ValidationIssue[] {
  const { ret, episodes = [], exceptionReasons = {}, quitRateBand } = input;
  const issues = [
    ...checkCoVerified(ret),
    ...checkOutcomesAddUp(ret),
    ...checkBreakdownSums(ret),
    ...checkSettingExceptions(ret, exceptionReasons, quitRateBand),
    ...checkMissingData(ret, episodes),
    ...checkPending(ret, episodes),
  ];
  return [...issues.filter((i) => i.severity === 'error'), ...issues.filter((i) => i.severity === 'warning')];
}

/** A return can be signed off when no issue is an error. */
export function canSignOff(issues: readonly ValidationIssue[]): boolean {
  return issues.every((i) => i.severity !== 'error');
}
