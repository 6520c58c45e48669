// The facts the quarterly return counts, and its counts (measures), each by one rule: "set a quit date"
// and the outcomes for episodes, "referrals received" for referrals. Part of the return's definition:
// return-definition.ts states the rules in one place and puts a return together. Pure.

import { isIsoDate, type IsoDate } from '../../platform/dates.ts';
import {
  OUTCOMES,
  countsAsQuit,
  decideFourWeekOutcome,
  isCoVerified,
  type FourWeekOutcome,
} from '../episodes/four-week-outcome.ts';
import type { InTalkingTherapies, MentalHealth } from '../referrals/demographics.ts';
import { isQuarter, quarterRange, type Quarter } from '../../platform/quarters.ts';
import type { DeliveryRoute } from '../organisations/delivery-route.ts';
import { unitKeyOf } from './return-unit.ts';

// ---------------------------------------------------------------------------------------------- facts

/** One treatment episode, as the return needs it. Codes are as stored; unknown codes count as not known. */
export type EpisodeFact = {
  episodeId: string;
  /** The authority counting-authority.ts gives: the commissioner of the service that ran it. */
  localAuthorityCode: string | null;
  serviceOrganisationId: string;
  /**
   * The route of the service holding it (organisations/delivery-route.ts); absent is specialist. An
   * integrated episode counts in its service's integrated-delivery return, not the authority's
   * (return-unit.ts).
   */
  deliveryRoute?: DeliveryRoute;
  quitDate: IsoDate | null;
  /** When the referral that led to the episode (or, failing that, any referral) reached the service. */
  referralReceivedOn: IsoDate | null;
  /** The stored four-week outcome, or the one decideFourWeekOutcome gives; 'pending' when there is none. */
  outcome: FourWeekOutcome;
  dateOfBirth: IsoDate | null;
  sex: string | null;
  genderSameAsBirth: string | null;
  ethnicCategory: string | null;
  pregnant: string | null;
  freePrescriptions: string | null;
  nsSec: string | null;
  sexualOrientation: string | null;
  /** INTERVENTION SESSION TYPE (STOP SMOKING) code, '07' to '97'. */
  interventionType: string | null;
  /** A DEFAULT_SETTINGS key. */
  setting: string | null;
  /** Every aid supplied in the episode (AIDS keys); [] when none was recorded, ['none'] for "no aid". */
  aids: readonly string[];
  mentalHealth: MentalHealth;
  inTalkingTherapies: InTalkingTherapies;
  /** A REFERRAL_SOURCES code, or what referralSourceOf maps to one (an organisation type, 'self'). */
  referralSource: string | null;
};

/** One referral received by a service, for "referrals received". */
export type ReferralFact = {
  /** The referral (so a figure can list the referrals it counts); absent in facts made up for tests. */
  referralId?: string;
  /** The service that received it. */
  serviceOrganisationId?: string;
  /** The authority whose return it counts in: the commissioner of the service that received it (counting-authority.ts). */
  localAuthorityCode: string | null;
  receivedOn: IsoDate;
  /** A REFERRAL_SOURCES code, or what referralSourceOf maps to one. */
  source: string | null;
};

// ------------------------------------------------------------------------------------------- measures

export const MEASURES = [
  'referralsReceived',
  'setQuitDate',
  'quitSelfReported',
  'quitCoVerified',
  'notQuit',
  'lostToFollowUp',
  'pending',
] as const;
export type Measure = (typeof MEASURES)[number];
export const EPISODE_MEASURES = [
  'setQuitDate',
  'quitSelfReported',
  'quitCoVerified',
  'notQuit',
  'lostToFollowUp',
  'pending',
] as const satisfies readonly Measure[];
export type EpisodeMeasure = (typeof EPISODE_MEASURES)[number];

export const MEASURE_LABELS: Readonly<Record<Measure, string>> = {
  referralsReceived: 'Referrals received',
  setQuitDate: 'Set a quit date',
  quitSelfReported: 'Quit at four weeks (self-reported, including CO-verified)',
  quitCoVerified: 'Quit at four weeks, CO-verified',
  notQuit: 'Not quit at four weeks',
  lostToFollowUp: 'Lost to follow-up',
  pending: 'Waiting for the four-week follow-up',
};

export type Counts = Record<Measure, number>;
export type EpisodeCounts = Record<EpisodeMeasure, number>;
/** A breakdown category's counts: referralsReceived is null where the breakdown cannot split referrals. */
export type CategoryCounts = EpisodeCounts & { referralsReceived: number | null };

export type ReturnScope = {
  localAuthorityCode: string;
  financialYear: number;
  quarter: Quarter;
  /** The day the return is generated: outcomes are as known then, and nothing later counts. */
  asOf: IsoDate;
};

function assertScope(scope: ReturnScope): { start: IsoDate; end: IsoDate } {
  if (!isIsoDate(scope.asOf))
    throw new RangeError(`asOf must be a date in the form YYYY-MM-DD: ${scope.asOf}`);
  if (!isQuarter(scope.quarter)) throw new RangeError(`Quarter must be 1, 2, 3 or 4: ${scope.quarter}`);
  if (typeof scope.localAuthorityCode !== 'string' || scope.localAuthorityCode === '')
    throw new RangeError('A return is for one local authority: localAuthorityCode is missing');
  return quarterRange(scope.financialYear, scope.quarter);
}

