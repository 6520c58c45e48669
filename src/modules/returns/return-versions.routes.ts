// The versions of a return: one version as it was generated or loaded, with its checks and exception
// reasons, and two versions compared figure by figure. Access as for the return's page (return.routes.ts);
// every read is audited.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import { notFound } from '../../platform/errors.ts';
import { listVersions } from './return.repository.ts';
import { contextOf, PAGE_ROLES, versionOf } from './return.routes.ts';
import { returnPath, type StoredVersion } from './return.service.ts';
import { compareVersions, figureTables, issuesFor } from './return-page.service.ts';
import { settingsNeedingReasons } from './return-exceptions.service.ts';

type Deps = { db: Database };

async function showVersion(db: Database, request: FastifyRequest, reply: FastifyReply) {
  const ctx = await contextOf(db, request);
  const v = await versionOf(db, ctx, (request.params as { version: string }).version);
  const { issues } = await issuesFor(db, { ...ctx.access, episodesOf: null }, v.validation);
  await audit(
    db,
    staffOf(request),
    {
      action: 'view',
      entityType: 'return',
      entityId: ctx.row!.id,
      detail: `${ctx.authority.code} ${ctx.period.label} version ${v.version}`,
    },
    request.id,
  );
  return reply.page('returns/views/version.njk', {
    title: `${ctx.authority.name}: ${ctx.period.label}, version ${v.version}`,
    backHref: returnPath(ctx.authority.code, ctx.period),
    ctx,
    path: returnPath(ctx.authority.code, ctx.period),
    v,
    tables: figureTables(v.data),
    issues,
    reasons: settingsNeedingReasons(v),
  });
}

/** The choices of a version to compare, the one shown selected. */
const versionItems = (versions: { version: number }[], chosen: StoredVersion) =>
  versions.map((v) => ({
    value: String(v.version),
    text: `Version ${v.version}`,
    selected: v.version === chosen.version,
  }));

async function showComparison(db: Database, request: FastifyRequest, reply: FastifyReply) {
  const ctx = await contextOf(db, request);
  if (!ctx.row) throw notFound('There is no return yet');
  const q = request.query as Record<string, unknown>;
  const current = ctx.row.current_version;
  const from = await versionOf(db, ctx, q.from ?? String(Math.max(1, current - 1)));
  const to = await versionOf(db, ctx, q.to ?? String(current));
  await audit(
    db,
    staffOf(request),
    {
      action: 'view',
      entityType: 'return',
      entityId: ctx.row.id,
      detail: `${ctx.authority.code} ${ctx.period.label} versions ${from.version} and ${to.version} compared`,
    },
    request.id,
  );
  const versions = await listVersions(db, ctx.row.id);
  return reply.page('returns/views/compare.njk', {
    title: `${ctx.authority.name}: ${ctx.period.label}, versions compared`,
    backHref: returnPath(ctx.authority.code, ctx.period),
    ctx,
    path: returnPath(ctx.authority.code, ctx.period),
    from,
    to,
    changes: compareVersions(from, to),
    fromItems: versionItems(versions, from),
    toItems: versionItems(versions, to),
  });
}

export function registerReturnVersionRoutes(app: FastifyInstance, { db }: Deps) {
  const config = { access: [...PAGE_ROLES] };
  app.get('/returns/:code/:year/:quarter/versions/:version', { config }, async (request, reply) =>
    showVersion(db, request, reply),
  );
  app.get('/returns/:code/:year/:quarter/compare', { config }, async (request, reply) =>
    showComparison(db, request, reply),
  );
}
