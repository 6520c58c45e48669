// The page of the quarterly return for one local authority and quarter: the return with its validation,
// exception reasons and sign-off steps. Its versions (return-versions.routes.ts), exports
// (return-export.routes.ts), figures' records (return-figures.routes.ts) and import from a file
// (return-import.routes.ts) have their own pages. Who may see which authority's return, and take which
// step, is returnAccess's (platform/scope.ts), through loadContext; every page read and change is audited.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { audit, auditMany } from '../../platform/audit.ts';
import { forbidden, HttpError, notFound } from '../../platform/errors.ts';
import type { FormErrors } from '../../platform/forms.ts';
import type { StaffUser } from '../../platform/roles.ts';
import { figurePath } from './return-figures.routes.ts';
import { loadReturnPage, type ReturnPage } from './return-page.service.ts';
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
import { compareVersions, figureTables } from './return-page.service.ts';

type Deps = { db: Database };
type Params = { code: string; year: string; quarter: string; version?: string };
type Body = Record<string, unknown>;
type Extra = { errors?: FormErrors; values?: Record<string, string> };

/** The roles that see a return's pages; which authority's, returnAccess decides. */
export const PAGE_ROLES = ['service_manager', 'commissioner', 'national_analyst'] as const;

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

/** The banner after a step: an integrated return goes from its manager's sign-off to a national analyst. */
const doneBanner = (ctx: ReturnContext, done: string): string | undefined =>
  ctx.integrated && done === 'sign_off'
    ? 'The return has been signed off. A national analyst can now submit it to the national collection.'
    : DONE[done];

type StepRoute = { path: string; step: Step; roles: readonly (typeof PAGE_ROLES)[number][] };

