// The national estimate of extending stop smoking support inside therapy to every NHS Talking Therapies
// service (issue 12): a chain of stated assumptions, each shown with where its value came from, so the
// national team can change any of them and see the effect. Pure.

export type AssumptionName =
  'tt_referrals' | 'smoking_pct' | 'uptake_pct' | 'quit_pct' | 'cost_per_person_pence';
export type AssumptionKind = 'count' | 'percent' | 'money';

export type AssumptionDef = {
  name: AssumptionName;
  label: string;
  hint: string;
  kind: AssumptionKind;
  /** A published figure to use when the national team has set none. */
  published?: { value: number; source: string };
  /** What Mortar measures for this assumption, when it does. */
  measuredAs?: string;
};

export const ASSUMPTIONS: readonly AssumptionDef[] = [
  {
    name: 'tt_referrals',
    label: 'Referrals to NHS Talking Therapies in England in a year',
    hint: 'A whole number, like 1820000',
    kind: 'count',
    published: {
      value: 1_820_000,
      source: 'NHS England: 1.82 million referrals received in 2023/24 (as reported by NICE, 2024)',
    },
  },
  {
    name: 'smoking_pct',
    label: 'Of them, the percentage who smoke',
    hint: 'A percentage, like 26.3',
    kind: 'percent',
    published: {
      value: 26.3,
      source:
        'OHID, GP Patient Survey 2020/21: 26.3% of adults with a long-term mental health condition smoke (14.4% of all adults)',
    },
  },
  {
    name: 'uptake_pct',
    label: 'Of those who smoke, the percentage who would set a quit date with support inside therapy',
    hint: 'A percentage, like 10. No national figure exists: the national team sets it',
    kind: 'percent',
  },
  {
    name: 'quit_pct',
    label: 'Of those who set a quit date, the percentage quit at four weeks',
    hint: 'A percentage, like 45',
    kind: 'percent',
    measuredAs: 'the four-week quit rate of quit attempts inside mental health services in Mortar, this year',
  },
  {
    name: 'cost_per_person_pence',
    label: 'Cost per person supported',
    hint: 'In pounds, like 250',
    kind: 'money',
    measuredAs:
      'the cost per person supported inside mental health services with costs recorded in Mortar, this year',
  },
];

export const ESTIMATE_RULE =
  'People supported are the referrals times the percentage who smoke times the percentage who would set a quit date; quits at four weeks are those people times the quit percentage; the cost is those people times the cost per person supported. Each assumption uses the national team’s value if one is set, otherwise Mortar’s own measure for this year if there is one, otherwise the published figure shown.';

export type Source = 'set' | 'measured' | 'published' | 'missing';
export type ResolvedAssumption = AssumptionDef & { value: number | null; source: Source; sourceText: string };

/** Each assumption's value and where it came from: the national team's, Mortar's measure, or published. */
export function resolveAssumptions(
  saved: Partial<Record<AssumptionName, number>>,
  measured: Partial<Record<AssumptionName, number | null>>,
): ResolvedAssumption[] {
  return ASSUMPTIONS.map((a) => {
    const set = saved[a.name];
    if (set !== undefined) return { ...a, value: set, source: 'set', sourceText: 'Set by the national team' };
    const m = measured[a.name];
    if (a.measuredAs && m !== undefined && m !== null)
      return { ...a, value: m, source: 'measured', sourceText: `Measured in Mortar: ${a.measuredAs}` };
    if (a.published)
      return { ...a, value: a.published.value, source: 'published', sourceText: a.published.source };
    return { ...a, value: null, source: 'missing', sourceText: 'Not set' };
  });
}

export type Estimate =
  | { complete: false; missing: string[] }
  | {
      complete: true;
      smokers: number;
      supported: number;
      quits: number;
      costPence: number;
      perQuitPence: number | null;
    };

/** The chain of the estimate, rounded only at the end: whole people and whole pence. */
export function estimateRollout(assumptions: readonly ResolvedAssumption[]): Estimate {
  const v = new Map(assumptions.map((a) => [a.name, a.value]));
  const missing = assumptions.filter((a) => a.value === null).map((a) => a.label);
  if (missing.length) return { complete: false, missing };
  const smokers = v.get('tt_referrals')! * (v.get('smoking_pct')! / 100);
  const supported = smokers * (v.get('uptake_pct')! / 100);
  const quits = supported * (v.get('quit_pct')! / 100);
  const costPence = Math.round(supported * v.get('cost_per_person_pence')!);
  return {
    complete: true,
    smokers: Math.round(smokers),
    supported: Math.round(supported),
    quits: Math.round(quits),
    costPence,
    perQuitPence: quits > 0 ? Math.round(costPence / quits) : null,
  };
}

export type AssumptionChange = { name: AssumptionName; before: number | null; after: number | null };

/** What saving `next` over `current` changes; a blank (undefined) removes the national team's value. */
export function assumptionChanges(
  current: Partial<Record<AssumptionName, number>>,
  next: Partial<Record<AssumptionName, number>>,
): AssumptionChange[] {
  return ASSUMPTIONS.flatMap((a) => {
    const before = current[a.name] ?? null;
    const after = next[a.name] ?? null;
    return before === after ? [] : [{ name: a.name, before, after }];
  });
}
