// The data-quality checks of a return (validation.ts runs them with the others): the people it counts whose
// details are missing or not recognised, one issue per item with the episodes to open and fix, and quit
// dates before the referral. Only a generated return has episodes behind it to check. Pure.

import { AIDS } from '../episodes/programme.ts';
import { isIsoDate } from '../../platform/dates.ts';
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
  type CodeList,
} from '../referrals/demographics.ts';
import { INTERVENTION_TYPES, SETTINGS, type BreakdownKey } from './return-breakdowns.ts';
import type { QuarterlyReturn } from './return-definition.ts';
import { countsInSetQuitDate, type EpisodeFact, type ReturnScope } from './return-measures.ts';
import { issue, people, type ValidationIssue } from './validation-issues.ts';

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
