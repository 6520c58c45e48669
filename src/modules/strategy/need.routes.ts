import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { forbidden, notFound } from '../../platform/errors.ts';
import { mergeErrors, type FormErrors } from '../../platform/forms.ts';
import { areaScope } from '../../platform/scope.ts';
import { setFlash } from '../../platform/flash.ts';
import { bodyOf, keptValues } from '../organisations/organisation.schemas.ts';
import { needInputs } from './need-data.ts';
import * as repo from './need.repository.ts';
import { changeLocalEstimate, changeNationalParameters, removeLocalEstimate } from './need.service.ts';
import {
  estimateNeed,
  PARAMETER_LIMITS,
  RELATIVE_RATE_RANGE,
  validateParameters,
  type AuthorityNeed,
  type NeedEstimate,
} from './need.ts';

// The estimate of need (docs/domain.md, Estimate of need). Every page that shows a figure shows how it was
// worked out beside it, with the numbers used: it is an estimate, never a count of people (hazard H60). A
// commissioner sees their own authority and may replace its figure with a local estimate and its source; a
// national analyst sees every authority and England against the goal, and sets the national parameters. Every
// change is audited.

type Deps = { db: Database };
const V = 'strategy/views/need.njk';
const BOTH = ['commissioner', 'national_analyst'] as const;

// --- Formatting -------------------------------------------------------------------------------------
const whole = (n: number) => Math.round(n).toLocaleString('en-GB');
/** An estimate, to the nearest 10: it is not precise enough for more. */
export const about = (n: number) => (Math.round(n / 10) * 10).toLocaleString('en-GB');
const pct = (fraction: number, digits = 1) => `${(fraction * 100).toFixed(digits).replace(/\.0+$/, '')}%`;
const oneIn = (share: number) => {
  const n = 1 / share;
  return Math.abs(n - Math.round(n)) < 0.05 ? `about 1 in ${Math.round(n)}` : `about 1 in ${n.toFixed(1)}`;
};
const rate = (r: number) => String(Number(r.toFixed(3)));

function authorityView(a: AuthorityNeed) {
  return {
    ...a,
    figureText: a.local ? whole(a.local.estimate) : about(a.computed),
    computedText: about(a.computed),
    lowText: about(a.computedLow),
    highText: about(a.computedHigh),
    adultsText: whole(a.pop18),
    prevalenceText: `${a.prevalencePct.toFixed(1)}%`,
    yearsText: a.years.join(' and '),
    districtRows: a.districts.map((d) => ({
      ...d,
      adultsText: whole(d.pop18),
      pctText: `${d.pct.toFixed(1)}%`,
    })),
    showDistricts: a.districts.length > 1 || a.districts.some((d) => d.basis !== 'latest'),
  };
}

function methodView(e: NeedEstimate) {
  const { cmhcShare, relativeRate } = e.parameters;
  return {
    shareText: pct(cmhcShare),
    oneInText: oneIn(cmhcShare),
    rateText: rate(relativeRate),
    rateLow: String(RELATIVE_RATE_RANGE.low),
    rateHigh: String(RELATIVE_RATE_RANGE.high),
    latestYear: e.latestYear,
    england: {
      ...e.england,
      figureText: about(e.england.figure),
      computedText: about(e.england.computed),
      lowText: about(e.england.computedLow),
      highText: about(e.england.computedHigh),
      adultsText: whole(e.england.pop18),
      goalText: whole(e.england.goal),
      shareOfGoalText: pct(e.england.shareOfGoal, 0),
    },
  };
}

// --- Sorting the national table ---------------------------------------------------------------------
const SORTS = {
  name: { label: 'Local authority', key: (a: AuthorityNeed) => a.name },
  region: { label: 'Region', key: (a: AuthorityNeed) => a.regionName },
  adults: { label: 'Adults 18+', key: (a: AuthorityNeed) => a.pop18 },
  prevalence: { label: 'Adults who smoke', key: (a: AuthorityNeed) => a.prevalencePct },
  estimate: { label: 'Estimated smokers with a CMHC', key: (a: AuthorityNeed) => a.figure },
} as const;
type SortKey = keyof typeof SORTS;
const NUMERIC: readonly SortKey[] = ['adults', 'prevalence', 'estimate'];

