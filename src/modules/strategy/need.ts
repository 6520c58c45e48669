// The estimate of need (docs/domain.md, Estimate of need): how many adults who smoke have a common mental
// health condition (CMHC: depression or anxiety), per upper-tier local authority in England. No open data set
// counts them, so it is estimated, transparently, from four inputs that are all shown beside the figure:
//
//   adults 18+ (ONS mid-2023) x share with a CMHC x local smoking prevalence (APS) x relative rate
//
// Local smoking prevalence is the Annual Population Survey's (Fingertips 92443), for each district in
// the latest year it has a value, weighted by the district's adults up to the upper-tier authority:
// - a district with no value in the latest year takes its latest earlier year;
// - a district created in April 2023 (Cumberland, Westmorland and Furness, North Yorkshire) takes
//   whichever is newer: its own code's latest value, or the latest year its former districts have
//   values, as the plain (unweighted) mean of those former districts. Their adult populations are not
//   in the shipped data, so they cannot be weighted; the basis says so beside the figure;
// - a district with no value at all (Isles of Scilly, City of London) takes England's value that year.
// Pure: no I/O. `need-data.ts` loads the shipped files into `NeedInputs`.

export const NATIONAL_GOAL = 1_500_000;
export const NATIONAL_GOAL_NOTE =
  'The goal of 1.5 million is for Britain (England, Scotland and Wales). This estimate covers England only.';

export type NeedParameters = {
  /** Share of adults with a common mental health condition, as a fraction (1/6 is about 1 in 6). */
  cmhcShare: number;
  /** How many times the all-adult smoking rate people with a CMHC smoke at. */
  relativeRate: number;
};

export const DEFAULT_PARAMETERS: NeedParameters = { cmhcShare: 1 / 6, relativeRate: 1.7 };
/** The range of the relative rate in the evidence (OHID, GP Patient Survey 2020/21), shown beside every figure. */
export const RELATIVE_RATE_RANGE = { low: 1.6, high: 1.8 } as const;
/** What may be set: wide enough for local evidence, narrow enough to catch a slip (17 for 1.7). */
export const PARAMETER_LIMITS = {
  cmhcShare: { min: 0.05, max: 0.5 },
  relativeRate: { min: 1, max: 3 },
} as const;

export type ParameterError = { field: keyof NeedParameters; message: string };

export function validateParameters(p: NeedParameters): ParameterError[] {
  const errors: ParameterError[] = [];
  const { cmhcShare: s, relativeRate: r } = PARAMETER_LIMITS;
  if (!Number.isFinite(p.cmhcShare) || p.cmhcShare < s.min || p.cmhcShare > s.max) {
    errors.push({
      field: 'cmhcShare',
      message: `Share of adults with a common mental health condition must be between ${s.min * 100}% and ${s.max * 100}%`,
    });
  }
  if (!Number.isFinite(p.relativeRate) || p.relativeRate < r.min || p.relativeRate > r.max) {
    errors.push({ field: 'relativeRate', message: `Relative rate must be between ${r.min} and ${r.max}` });
  }
  return errors;
}

export type ApsPoint = { year: number; pct: number | null };
/** APS series by Fingertips area code, any order of years; `pct` null where Fingertips has no value. */
export type ApsSeries = ReadonlyMap<string, readonly ApsPoint[]>;

export type DistrictInput = {
  code: string;
  /** The code before April 2024 (Barnsley and Sheffield changed), which Fingertips still uses. */
  code23: string;
  name: string;
  pop18: number;
};

export type AuthorityInput = {
  code: string;
  name: string;
  regionName: string;
  pop18: number;
  districts: readonly DistrictInput[];
};

export type NeedInputs = {
  authorities: readonly AuthorityInput[];
  aps: ApsSeries;
  /** Districts that Fingertips reports after they were merged into a new one: new code to former codes. */
  predecessors: Readonly<Record<string, readonly string[]>>;
  englandCode: string;
};

export type PrevalenceBasis = 'latest' | 'earlier_year' | 'former_districts' | 'england';

export type DistrictPrevalence = DistrictInput & {
  /** Percent of adults who smoke. */
  pct: number;
  year: number;
  basis: PrevalenceBasis;
  /** In words, for the page: where this value came from. */
  basisText: string;
};

export type LocalEstimate = {
  estimate: number;
  source: string;
  enteredBy: string | null;
  enteredAt: Date | null;
};

export type AuthorityNeed = {
  code: string;
  name: string;
  regionName: string;
  pop18: number;
  districts: DistrictPrevalence[];
  /** Adult smoking prevalence, percent, weighted by each district's adults. */
  prevalencePct: number;
  /** Every year the prevalence draws on (one, unless a district fell back). */
  years: number[];
  /** By the method, with the parameters given. */
  computed: number;
  /** By the method at the ends of the relative rate's range. */
  computedLow: number;
  computedHigh: number;
  /** Entered by the authority; when present it is the figure used. */
  local: LocalEstimate | null;
  /** The figure used: the local estimate if there is one, otherwise the computed one. */
  figure: number;
};

export type NeedEstimate = {
  parameters: NeedParameters;
  latestYear: number;
  englandPrevalencePct: number;
  authorities: AuthorityNeed[];
  england: {
    pop18: number;
    /** By the method alone, for every authority. */
    computed: number;
    computedLow: number;
    computedHigh: number;
    /** The figures used: local estimates where entered, the method elsewhere. */
    figure: number;
    localCount: number;
    goal: number;
    /** figure / goal. */
    shareOfGoal: number;
    goalNote: string;
  };
};

