// Pages of the quarterly return for one local authority and quarter: the return with its validation,
// exception reasons and sign-off steps, its versions and what changed between them, and its exports.
// Who may see which authority's return, and take which step, is returnAccess's (platform/scope.ts),
// through loadContext; every page read, change and export is audited.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { audit, auditMany } from '../../platform/audit.ts';
import { forbidden, HttpError, notFound } from '../../platform/errors.ts';
import type { FormErrors } from '../../platform/forms.ts';
import { authoritiesCommissioning, findAuthority } from './authority.repository.ts';
import { fileNameOf, LAYOUT_VERSION, rowsToCsv, toJson } from './csv-layout.ts';
import { publicationNote, publicationRows, publishReturn } from './publication.ts';
import {
  previousQuarters,
  quarterLabel,
  quarterOf,
  quarterRange,
  type Period,
} from '../../platform/quarters.ts';
import { figurePath, registerReturnFigureRoutes } from './return-figures.routes.ts';
import { readCounted } from './return-members.ts';
import { findCounted, listEvents, listReturnsOf, listVersions } from './return.repository.ts';
import type { Executor } from './returns.sql.ts';
import {
  assertHasStep,
  canTake,
  EVENT_LABELS,
  loadContext,
  loadVersion,
  LOCKED,
  MESSAGE_MAX,
  periodOf,
  returnPath,
  STATUS_LABELS,
  takeStep,
  type ReturnContext,
  type Step,
  type StoredVersion,
} from './return.service.ts';
import { generate } from './return-versions.service.ts';
import { saveExceptionReasons, settingsNeedingReasons } from './return-exceptions.service.ts';
import { compareVersions, figureTables, issuesFor } from './return-page.service.ts';

type Deps = { db: Database };
type Params = { code: string; year: string; quarter: string; version?: string };
type Body = Record<string, unknown>;

const PAGE_ROLES = ['service_manager', 'commissioner', 'national_analyst'] as const;

/** How many quarters the list of an authority's returns offers: this one and the ones before. */
export const QUARTERS_OFFERED = 5;

/** Banners after a step, by the `done` query value. */
const DONE: Record<string, string> = {
  generated: 'A new version of the return has been generated.',
  imported: 'The file has been loaded as a new version of the return.',
  reasons: 'The exception reasons have been saved.',
  sign_off: 'The return has been signed off. The commissioner can now approve it.',
  approve: 'The return has been approved. It can now be submitted to the national collection.',
  submit: 'The return has been submitted to the national collection.',
  reject: 'The return has been rejected and is a draft again.',
  reopen: 'The return has been reopened and is a draft again.',
};

const STEP_ROUTES: {
  path: string;
  step: Step;
  roles: readonly ('service_manager' | 'commissioner' | 'national_analyst')[];
}[] = [
  { path: 'sign-off', step: 'sign_off', roles: ['service_manager', 'commissioner'] },
  { path: 'approve', step: 'approve', roles: ['commissioner'] },
  { path: 'submit', step: 'submit', roles: ['commissioner', 'national_analyst'] },
  { path: 'reject', step: 'reject', roles: ['commissioner', 'national_analyst'] },
  { path: 'reopen', step: 'reopen', roles: ['commissioner'] },
];

const textOf = (body: Body, name: string) => {
  const v = body[name];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first.trim() : '';
};

/** The authority and quarter in the URL, with the user's access: 404 for a period that is not one. */
export async function contextOf(db: Executor, request: FastifyRequest): Promise<ReturnContext> {
  const p = request.params as Params;
  const period = periodOf(p.year, p.quarter);
  if (!period) throw notFound();
  return loadContext(db, staffOf(request), p.code, period);
}

/** The quarters a list offers, newest first: the current one and the ones before it. */
export function quartersOffered(today: string, n = QUARTERS_OFFERED): Period[] {
  const now = quarterOf(today);
  return [...previousQuarters(now, n - 1), now].reverse();
}

