// The quarterly return's workflow for one local authority and quarter: generate (or import) a version,
// validate it, give exception reasons, sign off, approve, submit, reject, reopen; and what the return page
// shows. Who may do what is returnAccess's (platform/scope.ts); the order of the steps is here. Every
// step runs in a transaction with the return's row locked, writes a return_events row and an audit row.
//
//   draft --sign off--> signed_off --approve--> approved --submit--> submitted
//     ^                    |  (commissioner rejects)                   |  (national analyst rejects)
//     +--------------------+-------------------------------------------+
//   approved and submitted are locked (no new version) until the commissioner reopens them (with a reason).
//   Regenerating a signed-off return makes a new version, so it goes back to draft to be signed off again.
import type { Database } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import { forbidden, HttpError, notFound } from '../../platform/errors.ts';
import type { StaffUser } from '../../platform/roles.ts';
import { returnAccess, type ReturnAccess } from '../../platform/scope.ts';
import { formatDate, type IsoDate } from '../../platform/dates.ts';
import { commissionedServices, findAuthority, type AuthorityRow } from './authority.repository.ts';
import { labelFor } from '../referrals/demographics.ts';
import { discloseReturn, formatDisclosed, type TableDisclosureOptions } from './disclosure.ts';
import { tablesOf, type FigureTable } from './figure-tables.ts';
import {
  isFinancialYear,
  isProvisional,
  isQuarter,
  quarterLabel,
  quarterRange,
  type Period,
  type Quarter,
} from '../../platform/quarters.ts';
import { MEASURE_LABELS, type EpisodeFact } from './return-measures.ts';
import { BREAKDOWNS, SETTINGS } from './return-breakdowns.ts';
import { computeReturn, type QuarterlyReturn } from './return-definition.ts';
import { diffReturns, type FigureChange } from './return-figures.ts';
import { checkCounted, countedOf, storeCounted, type FigureRef } from './return-members.ts';
import { computeReturnSql } from './return-counts.repository.ts';
import { factsForReturn } from './return-facts.repository.ts';
import { episodesOfService } from './return-records.repository.ts';
import {
  findReturn,
  findVersion,
  insertEvent,
  insertVersion,
  lockOrCreateReturn,
  lockReturn,
  updateReturn,
  updateVersionReasons,
  type ReturnEventKind,
  type ReturnRow,
  type ReturnStatus,
  type VersionRow,
} from './return.repository.ts';
import type { Executor } from './returns.sql.ts';
import type { ValidationIssue } from './validation-issues.ts';
import {
  canSignOff,
  checkSettingExceptions,
  EXCEPTION_QUIT_RATE_BAND,
  validateReturn,
} from './validation.ts';

export type { ReturnStatus };

export const STATUS_LABELS: Record<ReturnStatus | 'not_started', string> = {
  not_started: 'Not started',
  draft: 'Draft',
  signed_off: 'Signed off',
  approved: 'Approved',
  submitted: 'Submitted',
};

export const EVENT_LABELS: Record<ReturnEventKind, string> = {
  generated: 'Generated from Mortar',
  imported: 'Imported from a file',
  signed_off: 'Signed off',
  approved: 'Approved',
  submitted: 'Submitted to the national collection',
  rejected: 'Rejected, back to draft',
  reopened: 'Reopened, back to draft',
};

/** Approved and submitted returns take no new version until they are reopened. */
export const LOCKED: readonly ReturnStatus[] = ['approved', 'submitted'];

/** The longest rejection message, reopening reason or exception reason kept. */
export const MESSAGE_MAX = 2000;

const conflict = (title: string, message: string) => new HttpError(409, title, message);

/** The financial year and quarter of a URL ('2026', '1'), or null: anything else is "not found". */
export function periodOf(year: string, quarter: string): Period | null {
  if (!/^\d{4}$/.test(year) || !/^[1-4]$/.test(quarter)) return null;
  const financialYear = Number(year);
  const q = Number(quarter);
  return isFinancialYear(financialYear) && isQuarter(q) ? { financialYear, quarter: q } : null;
}

export const returnPath = (code: string, p: Period) => `/returns/${code}/${p.financialYear}/${p.quarter}`;

// --- Context: which return, and what this user may do with it ---------------------------------------

export type ReturnContext = {
  authority: AuthorityRow;
  period: Period & { label: string; start: IsoDate; end: IsoDate };
  /** The stop smoking services the authority commissions in the quarter (empty: it does not use Mortar). */
  services: { id: string; name: string }[];
  access: ReturnAccess;
  row: ReturnRow | undefined;
};