export function sortAuthorities(
  list: readonly AuthorityNeed[],
  sort: SortKey,
  dir: 'asc' | 'desc',
): AuthorityNeed[] {
  const key = SORTS[sort].key;
  const sign = dir === 'asc' ? 1 : -1;
  return [...list].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    const c =
      typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'en-GB');
    return c !== 0 ? sign * c : a.name.localeCompare(b.name, 'en-GB');
  });
}

function sortOf(query: unknown): { sort: SortKey; dir: 'asc' | 'desc' } {
  const q = (query ?? {}) as Record<string, unknown>;
  const sort = typeof q.sort === 'string' && q.sort in SORTS ? (q.sort as SortKey) : 'estimate';
  const dir = q.dir === 'asc' || q.dir === 'desc' ? q.dir : NUMERIC.includes(sort) ? 'desc' : 'asc';
  return { sort, dir };
}

function headers(current: { sort: SortKey; dir: 'asc' | 'desc' }) {
  return (Object.keys(SORTS) as SortKey[]).map((k) => {
    const active = k === current.sort;
    const next = active ? (current.dir === 'asc' ? 'desc' : 'asc') : NUMERIC.includes(k) ? 'desc' : 'asc';
    return {
      key: k,
      label: SORTS[k].label,
      numeric: NUMERIC.includes(k),
      href: `/need?sort=${k}&dir=${next}#authorities`,
      ariaSort: active ? (current.dir === 'asc' ? 'ascending' : 'descending') : 'none',
    };
  });
}

// --- Forms ------------------------------------------------------------------------------------------
/** A number as a person types it ("1,234", " 16.7 "), or NaN. */
export function numberOf(v: unknown): number {
  if (typeof v !== 'string') return NaN;
  const s = v.trim().replace(/,/g, '').replace(/%$/, '');
  return /^\d+(\.\d+)?$/.test(s) ? Number(s) : NaN;
}

export function parseParameters(
  body: Record<string, unknown>,
): { cmhcShare: number; relativeRate: number } | FormErrors {
  let errors: FormErrors | undefined;
  const sharePct = numberOf(body.cmhcSharePercent);
  const relativeRate = numberOf(body.relativeRate);
  if (Number.isNaN(sharePct))
    errors = mergeErrors(
      errors,
      'cmhcSharePercent',
      'Enter the share of adults with a common mental health condition as a percentage, like 16.7',
    );
  if (Number.isNaN(relativeRate))
    errors = mergeErrors(errors, 'relativeRate', 'Enter the relative rate as a number, like 1.7');
  const p = { cmhcShare: sharePct / 100, relativeRate };
  for (const e of validateParameters(p)) {
    const field = e.field === 'cmhcShare' ? 'cmhcSharePercent' : 'relativeRate';
    errors = mergeErrors(errors, field, e.message);
  }
  return errors ?? p;
}

export function parseLocalEstimate(
  body: Record<string, unknown>,
): { estimate: number; source: string } | FormErrors {
  let errors: FormErrors | undefined;
  const estimate = numberOf(body.localEstimate);
  const source = typeof body.localSource === 'string' ? body.localSource.trim() : '';
  if (Number.isNaN(estimate) || !Number.isInteger(estimate)) {
    errors = mergeErrors(errors, 'localEstimate', 'Enter the local estimate as a whole number, like 24000');
  } else if (estimate < 1 || estimate > 10_000_000) {
    errors = mergeErrors(errors, 'localEstimate', 'The local estimate must be between 1 and 10,000,000');
  }
  if (source === '') errors = mergeErrors(errors, 'localSource', 'Enter where the local estimate comes from');
  else if (source.length > 500)
    errors = mergeErrors(
      errors,
      'localSource',
      'Where the local estimate comes from must be 500 characters or fewer',
    );
  return errors ?? { estimate, source };
}

const isErrors = (x: object): x is FormErrors => 'list' in x && 'fields' in x;

