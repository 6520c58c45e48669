// What a return counted: every episode and referral behind its figures, kept with the version, so each
// figure a manager signs off leads to exactly the records it counts (docs/clinical-safety.md, "figures
// that cannot be traced"). Pure. The snapshot is worked out by the return's own rules (episodeMeasures,
// outcomeAsOf, each breakdown's categoryOf), kept with the categories and outcome each record was counted
// under, and checked against the return's figures before a version is stored (checkCounted): a figure
// whose list would differ from it is never stored.
import { type FourWeekOutcome } from '../episodes/four-week-outcome.ts';
import {
  EPISODE_MEASURE_RULES,
  countsInReferralsReceived,
  episodeMeasures,
  outcomeAsOf,
  type Measure,
} from './return-measures.ts';
import { BREAKDOWN_KEYS, BREAKDOWNS, type BreakdownKey } from './return-breakdowns.ts';
import { emptyReturn, type ComputeReturnInput, type QuarterlyReturn } from './return-definition.ts';
import { diffReturns, type FigureChange } from './return-figures.ts';

export type CountedEpisode = {
  id: string;
  serviceOrganisationId: string;
  /** The four-week outcome as known on the day the return was made. */
  outcome: FourWeekOutcome;
  /** The category of each breakdown it was counted in. */
  categories: Partial<Record<BreakdownKey, string>>;
};

export type CountedReferral = {
  id: string;
  serviceOrganisationId: string;
  /** Its referral source category. */
  source: string;
};

export type Counted = { episodes: CountedEpisode[]; referrals: CountedReferral[] };

/** One figure of a return, as figuresOf names it. */
export type FigureRef = { breakdown: BreakdownKey | 'total'; category: string; measure: Measure };

/** Everything the return of `input` counts, by the return's own rules. */
export function countedOf(input: ComputeReturnInput): Counted {
  const scope = {
    localAuthorityCode: input.localAuthorityCode,
    financialYear: input.financialYear,
    quarter: input.quarter,
    asOf: input.asOf,
  };
  const episodes: CountedEpisode[] = [];
  for (const e of input.episodes) {
    if (episodeMeasures(e, scope).length === 0) continue;
    const categories: Partial<Record<BreakdownKey, string>> = {};
    for (const key of BREAKDOWN_KEYS) categories[key] = BREAKDOWNS[key].categoryOf(e);
    episodes.push({
      id: e.episodeId,
      serviceOrganisationId: e.serviceOrganisationId,
      outcome: outcomeAsOf(e, input.asOf),
      categories,
    });
  }
  const referrals: CountedReferral[] = [];
  for (const r of input.referrals) {
    if (!countsInReferralsReceived(r, scope)) continue;
    if (!r.referralId || !r.serviceOrganisationId)
      throw new Error('A referral counted in a return must say which referral and which service it is');
    referrals.push({
      id: r.referralId,
      serviceOrganisationId: r.serviceOrganisationId,
      source: BREAKDOWNS.referral_source.referralCategoryOf!(r),
    });
  }
  return { episodes, referrals };
}

/** The episodes a figure counts (none for "referrals received"). */
export function episodesIn(ref: FigureRef, counted: Counted): CountedEpisode[] {
  if (ref.measure === 'referralsReceived') return [];
  const rule = EPISODE_MEASURE_RULES[ref.measure];
  return counted.episodes.filter(
    (e) => rule(e.outcome) && (ref.breakdown === 'total' || e.categories[ref.breakdown] === ref.category),
  );
}

/** The referrals a figure counts: only "referrals received", in total or by referral source. */
export function referralsIn(ref: FigureRef, counted: Counted): CountedReferral[] {
  if (ref.measure !== 'referralsReceived') return [];
  if (ref.breakdown === 'total') return counted.referrals;
  if (!BREAKDOWNS[ref.breakdown].referralCategoryOf) return [];
  return counted.referrals.filter((r) => r.source === ref.category);
}

/** The return these records add up to, cell by cell, with the same categories as `like`. */
function returnOfCounted(counted: Counted, like: QuarterlyReturn): QuarterlyReturn {
  const ret = emptyReturn(like.localAuthorityCode, like.period.financialYear, like.period.quarter, like.asOf);
  for (const key of BREAKDOWN_KEYS) {
    for (const c of Object.keys(like.breakdowns[key] ?? {})) {
      const template = Object.values(ret.breakdowns[key])[0]!;
      ret.breakdowns[key][c] ??= { ...template };
    }
  }
  for (const r of counted.referrals) {
    ret.totals.referralsReceived++;
    const cell = ret.breakdowns.referral_source[r.source];
    if (cell) cell.referralsReceived = (cell.referralsReceived ?? 0) + 1;
  }
  for (const e of counted.episodes) {
    for (const m of Object.keys(EPISODE_MEASURE_RULES) as (keyof typeof EPISODE_MEASURE_RULES)[]) {
      if (!EPISODE_MEASURE_RULES[m](e.outcome)) continue;
      ret.totals[m]++;
      for (const key of BREAKDOWN_KEYS) {
        const cell = ret.breakdowns[key][e.categories[key] ?? ''];
        if (cell) cell[m]++;
      }
    }
  }
  return ret;
}

/** Every figure of `ret` that the records would not list exactly (empty when every figure traces). */
export function checkCounted(ret: QuarterlyReturn, counted: Counted): FigureChange[] {
  return diffReturns(ret, returnOfCounted(counted, ret));
}

// --- Stored form -------------------------------------------------------------------------------------
//
// Kept compactly with the version: the breakdown keys once, then one row per record, so a return of a
// thousand episodes stays a few hundred kilobytes and an old version still reads if keys are added.

type StoredCounted = {
  keys: string[];
  episodes: [string, string, FourWeekOutcome, ...string[]][];
  referrals: [string, string, string][];
};

export function storeCounted(counted: Counted): StoredCounted {
  return {
    keys: [...BREAKDOWN_KEYS],
    episodes: counted.episodes.map((e) => [
      e.id,
      e.serviceOrganisationId,
      e.outcome,
      ...BREAKDOWN_KEYS.map((k) => e.categories[k] ?? ''),
    ]),
    referrals: counted.referrals.map((r) => [r.id, r.serviceOrganisationId, r.source]),
  };
}

/** The records of a stored version, or null when it kept none (loaded from a file, or made before 0018). */
export function readCounted(stored: unknown): Counted | null {
  if (!stored || typeof stored !== 'object') return null;
  const s = stored as StoredCounted;
  if (!Array.isArray(s.keys) || !Array.isArray(s.episodes) || !Array.isArray(s.referrals)) return null;
  return {
    episodes: s.episodes.map(([id, service, outcome, ...cats]) => ({
      id,
      serviceOrganisationId: service,
      outcome,
      categories: Object.fromEntries(
        s.keys.map((k, i) => [k, cats[i] ?? '']),
      ) as CountedEpisode['categories'],
    })),
    referrals: s.referrals.map(([id, service, source]) => ({ id, serviceOrganisationId: service, source })),
  };
}
