// The records behind one figure of a return: every figure a service manager signs off leads here, to the
// list of exactly the episodes (or referrals) it counts, as the version counted them (return-members.ts).
// Their own service's records are named and linked, each read audited; records of another service are
// counted by service, never named: only that service's own staff may open them.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { audit, auditMany } from '../../platform/audit.ts';
import { forbidden, notFound } from '../../platform/errors.ts';
import { formatDate } from '../../platform/dates.ts';
import { OUTCOME_LABELS } from '../episodes/four-week-outcome.ts';
import { labelFor } from '../referrals/demographics.ts';
import { MEASURE_LABELS, type Measure } from './return-measures.ts';
import { BREAKDOWN_KEYS, BREAKDOWNS, measuresOf, type BreakdownKey } from './return-breakdowns.ts';
import { episodesIn, readCounted, referralsIn, type Counted, type FigureRef } from './return-members.ts';
import { episodesOfService, organisationNames, referralsOfService } from './return-records.repository.ts';
import { findCounted } from './return.repository.ts';
import { loadContext, loadVersion, periodOf, returnPath, type ReturnContext } from './return.service.ts';

type Deps = { db: Database };

/** The page that lists what a figure of a version counts. */
export const figurePath = (ctx: Pick<ReturnContext, 'authority' | 'period'>, version: number, f: FigureRef) =>
  `${returnPath(ctx.authority.code, ctx.period)}/figures?${new URLSearchParams({
    version: String(version),
    breakdown: f.breakdown,
    category: f.category,
    measure: f.measure,
  }).toString()}`;

const one = (v: unknown) => (typeof v === 'string' ? v : '');

/** The figure a query names, if it is one: a known breakdown and measure, and a category the version has. */
function figureOf(
  query: Record<string, unknown>,
  categoriesOf: (key: BreakdownKey) => string[],
): FigureRef | null {
  const breakdown = one(query.breakdown);
  const measure = one(query.measure) as Measure;
  const category = one(query.category);
  if (breakdown === 'total') {
    return category === 'all' && measuresOf('total').includes(measure)
      ? { breakdown, category, measure }
      : null;
  }
  if (!(BREAKDOWN_KEYS as readonly string[]).includes(breakdown)) return null;
  const key = breakdown as BreakdownKey;
  if (!measuresOf(key).includes(measure) || !categoriesOf(key).includes(category)) return null;
  return { breakdown: key, category, measure };
}

/** Records per service other than the viewer's, by name, largest first. */
function othersByService(services: readonly string[], own: string, names: Map<string, string>) {
  const counts = new Map<string, number>();
  for (const s of services) if (s !== own) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts]
    .map(([id, n]) => ({ name: names.get(id) ?? 'A service no longer in Mortar', n }))
    .sort((a, b) => b.n - a.n || a.name.localeCompare(b.name, 'en-GB'));
}

/** The version and figure the query names, and the viewer's service: 404 for no such figure, 403 without a service. */
async function figureAsked(db: Database, request: FastifyRequest) {
  const user = staffOf(request);
  const p = request.params as { code: string; year: string; quarter: string };
  const period = periodOf(p.year, p.quarter);
  if (!period) throw notFound();
  const ctx = await loadContext(db, user, p.code, period);
  const own = ctx.access.episodesOf;
  if (!own) throw forbidden();
  const query = (request.query ?? {}) as Record<string, unknown>;
  const n = /^\d{1,6}$/.test(one(query.version)) ? Number(one(query.version)) : NaN;
  const version = ctx.row && Number.isInteger(n) ? await loadVersion(db, ctx.row, n) : undefined;
  if (!version) throw notFound('Version not found');
  const figure = figureOf(query, (key) => Object.keys(version.data.breakdowns[key] ?? {}));
  if (!figure) throw notFound('Figure not found');
  return { user, ctx, own, version, figure };
}

/** The records a figure counts, as the version kept them: the viewer's own service's read by id, others' by service. */
async function recordsBehind(db: Database, own: string, figure: FigureRef, counted: Counted | null) {
  const episodes = counted ? episodesIn(figure, counted) : [];
  const referrals = counted ? referralsIn(figure, counted) : [];
  const isReferrals = figure.measure === 'referralsReceived';
  const services = isReferrals
    ? referrals.map((r) => r.serviceOrganisationId)
    : episodes.map((e) => e.serviceOrganisationId);
  const names = await organisationNames(db, [...new Set(services)]);
  const ownEpisodes = isReferrals
    ? []
    : await episodesOfService(
        db,
        own,
        episodes.map((e) => e.id),
      );
  const ownReferrals = isReferrals
    ? await referralsOfService(
        db,
        own,
        referrals.map((r) => r.id),
      )
    : [];
  return { episodes, referrals, isReferrals, services, names, ownEpisodes, ownReferrals };
}

async function showFigure(db: Database, request: FastifyRequest, reply: FastifyReply) {
  const { user, ctx, own, version, figure } = await figureAsked(db, request);
  const counted = readCounted(await findCounted(db, ctx.row!.id, version.version));
  const value =
    figure.breakdown === 'total'
      ? version.data.totals[figure.measure]
      : version.data.breakdowns[figure.breakdown][figure.category]?.[figure.measure];
  const r = await recordsBehind(db, own, figure, counted);
  const outcomeOf = new Map(r.episodes.map((e) => [e.id, e.outcome]));

  await audit(
    db,
    user,
    {
      action: 'view',
      entityType: 'return',
      entityId: ctx.row!.id,
      detail: `${ctx.authority.code} ${ctx.period.label} version ${version.version}: records behind ${figure.breakdown} ${figure.category} ${figure.measure}`,
    },
    request.id,
  );
  await auditMany(
    db,
    user,
    'list',
    r.isReferrals ? 'referral' : 'episode',
    r.isReferrals ? r.ownReferrals.map((x) => x.id) : r.ownEpisodes.map((e) => e.id),
    request.id,
  );

  const where =
    figure.breakdown === 'total'
      ? 'everyone'
      : `${BREAKDOWNS[figure.breakdown].label}: ${labelFor(BREAKDOWNS[figure.breakdown].categories, figure.category)}`;
  return reply.page('returns/views/figure.njk', {
    title: `${MEASURE_LABELS[figure.measure]}, ${where}`,
    ctx,
    path: returnPath(ctx.authority.code, ctx.period),
    version: version.version,
    asOf: version.data.asOf,
    measureLabel: MEASURE_LABELS[figure.measure],
    where,
    value,
    kept: counted !== null,
    isReferrals: r.isReferrals,
    listed: r.isReferrals ? r.referrals.length : r.episodes.length,
    ownName: r.names.get(own) ?? user.organisationName,
    ownEpisodes: r.ownEpisodes.map((e) => ({
      href: `/episodes/${e.id}`,
      name: `${e.given_name} ${e.family_name}`,
      quitDate: e.quit_date ? formatDate(e.quit_date) : '',
      outcome: OUTCOME_LABELS[outcomeOf.get(e.id) ?? 'pending'],
    })),
    ownReferrals: r.ownReferrals.map((x) => ({
      href: `/worklist/${x.id}`,
      name: `${x.given_name} ${x.family_name}`,
      reference: x.reference,
      receivedOn: formatDate(x.received_on),
    })),
    others: othersByService(r.services, own, r.names),
  });
}

export function registerReturnFigureRoutes(app: FastifyInstance, { db }: Deps) {
  app.get(
    '/returns/:code/:year/:quarter/figures',
    { config: { access: ['service_manager'] } },
    async (request, reply) => showFigure(db, request, reply),
  );
}