/** The authority, quarter and day a return is for, checked once (computeReturn counts every fact in it). */
export type Window = { localAuthorityCode: string; start: IsoDate; end: IsoDate; asOf: IsoDate };

export const windowOf = (scope: ReturnScope): Window => ({
  ...assertScope(scope),
  localAuthorityCode: scope.localAuthorityCode,
  asOf: scope.asOf,
});

/** The authority's, dated in the quarter and not after asOf. ISO dates compare as text in date order. */
export const inWindow = (la: string | null, d: string | null, w: Window): boolean =>
  la === w.localAuthorityCode &&
  typeof d === 'string' &&
  d >= w.start &&
  d <= w.end &&
  d <= w.asOf &&
  isIsoDate(d);

/**
 * THE rule for "set a quit date": the episode is the authority's, its quit date is in the quarter and has
 * come by `asOf`. Every other episode count is a subset of these episodes.
 */
export function countsInSetQuitDate(e: EpisodeFact, scope: ReturnScope): boolean {
  return inWindow(unitKeyOf(e), e.quitDate, windowOf(scope));
}

/** THE rule for "referrals received": the authority's referral, received in the quarter by `asOf`. */
export function countsInReferralsReceived(r: ReferralFact, scope: ReturnScope): boolean {
  return inWindow(r.localAuthorityCode, r.receivedOn, windowOf(scope));
}

/**
 * The four-week outcome as known on `asOf`. A recorded outcome stands; a pending one is decided by the
 * national rule with no follow-up, so it is lost to follow-up only after day 42 (and pending until then).
 */
export function outcomeAsOf(e: Pick<EpisodeFact, 'outcome' | 'quitDate'>, asOf: IsoDate): FourWeekOutcome {
  if (e.outcome !== 'pending' || !isIsoDate(e.quitDate)) return e.outcome;
  return decideFourWeekOutcome({ quitDate: e.quitDate, followUp: null, today: asOf }).outcome;
}

/** THE rule for each episode count, given the outcome as known on `asOf` of an episode that set a quit date. */
export const EPISODE_MEASURE_RULES: Readonly<Record<EpisodeMeasure, (outcome: FourWeekOutcome) => boolean>> =
  {
    setQuitDate: () => true,
    quitSelfReported: countsAsQuit,
    quitCoVerified: isCoVerified,
    notQuit: (o) => o === 'not_quit',
    lostToFollowUp: (o) => o === 'lost_to_follow_up',
    pending: (o) => o === 'pending',
  };

/** Each outcome's measures, worked out once from the rules above. */
const MEASURES_BY_OUTCOME = new Map<string, readonly EpisodeMeasure[]>(
  OUTCOMES.map((o) => [o, EPISODE_MEASURES.filter((m) => EPISODE_MEASURE_RULES[m](o))]),
);

function measuresOfOutcome(outcome: FourWeekOutcome): readonly EpisodeMeasure[] {
  const measures = MEASURES_BY_OUTCOME.get(outcome);
  if (!measures) throw new RangeError(`Not a four-week outcome: ${JSON.stringify(outcome)}`);
  return measures;
}

/** The episode counts an episode is in for the window ([] when it does not set a quit date in it). */
export const measuresIn = (e: EpisodeFact, w: Window): readonly EpisodeMeasure[] =>
  inWindow(unitKeyOf(e), e.quitDate, w) ? measuresOfOutcome(outcomeAsOf(e, w.asOf)) : [];

/** The episode counts an episode is in for the scope ([] when it does not set a quit date in it). */
export function episodeMeasures(e: EpisodeFact, scope: ReturnScope): EpisodeMeasure[] {
  return [...measuresIn(e, windowOf(scope))];
}

export function zeroCounts(): Counts {
  return {
    referralsReceived: 0,
    setQuitDate: 0,
    quitSelfReported: 0,
    quitCoVerified: 0,
    notQuit: 0,
    lostToFollowUp: 0,
    pending: 0,
  };
}

/** The return's totals for a scope: every count, each by its one rule above. */
export function countsOf(
  episodes: readonly EpisodeFact[],
  referrals: readonly ReferralFact[],
  scope: ReturnScope,
): Counts {
  const w = windowOf(scope);
  const counts = zeroCounts();
  for (const r of referrals) if (inWindow(r.localAuthorityCode, r.receivedOn, w)) counts.referralsReceived++;
  for (const e of episodes) for (const m of measuresIn(e, w)) counts[m]++;
  return counts;
}

/** One count on its own (for a test that checks one SQL expression). */
export function countOf(
  measure: Measure,
  episodes: readonly EpisodeFact[],
  referrals: readonly ReferralFact[],
  scope: ReturnScope,
): number {
  const w = windowOf(scope);
  if (measure === 'referralsReceived') {
    return referrals.filter((r) => inWindow(r.localAuthorityCode, r.receivedOn, w)).length;
  }
  return episodes.filter((e) => measuresIn(e, w).includes(measure)).length;
}
