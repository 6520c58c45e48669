import type { Authority } from './authorities.ts';
import { NATIONAL_QUIT_DATES_PER_YEAR, REFERRER_ORGS, YEAR_FACTORS } from './codes.ts';
import { clamp, type Rng } from './random.ts';
import { at, dayOf, iso, Rows, TAG, type Exec } from './rows.ts';

/** An authority, its stop smoking service and referrers, and its character. */
export type LaParams = {
  la: Authority;
  sssId: string;
  referrers: Map<string, string[]>;
  quitRate: number;
  coShare: number;
  lostShare: number;
  conversion: number;
  /** People already known to this authority's service, as indexes into the person store. */
  people: number[];
};

type Ids = (tag: number, n: number) => string;

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/**
 * Organisations and commissions: a stop smoking service per authority, and its referrers, written in one
 * transaction. Returns each authority's parameters and how many rows were written.
 */
export async function setUpServices(
  exec: Exec,
  authorities: Authority[],
  firstYear: number,
  rng: Rng,
  id: Ids,
): Promise<{ params: LaParams[]; organisations: number; commissions: number }> {
  const orgs = new Rows('organisations', [
    ['id', 'uuid'],
    ['name', 'text'],
    ['type', 'text'],
    ['local_authority_code', 'text'],
    ['email', 'text'],
    ['created_at', 'timestamptz'],
  ]);
  const commissions = new Rows('commissions', [
    ['id', 'uuid'],
    ['local_authority_code', 'text'],
    ['service_organisation_id', 'uuid'],
    ['starts_on', 'date'],
    ['created_at', 'timestamptz'],
  ]);
  const setupDay = dayOf(`${firstYear - 1}-03-01`);
  const counter = { orgN: 0 };
  const params: LaParams[] = authorities.map((la) => {
    const { sssId, referrers } = serviceAndReferrers(la, {
      orgs,
      commissions,
      setupDay,
      firstYear,
      rng,
      id,
      counter,
    });
    return { la, sssId, referrers, ...characterOf(rng), people: [] };
  });
  await exec('begin');
  await exec(orgs.sql(), orgs.columns);
  await exec(commissions.sql(), commissions.columns);
  await exec('commit');
  return { params, organisations: orgs.length, commissions: commissions.length };
}

function serviceAndReferrers(
  la: Authority,
  c: {
    orgs: Rows;
    commissions: Rows;
    setupDay: number;
    firstYear: number;
    rng: Rng;
    id: Ids;
    counter: { orgN: number };
  },
): { sssId: string; referrers: Map<string, string[]> } {
  const { orgs, commissions, setupDay, rng, id, counter } = c;
  const sssId = id(TAG.org, ++counter.orgN);
  orgs.push(
    sssId,
    `${la.name} Stop Smoking Service`,
    'stop_smoking_service',
    la.code,
    `stopsmoking@${slug(la.name)}.example`,
    at(setupDay, rng),
  );
  commissions.push(
    id(TAG.commission, counter.orgN),
    la.code,
    sssId,
    iso(dayOf(`${c.firstYear - 1}-04-01`)),
    at(setupDay, rng),
  );
  const referrers = new Map<string, string[]>();
  for (const [type, n, label] of REFERRER_ORGS) {
    const ids: string[] = [];
    for (let i = 1; i <= n; i++) {
      const oid = id(TAG.org, ++counter.orgN);
      ids.push(oid);
      orgs.push(oid, `${la.name} ${label}${n > 1 ? ` ${i}` : ''}`, type, la.code, null, at(setupDay, rng));
    }
    referrers.set(type, ids);
  }
  return { sssId, referrers };
}

/** Each authority's character: its quit rate, how often it verifies with CO, how many it loses. */
function characterOf(rng: Rng): Pick<LaParams, 'quitRate' | 'coShare' | 'lostShare' | 'conversion'> {
  const co = rng.next();
  return {
    quitRate: clamp(rng.normal(0.54, 0.075), 0.3, 0.8),
    coShare: clamp(
      co < 0.25 ? rng.normal(0.02, 0.01) : co < 0.85 ? rng.normal(0.09, 0.04) : rng.normal(0.3, 0.1),
      0,
      0.8,
    ),
    lostShare: clamp(rng.normal(0.55, 0.12), 0.2, 0.9),
    conversion: clamp(rng.normal(0.58, 0.08), 0.35, 0.8),
  };
}

/** How many quit dates each authority has, each year: by adults times prevalence, varying a little. */
export function planQuitDates(authorities: Authority[], years: number, scale: number, rng: Rng): number[][] {
  const weights = authorities.map((a) => a.pop18 * a.prevalence);
  const plan: number[][] = [];
  for (let y = 0; y < years; y++) {
    const national = Math.round(
      NATIONAL_QUIT_DATES_PER_YEAR * scale * YEAR_FACTORS[y % YEAR_FACTORS.length]!,
    );
    plan.push(
      allocate(
        national,
        weights.map((w) => w * clamp(rng.normal(1, 0.04), 0.85, 1.15)),
      ),
    );
  }
  return plan;
}

/** Allocates `total` over `weights` by largest remainder, so the parts add up exactly. */
function allocate(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / sum) * total);
  const base = exact.map(Math.floor);
  let left = total - base.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, i) => [x - Math.floor(x), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    base[i]!++;
    left--;
  }
  return base;
}