/** The authority and quarter of a request, with the user's access: 404 for no such authority, 403 without access. */
export async function loadContext(
  db: Executor,
  user: StaffUser,
  code: string,
  period: Period,
): Promise<ReturnContext> {
  if (!/^E\d{8}$/.test(code)) throw notFound('Local authority not found');
  const authority = await findAuthority(db, code);
  if (!authority) throw notFound('Local authority not found');
  const { start, end } = quarterRange(period.financialYear, period.quarter);
  const services = await commissionedServices(db, code, start, end);
  const access = returnAccess(user, { code, commissionedServiceIds: services.map((s) => s.id) });
  if (!access.see) throw forbidden();
  const row = await findReturn(db, code, period.financialYear, period.quarter);
  return {
    authority,
    period: { ...period, label: quarterLabel(period.financialYear, period.quarter), start, end },
    services,
    access,
    row,
  };
}

export type StoredVersion = {
  version: number;
  provisional: boolean;
  data: QuarterlyReturn;
  validation: ValidationIssue[];
  reasons: Record<string, string>;
  generatedAt: Date;
  generatedByName: string | null;
};

function stored(v: VersionRow): StoredVersion {
  return {
    version: v.version,
    provisional: v.provisional,
    data: v.data as QuarterlyReturn,
    validation: (v.validation ?? []) as ValidationIssue[],
    reasons: (v.exception_reasons ?? {}) as Record<string, string>,
    generatedAt: v.generated_at,
    generatedByName: v.generated_by_name,
  };
}

export async function loadVersion(
  db: Executor,
  row: ReturnRow,
  version: number,
): Promise<StoredVersion | undefined> {
  const v = await findVersion(db, row.id, version);
  return v ? stored(v) : undefined;
}

/** Errors first, each group in the order the checks found them. */
const errorsFirst = (issues: ValidationIssue[]) => [
  ...issues.filter((i) => i.severity === 'error'),
  ...issues.filter((i) => i.severity !== 'error'),
];

/** A version's validation with the exception-reason checks redone for these reasons (the figures never change). */
export function revalidate(
  v: Pick<StoredVersion, 'data' | 'validation'>,
  reasons: Record<string, string>,
): ValidationIssue[] {
  const kept = v.validation.filter(
    (i) => i.code !== 'setting_exception_reason_missing' && i.code !== 'setting_exception_reason_not_needed',
  );
  return errorsFirst([...kept, ...checkSettingExceptions(v.data, reasons)]);
}

const detailOf = (ctx: Pick<ReturnContext, 'authority' | 'period'>, what: string) =>
  `${ctx.authority.code} ${ctx.period.label}: ${what}`;

// --- Generating and importing versions ---------------------------------------------------------------

function assertNotLocked(row: ReturnRow | undefined) {
  if (row && LOCKED.includes(row.status)) {
    throw conflict(
      'This return is locked',
      `The return is ${STATUS_LABELS[row.status].toLowerCase()}, so it is locked: the commissioner must reopen it, giving a reason, before a new version can be made.`,
    );
  }
}

/** Reasons carried into a new version: the previous version's, so nobody types them again. */
async function previousReasons(trx: Executor, row: ReturnRow): Promise<Record<string, string>> {
  if (row.current_version === 0) return {};
  return (await loadVersion(trx, row, row.current_version))?.reasons ?? {};
}

/**
 * A new version computed from Mortar's episodes as known today. The figures come from the SQL that works
 * at scale; the same figures are computed again by the pure definition from the facts behind them, and a
 * version whose two computations disagree is refused rather than stored (a wrong count must never reach
 * a return). Returns the new version's number.
 */
