// The estimate of need for Britain (issue 12): the 1.5 million goal covers England, Wales and Scotland.
// Wales and Scotland are estimated by England's method (need.ts: adults x share with a CMHC x smoking
// prevalence x relative rate, with the same national parameters), from what open data gives for them:
// - Wales: each authority's adults (ONS mid-2023), with Wales's own smoking prevalence for every
//   authority, as the local survey figures are not in Mortar's reference data;
// - Scotland: the nation only. Its population is NRS's, but its adults aged 18 and over are not in the
//   reference data, so they are taken as the same share of the population as in Wales.
// Every assumption is returned in words, for the page to show beside the figure. Pure.
import { RELATIVE_RATE_RANGE, smokersWithCmhc, type NeedEstimate, type NeedParameters } from './need.ts';

export type NationPrevalence = { pct: number; year: number; source: string };
export type WelshAuthorityInput = { code: string; name: string; popAll: number; pop18: number };
export type BritainInputs = {
  wales: {
    authorities: readonly WelshAuthorityInput[];
    prevalence: NationPrevalence;
    populationSource: string;
  };
  scotland: { popAll: number; populationSource: string; prevalence: NationPrevalence };
};

export type NationCode = 'england' | 'wales' | 'scotland';
export type NationNeed = {
  nation: NationCode;
  name: string;
  pop18: number;
  /** Percent of adults who smoke (England: weighted over its authorities). */
  prevalencePct: number;
  figure: number;
  low: number;
  high: number;
  /** figure / Britain's figure: the nation's part of the need, and so of the goal. */
  shareOfBritain: number;
  /** The goal shared by need: NATIONAL_GOAL x shareOfBritain. */
  goalPart: number;
  /** Whether Mortar counts the nation's quit dates today. Only England's services use it. */
  countedInMortar: boolean;
  assumptions: string[];
  authorities: { code: string; name: string; pop18: number; figure: number }[];
};

export type BritainNeed = { nations: NationNeed[]; figure: number; low: number; high: number; goal: number };

const at = (pop18: number, pct: number, p: NeedParameters) => ({
  figure: smokersWithCmhc(pop18, pct, p.cmhcShare, p.relativeRate),
  low: smokersWithCmhc(pop18, pct, p.cmhcShare, RELATIVE_RATE_RANGE.low),
  high: smokersWithCmhc(pop18, pct, p.cmhcShare, RELATIVE_RATE_RANGE.high),
});

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Scotland's adults 18+: its population times Wales's share of adults, stated as the assumption it is. */
export function scotlandAdults(popAll: number, wales: readonly WelshAuthorityInput[]) {
  const walesAll = wales.reduce((s, a) => s + a.popAll, 0);
  const walesAdults = wales.reduce((s, a) => s + a.pop18, 0);
  if (!(walesAll > 0) || !(popAll > 0)) throw new RangeError('Populations must be positive');
  const share = walesAdults / walesAll;
  return {
    pop18: popAll * share,
    share,
    assumption: `Adults aged 18 and over in Scotland are not in Mortar’s reference data by age, so they are taken as ${percent(share)} of Scotland’s ${popAll.toLocaleString('en-GB')} people, the share of adults in Wales (ONS mid-2023).`,
  };
}

export function estimateBritain(england: NeedEstimate, inputs: BritainInputs, goal: number): BritainNeed {
  const p = england.parameters;
  const { wales, scotland } = inputs;
  const welsh = wales.authorities.map((a) => ({
    code: a.code,
    name: a.name,
    pop18: a.pop18,
    figure: at(a.pop18, wales.prevalence.pct, p).figure,
  }));
  const walesPop18 = welsh.reduce((s, a) => s + a.pop18, 0);
  const scot = scotlandAdults(scotland.popAll, wales.authorities);
  const prevalenceNote = (name: string, v: NationPrevalence) =>
    `Smoking prevalence is ${name}’s ${v.pct}% for ${v.year} (${v.source}), used for the whole nation${name === 'Wales' ? ': each authority’s own figure is not in Mortar’s reference data' : ''}. England’s figures come from OHID Fingertips, which reweights the survey and gives England a lower figure than the bulletin did, so ${name}’s estimate may be a little high beside England’s.`;
  const e = england.england;
  const parts = [
    {
      nation: 'england' as const,
      name: 'England',
      pop18: e.pop18,
      prevalencePct: england.englandPrevalencePct,
      figure: e.figure,
      low: e.computedLow,
      high: e.computedHigh,
      countedInMortar: true,
      assumptions: [],
      authorities: [],
    },
    {
      nation: 'wales' as const,
      name: 'Wales',
      pop18: walesPop18,
      prevalencePct: wales.prevalence.pct,
      ...at(walesPop18, wales.prevalence.pct, p),
      countedInMortar: false,
      assumptions: [prevalenceNote('Wales', wales.prevalence)],
      authorities: welsh,
    },
    {
      nation: 'scotland' as const,
      name: 'Scotland',
      pop18: scot.pop18,
      prevalencePct: scotland.prevalence.pct,
      ...at(scot.pop18, scotland.prevalence.pct, p),
      countedInMortar: false,
      assumptions: [scot.assumption, prevalenceNote('Scotland', scotland.prevalence)],
      authorities: [],
    },
  ];
  const figure = parts.reduce((s, n) => s + n.figure, 0);
  return {
    nations: parts.map((n) => ({
      ...n,
      shareOfBritain: n.figure / figure,
      goalPart: (goal * n.figure) / figure,
    })),
    figure,
    low: parts.reduce((s, n) => s + n.low, 0),
    high: parts.reduce((s, n) => s + n.high, 0),
    goal,
  };
}
