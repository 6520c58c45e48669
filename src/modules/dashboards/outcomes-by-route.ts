// Four-week outcomes compared by route of delivery (docs/domain.md, Route of delivery), for people with
// depression or anxiety. Pure. Each outcome is put in the return's measures by the return's own rules
// (return-measures.ts EPISODE_MEASURE_RULES), so this table and the return cannot count differently.
import { OUTCOMES, type FourWeekOutcome } from '../episodes/four-week-outcome.ts';
import { DELIVERY_ROUTES, type DeliveryRoute } from '../organisations/delivery-route.ts';
import { EPISODE_MEASURE_RULES, EPISODE_MEASURES, type EpisodeCounts } from '../returns/return-measures.ts';

/** The conditions the comparison is for: depression, anxiety, or both. */
export const COMPARED_CONDITIONS = ['depression', 'anxiety', 'both'] as const;

export type RouteOutcomeCount = { route: DeliveryRoute; outcome: FourWeekOutcome; n: number };

/** A rate with what it is made of, so every rate is shown with its counts. */
export type Rate = { numerator: number; denominator: number; percent: number | null };

export type RouteRow = EpisodeCounts & {
  route: DeliveryRoute | 'all';
  label: string;
  quitRate: Rate;
  coVerifiedRate: Rate;
};

/** Per 100 who set a quit date, to one decimal place; null when nobody did (no rate, not zero). */
export function rateOf(numerator: number, denominator: number): Rate {
  if (
    !Number.isInteger(numerator) ||
    !Number.isInteger(denominator) ||
    numerator < 0 ||
    numerator > denominator
  )
    throw new RangeError(`Not a rate: ${numerator} of ${denominator}`);
  return {
    numerator,
    denominator,
    percent: denominator === 0 ? null : Math.round((1000 * numerator) / denominator) / 10,
  };
}

const zero = (): EpisodeCounts => Object.fromEntries(EPISODE_MEASURES.map((m) => [m, 0])) as EpisodeCounts;

function rowOf(route: DeliveryRoute | 'all', label: string, c: EpisodeCounts): RouteRow {
  return {
    route,
    label,
    ...c,
    quitRate: rateOf(c.quitSelfReported, c.setQuitDate),
    coVerifiedRate: rateOf(c.quitCoVerified, c.setQuitDate),
  };
}

/** One row per route (every route, at zero when it has nothing) and a row for all routes together. */
export function outcomesByRoute(counts: readonly RouteOutcomeCount[]): RouteRow[] {
  const routes = Object.keys(DELIVERY_ROUTES) as DeliveryRoute[];
  const by = new Map(routes.map((r) => [r, zero()]));
  const all = zero();
  for (const { route, outcome, n } of counts) {
    const c = by.get(route);
    if (!c) throw new RangeError(`Not a route of delivery: ${route}`);
    if (!OUTCOMES.includes(outcome)) throw new RangeError(`Not a four-week outcome: ${outcome}`);
    for (const m of EPISODE_MEASURES) {
      if (!EPISODE_MEASURE_RULES[m](outcome)) continue;
      c[m] += n;
      all[m] += n;
    }
  }
  return [...routes.map((r) => rowOf(r, DELIVERY_ROUTES[r], by.get(r)!)), rowOf('all', 'All routes', all)];
}