export async function generate(
  db: Database,
  user: StaffUser,
  ctx: ReturnContext,
  requestId: string | undefined,
  asOf: IsoDate,
): Promise<number> {
  if (!ctx.access.generate) throw forbidden();
  const req = { financialYear: ctx.period.financialYear, quarter: ctx.period.quarter as Quarter, asOf };
  if (asOf < ctx.period.start) {
    throw conflict(
      'This quarter has not started',
      `${ctx.period.label} starts on ${formatDate(ctx.period.start)}: there is nothing to count yet.`,
    );
  }
  return db.transaction().execute(async (trx) => {
    const row = await lockOrCreateReturn(trx, ctx.authority.code, req.financialYear, req.quarter, 'mortar');
    assertNotLocked(row);
    const ret = await computeReturnSql(trx, ctx.authority.code, req);
    const facts = await factsForReturn(trx, ctx.authority.code, req);
    const input = { ...facts, localAuthorityCode: ctx.authority.code, ...req };
    const check = computeReturn(input);
    const disagreements = diffReturns(check, ret);
    if (disagreements.length > 0) {
      throw new Error(
        `Return ${ctx.authority.code} ${ctx.period.label}: the SQL and the definition disagree on ${disagreements.length} figures`,
      );
    }
    // Every figure must list exactly what it counts: a figure that could not be traced is never stored.
    const counted = countedOf(input);
    const untraced = checkCounted(ret, counted);
    if (untraced.length > 0) {
      throw new Error(
        `Return ${ctx.authority.code} ${ctx.period.label}: ${untraced.length} figures do not match the records behind them`,
      );
    }
    const reasons = await previousReasons(trx, row);
    const validation = validateReturn({ ret, episodes: facts.episodes, exceptionReasons: reasons });
    const version = row.current_version + 1;
    await insertVersion(trx, {
      returnId: row.id,
      version,
      provisional: ret.provisional,
      data: ret,
      validation,
      exceptionReasons: reasons,
      generatedBy: user.id,
      counted: storeCounted(counted),
    });
    await updateReturn(trx, row.id, { current_version: version, status: 'draft', source: 'mortar' });
    const wasSignedOff = row.status === 'signed_off';
    await insertEvent(trx, {
      returnId: row.id,
      kind: 'generated',
      version,
      message: wasSignedOff
        ? `Version ${row.current_version} had been signed off; this version needs signing off again.`
        : null,
      actorUserId: user.id,
    });
    await audit(
      trx,
      user,
      {
        action: 'create',
        entityType: 'return',
        entityId: row.id,
        detail: detailOf(ctx, `version ${version} generated as of ${asOf}`),
      },
      requestId,
    );
    return version;
  });
}

/** A new version from a file in the return layout, already read (csv-layout.ts fromCsv) and found well formed. */
export async function storeImported(
  db: Database,
  user: StaffUser,
  ctx: ReturnContext,
  ret: QuarterlyReturn,
  requestId?: string,
): Promise<number> {
  if (!ctx.access.import) throw forbidden();
  return db.transaction().execute(async (trx) => {
    const row = await lockOrCreateReturn(
      trx,
      ctx.authority.code,
      ctx.period.financialYear,
      ctx.period.quarter,
      'import',
    );
    assertNotLocked(row);
    const reasons = await previousReasons(trx, row);
    const validation = validateReturn({ ret, exceptionReasons: reasons });
    const version = row.current_version + 1;
    await insertVersion(trx, {
      returnId: row.id,
      version,
      provisional: isProvisional(ctx.period.quarter),
      data: ret,
      validation,
      exceptionReasons: reasons,
      generatedBy: user.id,
    });
    await updateReturn(trx, row.id, { current_version: version, status: 'draft', source: 'import' });
    await insertEvent(trx, {
      returnId: row.id,
      kind: 'imported',
      version,
      message: null,
      actorUserId: user.id,
    });
    await audit(
      trx,
      user,
      {
        action: 'create',
        entityType: 'return',
        entityId: row.id,
        detail: detailOf(ctx, `version ${version} imported from a file`),
      },
      requestId,
    );
    return version;
  });
}

// --- Exception reasons --------------------------------------------------------------------------------

/** The settings of a version whose quit rate needs a written reason, with the rate and any reason given. */
export function settingsNeedingReasons(v: Pick<StoredVersion, 'data' | 'reasons'>) {
  const band = EXCEPTION_QUIT_RATE_BAND;
  return Object.entries(v.data.breakdowns.setting ?? {})
    .filter(
      ([, c]) =>
        c.setQuitDate > 0 &&
        (c.quitSelfReported * 100 <= band.low * c.setQuitDate ||
          c.quitSelfReported * 100 >= band.high * c.setQuitDate),
    )
    .map(([code, c]) => ({
      code,
      label: labelFor(SETTINGS, code),
      quits: c.quitSelfReported,
      setQuitDate: c.setQuitDate,
      rate: Math.round((c.quitSelfReported * 100) / c.setQuitDate),
      reason: v.reasons[code] ?? '',
    }));
}