const STEP_ROUTES: StepRoute[] = [
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

/** The version a URL or query names (a number), or 404. */
export async function versionOf(db: Executor, ctx: ReturnContext, text: unknown): Promise<StoredVersion> {
  const n = typeof text === 'string' && /^\d{1,6}$/.test(text) ? Number(text) : NaN;
  const v = ctx.row && Number.isInteger(n) ? await loadVersion(db, ctx.row, n) : undefined;
  if (!v) throw notFound('Version not found');
  return v;
}

/** What the return page shows of the return: its status, versions, figures, checks and the steps open to the user. */
function returnView(user: StaffUser, ctx: ReturnContext, page: ReturnPage) {
  const { current, previous } = page;
  const status = ctx.row?.status;
  const locked = status !== undefined && LOCKED.includes(status);
  const changes = current && previous ? compareVersions(previous, current) : null;
  return {
    title: ctx.integrated
      ? `${ctx.authority.name}: integrated-delivery return ${ctx.period.label}`
      : `${ctx.authority.name}: quarterly return ${ctx.period.label}`,
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
      ? figureTables(current.data, page.traceable ? { link: (f) => figurePath(ctx, current.version, f) } : {})
      : [],
    traceable: page.traceable,
    errorsFound: page.issues.filter((i) => i.severity === 'error'),
    warningsFound: page.issues.filter((i) => i.severity !== 'error'),
    reasons: current ? settingsNeedingReasons(current) : [],
    events: page.events.map((e) => ({ ...e, label: EVENT_LABELS[e.kind] })),
    versions: page.versions,
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
  };
}

/** The return page, with a form's errors and what was typed when a form comes back. */
async function showReturn(
  db: Database,
  request: FastifyRequest,
  reply: FastifyReply,
  ctx: ReturnContext,
  extra: Extra = {},
) {
  const user = staffOf(request);
  const page = await loadReturnPage(db, ctx);
  const version = page.current ? ` version ${page.current.version}` : '';
  await audit(
    db,
    user,
    {
      action: 'view',
      entityType: 'return',
      entityId: ctx.row?.id ?? null,
      detail: `${ctx.authority.code} ${ctx.period.label}${version}`,
    },
    request.id,
  );
  // The links to episodes show people's names: the service's own records, each read audited.
  await auditMany(db, user, 'list', 'episode', page.linkedEpisodeIds, request.id);
  return reply.page('returns/views/return.njk', {
    ...returnView(user, ctx, page),
    done: doneBanner(ctx, String((request.query as Record<string, unknown>).done ?? '')),
    errors: extra.errors,
    values: extra.values ?? {},
    messageMax: MESSAGE_MAX,
  });
}

/** A step refused for the return's state (409) or a missing message (400) comes back on the page, in the error summary. */
async function refused(
  db: Database,
  request: FastifyRequest,
  reply: FastifyReply,
  err: unknown,
  href: string,
  values: Record<string, string> = {},
) {
  if (!(err instanceof HttpError) || (err.status !== 409 && err.status !== 400)) throw err;
  const ctx = await contextOf(db, request);
  const field = href.slice(1);
  return showReturn(db, request, reply.code(err.status), ctx, {
    errors: { list: [{ text: err.message, href }], fields: { [field]: { text: err.message } } },
    values,
  });
}

const doneAt = (ctx: ReturnContext, done: string) =>
  `${returnPath(ctx.authority.code, ctx.period)}?done=${done}`;

async function generateVersion(db: Database, request: FastifyRequest, reply: FastifyReply, today: string) {
  const ctx = await contextOf(db, request);
  if (!ctx.access.generate) throw forbidden();
  try {
    await generate(db, staffOf(request), ctx, request.id, today);
  } catch (err) {
    return refused(db, request, reply, err, '#generate');
  }
  return reply.redirect(doneAt(ctx, 'generated'), 303);
}

async function saveReasons(db: Database, request: FastifyRequest, reply: FastifyReply) {
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
    return showReturn(db, request, reply.code(400), ctx, {
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
    return refused(db, request, reply, err, '#exception-reasons');
  }
  return reply.redirect(doneAt(ctx, 'reasons'), 303);
}

/** What a missing or too long message says: rejecting and reopening each need one. */
const messageProblem = (step: Step, message: string) =>
  message === ''
    ? step === 'reject'
      ? 'Enter why the return is rejected: the people who put it right will read it'
      : 'Enter why the return is reopened'
    : `The message must be ${MESSAGE_MAX} characters or fewer`;

async function takeStepOf(s: StepRoute, db: Database, request: FastifyRequest, reply: FastifyReply) {
  const ctx = await contextOf(db, request);
  assertHasStep(ctx.access, s.step);
  const needsMessage = s.step === 'reject' || s.step === 'reopen';
  const message = needsMessage ? textOf((request.body ?? {}) as Body, 'message') : '';
  const field = `${s.path}-message`;
  if (needsMessage && (message === '' || message.length > MESSAGE_MAX)) {
    const text = messageProblem(s.step, message);
    return showReturn(db, request, reply.code(400), ctx, {
      errors: { list: [{ text, href: `#${field}` }], fields: { [field]: { text } } },
      values: { [field]: message },
    });
  }
  try {
    await takeStep(db, staffOf(request), ctx, s.step, needsMessage ? message : null, request.id);
  } catch (err) {
    const values = needsMessage ? { [field]: message } : {};
    return refused(db, request, reply, err, `#${needsMessage ? field : s.path}`, values);
  }
  return reply.redirect(doneAt(ctx, s.step), 303);
}

export function registerReturnRoutes(app: FastifyInstance, { db }: Deps) {
  const config = { access: [...PAGE_ROLES] };
  app.get('/returns/:code/:year/:quarter', { config }, async (request, reply) =>
    showReturn(db, request, reply, await contextOf(db, request)),
  );
  app.post(
    '/returns/:code/:year/:quarter/generate',
    { config: { access: ['service_manager', 'commissioner'] } },
    async (request, reply) => generateVersion(db, request, reply, app.clock.today()),
  );
  app.post('/returns/:code/:year/:quarter/exception-reasons', { config }, async (request, reply) =>
    saveReasons(db, request, reply),
  );
  for (const s of STEP_ROUTES) {
    app.post(
      `/returns/:code/:year/:quarter/${s.path}`,
      { config: { access: [...s.roles] } },
      async (request, reply) => takeStepOf(s, db, request, reply),
    );
  }
}