export function registerReturnRoutes(app: FastifyInstance, { db }: Deps) {
  registerReturnFigureRoutes(app, { db });
  // --- The list of returns ------------------------------------------------------------------------------
  app.get('/returns', { config: { access: [...PAGE_ROLES] } }, async (request, reply) => {
    const user = staffOf(request);
    if (user.role === 'national_analyst') return reply.redirect('/national/returns', 303);
    const quarters = quartersOffered(app.clock.today());
    const first = quarterRange(quarters.at(-1)!.financialYear, quarters.at(-1)!.quarter).start;
    const last = quarterRange(quarters[0]!.financialYear, quarters[0]!.quarter).end;
    let authorities: { code: string; name: string }[];
    if (user.role === 'commissioner') {
      if (!user.localAuthorityCode) throw forbidden();
      const a = await findAuthority(db, user.localAuthorityCode);
      authorities = a ? [{ code: a.code, name: a.name }] : [];
    } else {
      authorities = await authoritiesCommissioning(db, user.organisationId, first, last);
    }
    const lists = await Promise.all(
      authorities.map(async (a) => {
        const rows = await listReturnsOf(db, a.code);
        return {
          ...a,
          quarters: quarters.map((q) => {
            const row = rows.find((r) => r.financial_year === q.financialYear && r.quarter === q.quarter);
            return {
              label: quarterLabel(q.financialYear, q.quarter),
              href: returnPath(a.code, q),
              status: STATUS_LABELS[row?.status ?? 'not_started'],
              version: row?.current_version ?? null,
            };
          }),
        };
      }),
    );
    await audit(
      db,
      user,
      {
        action: 'list',
        entityType: 'return',
        detail: `returns of ${authorities.map((a) => a.code).join(', ') || 'no authority'}`,
      },
      request.id,
    );
    return reply.page('returns/views/returns.njk', { title: 'Quarterly returns', authorities: lists });
  });

  // --- One return ---------------------------------------------------------------------------------------
  const showReturn = async (
    request: FastifyRequest,
    reply: FastifyReply,
    ctx: ReturnContext,
    extra: { errors?: FormErrors; values?: Record<string, string> } = {},
  ) => {
    const user = staffOf(request);
    const row = ctx.row;
    const current =
      row && row.current_version > 0 ? await loadVersion(db, row, row.current_version) : undefined;
    const previous =
      row && row.current_version > 1 ? await loadVersion(db, row, row.current_version - 1) : undefined;
    const [events, versions] = row
      ? await Promise.all([listEvents(db, row.id), listVersions(db, row.id)])
      : [[], []];
    const { issues, linkedEpisodeIds } = current
      ? await issuesFor(db, ctx.access, current.validation)
      : { issues: [], linkedEpisodeIds: [] };
    // A service manager's figures each lead to the records they count, when the version kept them.
    const traceable =
      current && ctx.access.episodesOf && readCounted(await findCounted(db, row!.id, current.version));
    await audit(
      db,
      user,
      {
        action: 'view',
        entityType: 'return',
        entityId: row?.id ?? null,
        detail: `${ctx.authority.code} ${ctx.period.label}${current ? ` version ${current.version}` : ''}`,
      },
      request.id,
    );
    // The links to episodes show people's names: the service's own records, each read audited.
    await auditMany(db, user, 'list', 'episode', linkedEpisodeIds, request.id);
    const status = row?.status;
    const locked = status !== undefined && LOCKED.includes(status);
    const done = DONE[String((request.query as Record<string, unknown>).done ?? '')];
    const changes = current && previous ? compareVersions(previous, current) : null;
    return reply.page('returns/views/return.njk', {
      title: `${ctx.authority.name}: quarterly return ${ctx.period.label}`,
      backHref:
        user.role === 'national_analyst'
          ? `/national/returns?year=${ctx.period.financialYear}&quarter=${ctx.period.quarter}`
          : '/returns',
      ctx,
      path: returnPath(ctx.authority.code, ctx.period),
      statusLabel: STATUS_LABELS[status ?? 'not_started'],
      status: status ?? 'not_started',
      serviceNames: ctx.services.map((s) => s.name).join(', '),
      locked,
      current,
      previousVersion: previous?.version ?? null,
      changes: changes?.slice(0, 200) ?? null,
      changesMore: changes && changes.length > 200 ? changes.length - 200 : 0,
      tables: current
        ? figureTables(current.data, traceable ? { link: (f) => figurePath(ctx, current.version, f) } : {})
        : [],
      traceable: Boolean(traceable),
      errorsFound: issues.filter((i) => i.severity === 'error'),
      warningsFound: issues.filter((i) => i.severity !== 'error'),
      reasons: current ? settingsNeedingReasons(current) : [],
      events: events.map((e) => ({ ...e, label: EVENT_LABELS[e.kind] })),
      versions,
      can: {
        generate: ctx.access.generate && !locked,
        import: ctx.access.import && !locked,
        reasons: ctx.access.exceptionReasons && status === 'draft',
        signOff: canTake('sign_off', ctx.access, status),
        approve: canTake('approve', ctx.access, status),
        submit: canTake('submit', ctx.access, status),
        reject: canTake('reject', ctx.access, status),
        reopen: canTake('reopen', ctx.access, status),
      },
      blocked: current ? current.validation.some((i) => i.severity === 'error') : false,
      done,
      errors: extra.errors,
      values: extra.values ?? {},
      messageMax: MESSAGE_MAX,
    });
  };

  const config = { access: [...PAGE_ROLES] };

  app.get('/returns/:code/:year/:quarter', { config }, async (request, reply) =>
    showReturn(request, reply, await contextOf(db, request)),
  );

  /** A step refused for the return's state (409) or a missing message (400) comes back on the page, in the error summary. */
  const refused = async (
    request: FastifyRequest,
    reply: FastifyReply,
    err: unknown,
    href: string,
    values: Record<string, string> = {},
  ) => {
    if (!(err instanceof HttpError) || (err.status !== 409 && err.status !== 400)) throw err;
    const ctx = await contextOf(db, request);
    const field = href.slice(1);
    return showReturn(request, reply.code(err.status), ctx, {
      errors: { list: [{ text: err.message, href }], fields: { [field]: { text: err.message } } },
      values,
    });
  };

  app.post(
    '/returns/:code/:year/:quarter/generate',
    { config: { access: ['service_manager', 'commissioner'] } },
    async (request, reply) => {
      const ctx = await contextOf(db, request);
      if (!ctx.access.generate) throw forbidden();
      try {
        await generate(db, staffOf(request), ctx, request.id, app.clock.today());
      } catch (err) {
        return refused(request, reply, err, '#generate');
      }
      return reply.redirect(`${returnPath(ctx.authority.code, ctx.period)}?done=generated`, 303);
    },
  );

  app.post('/returns/:code/:year/:quarter/exception-reasons', { config }, async (request, reply) => {
    const ctx = await contextOf(db, request);
    if (!ctx.access.exceptionReasons) throw forbidden();
    const body = (request.body ?? {}) as Body;
    const typed: Record<string, string> = {};
    const tooLong: string[] = [];
    for (const [k, v] of Object.entries(body)) {
      if (!k.startsWith('reason-') || typeof v !== 'string') continue;
      typed[k.slice('reason-'.length)] = v;
      if (v.trim().length > MESSAGE_MAX) tooLong.push(k);
    }
    if (tooLong.length > 0) {
      const text = `Each exception reason must be ${MESSAGE_MAX} characters or fewer`;
      return showReturn(request, reply.code(400), ctx, {
        errors: {
          list: tooLong.map((k) => ({ text, href: `#${k}` })),
          fields: Object.fromEntries(tooLong.map((k) => [k, { text }])),
        },
        values: Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string')) as Record<
          string,
          string
        >,
      });
    }
    try {
      await saveExceptionReasons(db, staffOf(request), ctx, typed, request.id);
    } catch (err) {
      return refused(request, reply, err, '#exception-reasons');
    }
    return reply.redirect(`${returnPath(ctx.authority.code, ctx.period)}?done=reasons`, 303);
  });

  for (const s of STEP_ROUTES) {
    app.post(
      `/returns/:code/:year/:quarter/${s.path}`,
      { config: { access: [...s.roles] } },
      async (request, reply) => {
        const ctx = await contextOf(db, request);
        assertHasStep(ctx.access, s.step);
        const needsMessage = s.step === 'reject' || s.step === 'reopen';
        const message = needsMessage ? textOf((request.body ?? {}) as Body, 'message') : '';
        const field = `${s.path}-message`;
        if (needsMessage && (message === '' || message.length > MESSAGE_MAX)) {
          const text =
            message === ''
              ? s.step === 'reject'
                ? 'Enter why the return is rejected: the people who put it right will read it'
                : 'Enter why the return is reopened'
              : `The message must be ${MESSAGE_MAX} characters or fewer`;
          return showReturn(request, reply.code(400), ctx, {
            errors: { list: [{ text, href: `#${field}` }], fields: { [field]: { text } } },
            values: { [field]: message },
          });
        }
        try {
          await takeStep(db, staffOf(request), ctx, s.step, needsMessage ? message : null, request.id);
        } catch (err) {
          return refused(
            request,
            reply,
            err,
            `#${needsMessage ? field : s.path}`,
            needsMessage ? { [field]: message } : {},
          );
        }
        return reply.redirect(`${returnPath(ctx.authority.code, ctx.period)}?done=${s.step}`, 303);
      },
    );
  }

  // --- Versions -----------------------------------------------------------------------------------------
  const versionOf = async (ctx: ReturnContext, text: unknown): Promise<StoredVersion> => {
    const n = typeof text === 'string' && /^\d{1,6}$/.test(text) ? Number(text) : NaN;
    const v = ctx.row && Number.isInteger(n) ? await loadVersion(db, ctx.row, n) : undefined;
    if (!v) throw notFound('Version not found');
    return v;
  };

  app.get('/returns/:code/:year/:quarter/versions/:version', { config }, async (request, reply) => {
    const ctx = await contextOf(db, request);
    const v = await versionOf(ctx, (request.params as Params).version);
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
  });

  app.get('/returns/:code/:year/:quarter/compare', { config }, async (request, reply) => {
    const ctx = await contextOf(db, request);
    if (!ctx.row) throw notFound('There is no return yet');
    const q = request.query as Record<string, unknown>;
    const current = ctx.row.current_version;
    const from = await versionOf(ctx, q.from ?? String(Math.max(1, current - 1)));
    const to = await versionOf(ctx, q.to ?? String(current));
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
      fromItems: versions.map((v) => ({
        value: String(v.version),
        text: `Version ${v.version}`,
        selected: v.version === from.version,
      })),
      toItems: versions.map((v) => ({
        value: String(v.version),
        text: `Version ${v.version}`,
        selected: v.version === to.version,
      })),
    });
  });

  // --- Exports ------------------------------------------------------------------------------------------
  // The return in the documented layout (csv-layout.ts), as CSV or JSON: exact for the people with access
  // to it, or disclosure-controlled for publication (?published=1).
  for (const format of ['csv', 'json'] as const) {
    app.get(`/returns/:code/:year/:quarter/return.${format}`, { config }, async (request, reply) => {
      const ctx = await contextOf(db, request);
      if (!ctx.row) throw notFound('There is no return yet');
      const q = request.query as Record<string, unknown>;
      const v = await versionOf(ctx, q.version ?? String(ctx.row.current_version));
      // Published on its own, the return's tables are disclosure-controlled as one whole (publication.ts).
      const published = q.published === '1' ? publishReturn(v.data, ctx.authority.name) : null;
      const rows = published ? publicationRows(published) : toJson(v.data);
      await audit(
        db,
        staffOf(request),
        {
          action: 'export',
          entityType: 'return',
          entityId: ctx.row.id,
          detail: `${ctx.authority.code} ${ctx.period.label} version ${v.version} as ${format}${published ? ', disclosure-controlled for publication' : ', exact'}`,
        },
        request.id,
      );
      const name = fileNameOf(v.data, format).replace(
        `.${format}`,
        `${published ? '-published' : ''}-v${v.version}.${format}`,
      );
      reply
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('cache-control', 'no-store');
      if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(rowsToCsv(rows));
      return reply.type('application/json; charset=utf-8').send({
        layoutVersion: LAYOUT_VERSION,
        localAuthorityCode: ctx.authority.code,
        period: ctx.period.label,
        version: v.version,
        published: published !== null,
        ...(published ? { disclosure: publicationNote(published.rule) } : {}),
        rows,
      });
    });
  }
}