/** Saves the reasons typed for the current version (draft only) and redoes its validation. */
export async function saveExceptionReasons(
  db: Database,
  user: StaffUser,
  ctx: ReturnContext,
  typed: Record<string, string>,
  requestId?: string,
): Promise<void> {
  if (!ctx.access.exceptionReasons) throw forbidden();
  await db.transaction().execute(async (trx) => {
    const row = await lockExisting(trx, ctx);
    if (row.status !== 'draft') {
      throw conflict(
        'Exception reasons cannot change now',
        `The return is ${STATUS_LABELS[row.status].toLowerCase()}: reasons can only change while it is a draft.`,
      );
    }
    const v = (await loadVersion(trx, row, row.current_version))!;
    const reasons: Record<string, string> = {};
    for (const s of settingsNeedingReasons(v)) {
      const text = (typed[s.code] ?? '').trim();
      if (text) reasons[s.code] = text.slice(0, MESSAGE_MAX);
    }
    await updateVersionReasons(trx, row.id, row.current_version, reasons, revalidate(v, reasons));
    await audit(
      trx,
      user,
      {
        action: 'update',
        entityType: 'return',
        entityId: row.id,
        detail: detailOf(
          ctx,
          `exception reasons for version ${row.current_version}: ${Object.keys(reasons).join(', ') || 'none'}`,
        ),
      },
      requestId,
    );
  });
}

// --- Sign-off and the rest of the workflow ---------------------------------------------------------------

async function lockExisting(trx: Executor, ctx: ReturnContext): Promise<ReturnRow> {
  const row = await lockReturn(trx, ctx.authority.code, ctx.period.financialYear, ctx.period.quarter);
  if (!row || row.current_version === 0)
    throw conflict('There is no return yet', 'Generate or import the return first.');
  return row;
}

export type Step = 'sign_off' | 'approve' | 'submit' | 'reject' | 'reopen';

/** Whether the user may take the step now (status and access), for the buttons on the page and the routes. */
export function canTake(step: Step, access: ReturnAccess, status: ReturnStatus | undefined): boolean {
  switch (step) {
    case 'sign_off':
      return access.signOff && status === 'draft';
    case 'approve':
      return access.approve && status === 'signed_off';
    case 'submit':
      return (status === 'draft' || status === 'approved') && access.submitFrom.includes(status);
    case 'reject':
      return access.rejectFrom !== null && status === access.rejectFrom;
    case 'reopen':
      return access.reopen && status !== undefined && LOCKED.includes(status);
  }
}

const STEP_TO: Record<Step, { status: ReturnStatus; event: ReturnEventKind; words: string }> = {
  sign_off: { status: 'signed_off', event: 'signed_off', words: 'signed off' },
  approve: { status: 'approved', event: 'approved', words: 'approved' },
  submit: { status: 'submitted', event: 'submitted', words: 'submitted' },
  reject: { status: 'draft', event: 'rejected', words: 'rejected' },
  reopen: { status: 'draft', event: 'reopened', words: 'reopened' },
};

/**
 * Takes a step of the workflow on the current version. Sign-off and submission need a version with no
 * validation errors; rejecting and reopening need a message (why), which the event keeps.
 */
export async function takeStep(
  db: Database,
  user: StaffUser,
  ctx: ReturnContext,
  step: Step,
  message: string | null,
  requestId?: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    assertHasStep(ctx.access, step);
    const row = await lockExisting(trx, ctx);
    if (!canTake(step, ctx.access, row.status)) {
      throw conflict(
        `The return cannot be ${STEP_TO[step].words} now`,
        `The return is ${STATUS_LABELS[row.status].toLowerCase()}, so you cannot make it ${STEP_TO[step].words} now.`,
      );
    }
    const v = (await loadVersion(trx, row, row.current_version))!;
    if ((step === 'sign_off' || step === 'submit') && !canSignOff(v.validation)) {
      throw conflict(
        `The return cannot be ${STEP_TO[step].words} yet`,
        'The return has errors to put right first: they are listed at the top of the page.',
      );
    }
    if ((step === 'reject' || step === 'reopen') && !message) {
      throw new HttpError(
        400,
        step === 'reject' ? 'Say why the return is rejected' : 'Say why the return is reopened',
      );
    }
    await updateReturn(trx, row.id, { status: STEP_TO[step].status });
    await insertEvent(trx, {
      returnId: row.id,
      kind: STEP_TO[step].event,
      version: row.current_version,
      message,
      actorUserId: user.id,
    });
    await audit(
      trx,
      user,
      {
        action: 'update',
        entityType: 'return',
        entityId: row.id,
        detail: detailOf(ctx, `version ${row.current_version} ${STEP_TO[step].words}`),
      },
      requestId,
    );
  });
}