export function registerNeedRoutes(app: FastifyInstance, { db }: Deps) {
  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    form: { values?: Record<string, string>; errors?: FormErrors } = {},
  ) {
    const scope = areaScope(staffOf(request));
    const settings = await repo.loadNeedSettings(db);
    const estimate = estimateNeed(needInputs(), settings.national, settings.locals);
    const method = methodView(estimate);
    if (form.errors) reply.code(400);
    const flash = reply.locals?.flash;

    if (scope.kind === 'local_authority') {
      const a = estimate.authorities.find((x) => x.code === scope.code);
      if (!a) throw notFound('Local authority not found');
      const values = form.values ?? {
        localEstimate: a.local ? String(a.local.estimate) : '',
        localSource: a.local?.source ?? '',
      };
      return reply.page(V, {
        title: `Estimated need in ${a.name}`,
        view: 'local',
        authority: authorityView(a),
        method,
        national: settings.national,
        values,
        errors: form.errors,
        flash,
      });
    }

    const current = sortOf(request.query);
    const values = form.values ?? {
      cmhcSharePercent: String(Number((settings.national.cmhcShare * 100).toFixed(2))),
      relativeRate: rate(settings.national.relativeRate),
    };
    return reply.page(V, {
      title: 'Estimated need in England',
      view: 'national',
      rows: sortAuthorities(estimate.authorities, current.sort, current.dir).map(authorityView),
      headers: headers(current),
      method,
      national: settings.national,
      limits: {
        shareMin: PARAMETER_LIMITS.cmhcShare.min * 100,
        shareMax: PARAMETER_LIMITS.cmhcShare.max * 100,
        rateMin: PARAMETER_LIMITS.relativeRate.min,
        rateMax: PARAMETER_LIMITS.relativeRate.max,
      },
      values,
      errors: form.errors,
      flash,
    });
  }

  app.get('/need', { config: { access: BOTH } }, async (request, reply) => render(request, reply));

  app.post('/need/parameters', { config: { access: ['national_analyst'] } }, async (request, reply) => {
    const user = staffOf(request);
    if (areaScope(user).kind !== 'all') throw forbidden();
    const body = bodyOf(request.body);
    const parsed = parseParameters(body);
    if (isErrors(parsed)) return render(request, reply, { values: keptValues(body), errors: parsed });
    await changeNationalParameters(
      db,
      user,
      parsed,
      (before) =>
        `share with a CMHC ${pct(before.cmhcShare, 2)} to ${pct(parsed.cmhcShare, 2)}; ` +
        `relative rate ${rate(before.relativeRate)} to ${rate(parsed.relativeRate)}`,
      request.id,
    );
    setFlash(reply, 'The national parameters of the estimate have been changed');
    return reply.redirect('/need', 303);
  });

  /** A commissioner changes only their own authority's local estimate. */
  function ownAuthority(request: FastifyRequest) {
    const user = staffOf(request);
    const scope = areaScope(user);
    const code = (request.params as Record<string, string>).code ?? '';
    if (scope.kind !== 'local_authority' || scope.code !== code) throw forbidden();
    return { user, code };
  }

  app.post('/need/:code/local', { config: { access: ['commissioner'] } }, async (request, reply) => {
    const { user, code } = ownAuthority(request);
    const body = bodyOf(request.body);
    const parsed = parseLocalEstimate(body);
    if (isErrors(parsed)) return render(request, reply, { values: keptValues(body), errors: parsed });
    await changeLocalEstimate(
      db,
      user,
      code,
      parsed,
      (before) =>
        `local estimate ${before ? before.estimate : 'none'} to ${parsed.estimate}; source: ${parsed.source}`.slice(
          0,
          1000,
        ),
      request.id,
    );
    setFlash(reply, 'Your local estimate is now used in place of Mortar’s');
    return reply.redirect('/need', 303);
  });

  app.post('/need/:code/local/remove', { config: { access: ['commissioner'] } }, async (request, reply) => {
    const { user, code } = ownAuthority(request);
    const removed = await removeLocalEstimate(db, user, code, request.id);
    if (removed) setFlash(reply, 'Mortar’s estimate is used again');
    return reply.redirect('/need', 303);
  });
}