function latestValue(
  points: readonly ApsPoint[] | undefined,
  upTo: number,
): { year: number; pct: number } | null {
  let best: { year: number; pct: number } | null = null;
  for (const p of points ?? []) {
    if (p.pct === null || !Number.isFinite(p.pct) || p.year > upTo) continue;
    if (!best || p.year > best.year) best = { year: p.year, pct: p.pct };
  }
  return best;
}

/** The latest year with any value in the series (the survey's latest year). */
export function latestYearOf(aps: ApsSeries): number {
  let y = -Infinity;
  for (const points of aps.values()) for (const p of points) if (p.pct !== null && p.year > y) y = p.year;
  if (!Number.isFinite(y)) throw new Error('No smoking prevalence values');
  return y;
}

export function districtPrevalence(
  d: DistrictInput,
  inputs: Pick<NeedInputs, 'aps' | 'predecessors' | 'englandCode'>,
  latestYear: number,
): DistrictPrevalence {
  const own =
    latestValue(inputs.aps.get(d.code23), latestYear) ?? latestValue(inputs.aps.get(d.code), latestYear);

  const former = inputs.predecessors[d.code] ?? [];
  let fromFormer: { year: number; pct: number; n: number } | null = null;
  if (former.length > 0) {
    const values = former.map((c) => latestValue(inputs.aps.get(c), latestYear)).filter((v) => v !== null);
    const year = Math.max(...values.map((v) => v.year));
    const thatYear = values.filter((v) => v.year === year);
    if (thatYear.length > 0)
      fromFormer = {
        year,
        pct: thatYear.reduce((a, v) => a + v.pct, 0) / thatYear.length,
        n: thatYear.length,
      };
  }

  if (fromFormer && (!own || fromFormer.year > own.year)) {
    return {
      ...d,
      pct: fromFormer.pct,
      year: fromFormer.year,
      basis: 'former_districts',
      basisText: `APS ${fromFormer.year}, the mean of its ${fromFormer.n} former districts (not weighted: their populations are not in the reference data)`,
    };
  }
  if (own) {
    const latest = own.year === latestYear;
    return {
      ...d,
      pct: own.pct,
      year: own.year,
      basis: latest ? 'latest' : 'earlier_year',
      basisText: latest
        ? `APS ${own.year}`
        : `APS ${own.year}, its latest year with a value (none for ${latestYear})`,
    };
  }
  const england = latestValue(inputs.aps.get(inputs.englandCode), latestYear);
  if (!england) throw new Error('No smoking prevalence for England');
  return {
    ...d,
    pct: england.pct,
    year: england.year,
    basis: 'england',
    basisText: `England's value, APS ${england.year} (none for this district)`,
  };
}

/** Smokers with a CMHC by the method: adults x share x prevalence x relative rate. */
export function smokersWithCmhc(
  pop18: number,
  prevalencePct: number,
  share: number,
  relativeRate: number,
): number {
  return pop18 * share * (prevalencePct / 100) * relativeRate;
}

export function estimateNeed(
  inputs: NeedInputs,
  parameters: NeedParameters = DEFAULT_PARAMETERS,
  localEstimates: ReadonlyMap<string, LocalEstimate> = new Map(),
): NeedEstimate {
  const errors = validateParameters(parameters);
  if (errors.length > 0) throw new RangeError(errors.map((e) => e.message).join('; '));
  const latestYear = latestYearOf(inputs.aps);
  const { cmhcShare, relativeRate } = parameters;

  const authorities = inputs.authorities.map((a): AuthorityNeed => {
    if (a.districts.length === 0) throw new Error(`${a.name} has no districts`);
    const districts = a.districts.map((d) => districtPrevalence(d, inputs, latestYear));
    const weight = districts.reduce((s, d) => s + d.pop18, 0);
    const prevalencePct = districts.reduce((s, d) => s + d.pct * d.pop18, 0) / weight;
    const local = localEstimates.get(a.code) ?? null;
    const computed = smokersWithCmhc(a.pop18, prevalencePct, cmhcShare, relativeRate);
    return {
      code: a.code,
      name: a.name,
      regionName: a.regionName,
      pop18: a.pop18,
      districts,
      prevalencePct,
      years: [...new Set(districts.map((d) => d.year))].sort((x, y) => y - x),
      computed,
      computedLow: smokersWithCmhc(a.pop18, prevalencePct, cmhcShare, RELATIVE_RATE_RANGE.low),
      computedHigh: smokersWithCmhc(a.pop18, prevalencePct, cmhcShare, RELATIVE_RATE_RANGE.high),
      local,
      figure: local ? local.estimate : computed,
    };
  });

  const sum = (f: (a: AuthorityNeed) => number) => authorities.reduce((s, a) => s + f(a), 0);
  const figure = sum((a) => a.figure);
  const england = latestValue(inputs.aps.get(inputs.englandCode), latestYear);
  return {
    parameters,
    latestYear,
    englandPrevalencePct: england?.pct ?? NaN,
    authorities,
    england: {
      pop18: sum((a) => a.pop18),
      computed: sum((a) => a.computed),
      computedLow: sum((a) => a.computedLow),
      computedHigh: sum((a) => a.computedHigh),
      figure,
      localCount: authorities.filter((a) => a.local).length,
      goal: NATIONAL_GOAL,
      shareOfGoal: figure / NATIONAL_GOAL,
      goalNote: NATIONAL_GOAL_NOTE,
    },
  };
}