function hasStep(access: ReturnAccess, step: Step): boolean {
  switch (step) {
    case 'sign_off':
      return access.signOff;
    case 'approve':
      return access.approve;
    case 'submit':
      return access.submitFrom.length > 0;
    case 'reject':
      return access.rejectFrom !== null;
    case 'reopen':
      return access.reopen;
  }
}

/** A user without the step at all is refused (403) before anything is read; one with it may be refused for the status (409). */
export function assertHasStep(access: ReturnAccess, step: Step): void {
  if (!hasStep(access, step)) throw forbidden();
}

// --- What the pages show ------------------------------------------------------------------------------------

export type { FigureRow, FigureTable } from './figure-tables.ts';

/**
 * The return as tables for a page: the totals, then each breakdown, every category with its counts and
 * two rates (quit rate, and the share of quits CO-verified: docs/domain.md, Four-week outcome, says show
 * both, always). Exact, or disclosure-controlled with `disclose` (rates then from the rounded figures, as
 * discloseRate does).
 */
export function figureTables(
  ret: QuarterlyReturn,
  opts: { disclose?: TableDisclosureOptions; link?: (f: FigureRef) => string | null } = {},
): FigureTable[] {
  // Links only on exact figures: a published count must not lead to what it hides.
  if (opts.disclose) return tablesOf(discloseReturn(ret, opts.disclose));
  return tablesOf(ret, opts.link);
}

export type ChangeRow = {
  where: string;
  category: string;
  measure: string;
  previous: string;
  current: string;
};

/** The changes between two versions, in words. */
export function describeChanges(changes: FigureChange[]): ChangeRow[] {
  return changes.map((c) => ({
    where: c.breakdown === 'total' ? 'Totals' : BREAKDOWNS[c.breakdown].label,
    category: c.breakdown === 'total' ? 'Everyone' : labelFor(BREAKDOWNS[c.breakdown].categories, c.category),
    measure: MEASURE_LABELS[c.measure],
    previous: formatDisclosed(c.previous),
    current: formatDisclosed(c.current),
  }));
}

export function compareVersions(a: StoredVersion, b: StoredVersion): ChangeRow[] {
  return describeChanges(diffReturns(a.data, b.data));
}

export type IssueView = Omit<ValidationIssue, 'episodeIds'> & {
  links: { href: string; text: string }[];
  /** For a service's own staff: how many of the episodes behind the issue are another service's. */
  othersCount: number;
};

/** Where on an episode each item is put right: the assessment asks the person's details, the plan the support. */
const FIX_AT: Partial<Record<keyof EpisodeFact, string>> = {
  sex: '/assessment',
  genderSameAsBirth: '/assessment',
  ethnicCategory: '/assessment',
  pregnant: '/assessment',
  freePrescriptions: '/assessment',
  nsSec: '/assessment',
  sexualOrientation: '/assessment',
  mentalHealth: '/assessment',
  inTalkingTherapies: '/assessment',
  interventionType: '/plan',
  setting: '/plan',
  aids: '/plan',
};

/**
 * The validation to show: every issue with its count; for a user whose service runs the episodes behind
 * an issue, links to those episodes to put them right (their own records only). Nobody else is given an
 * episode's id or a person's name.
 */
export async function issuesFor(
  db: Executor,
  access: ReturnAccess,
  issues: ValidationIssue[],
): Promise<{ issues: IssueView[]; linkedEpisodeIds: string[] }> {
  const ids = [...new Set(issues.flatMap((i) => i.episodeIds ?? []))];
  const own = access.episodesOf ? await episodesOfService(db, access.episodesOf, ids) : [];
  const byId = new Map(own.map((e) => [e.id, e]));
  const views = issues.map(({ episodeIds, ...issue }) => {
    const at = (issue.where.item && FIX_AT[issue.where.item]) ?? '';
    const links = (episodeIds ?? [])
      .map((id) => byId.get(id))
      .filter((e) => e !== undefined)
      .map((e) => ({ href: `/episodes/${e.id}${at}`, text: `${e.given_name} ${e.family_name}` }));
    const othersCount = access.episodesOf ? (episodeIds ?? []).length - links.length : 0;
    return { ...issue, links, othersCount };
  });
  return { issues: views, linkedEpisodeIds: own.map((e) => e.id) };
}
