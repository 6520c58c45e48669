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
//
// This file holds which return a request is for, its stored versions and the steps of the workflow. Making
// a version is return-versions.service.ts's, exception reasons return-exceptions.service.ts's, and what the
// pages show return-page.service.ts's.
import type { Database } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import { forbidden, HttpError, notFound } from '../../platform/errors.ts';
import type { StaffUser } from '../../platform/roles.ts';
import { integratedReturnAccess, returnAccess, type ReturnAccess } from '../../platform/scope.ts';
import { isUuid } from '../../platform/validation.ts';
import type { IsoDate } from '../../platform/dates.ts';
import {
  commissionedServices,
  findAuthority,
  findIntegratedService,
  type AuthorityRow,
} from './authority.repository.ts';
import { integratedUnitKey, keyOfUrlSegment, unitOfKey, urlSegmentOfKey } from './return-unit.ts';
import {
  isFinancialYear,
  isQuarter,
  quarterLabel,
  quarterRange,
  type Period,
} from '../../platform/quarters.ts';
import type { QuarterlyReturn } from './return-definition.ts';
import {
  findReturn,
  findVersion,
  insertEvent,
  lockReturn,
  updateReturn,
  type ReturnEventKind,
  type ReturnRow,
  type ReturnStatus,
  type VersionRow,
} from './return.repository.ts';
import type { Executor } from './returns.sql.ts';
import type { ValidationIssue } from './validation-issues.ts';
import { canSignOff } from './validation.ts';

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

export const conflict = (title: string, message: string) => new HttpError(409, title, message);

/** The financial year and quarter of a URL ('2026', '1'), or null: anything else is "not found". */
export function periodOf(year: string, quarter: string): Period | null {
  if (!/^\d{4}$/.test(year) || !/^[1-4]$/.test(quarter)) return null;
  const financialYear = Number(year);
  const q = Number(quarter);
  return isFinancialYear(financialYear) && isQuarter(q) ? { financialYear, quarter: q } : null;
}

/** A return's page: `code` is its unit key, an authority's code or `integrated:<service id>`. */
export const returnPath = (code: string, p: Period) =>
  `/returns/${urlSegmentOfKey(code)}/${p.financialYear}/${p.quarter}`;

// --- Context: which return, and what this user may do with it ---------------------------------------

export type ReturnContext = {
  /**
   * Who the return is for. For an integrated-delivery return, the service as the unit: `code` is its unit
   * key (`integrated:<id>`), `name` the service's, and the region that of the authority it sits in.
   */
  authority: AuthorityRow;
  /** True for a mental health service's integrated-delivery return (return-unit.ts). */
  integrated: boolean;
  period: Period & { label: string; start: IsoDate; end: IsoDate };
  /** The stop smoking services the authority commissions in the quarter (empty: it does not use Mortar). */
  services: { id: string; name: string }[];
  access: ReturnAccess;
  row: ReturnRow | undefined;
};

/**
 * The return and quarter of a request, with the user's access: 404 for no such authority or integrated
 * service, 403 without access. `code` is the URL's segment (or a unit key).
 */
export async function loadContext(
  db: Executor,
  user: StaffUser,
  code: string,
  period: Period,
): Promise<ReturnContext> {
  const unit = unitOfKey(keyOfUrlSegment(code));
  if (unit.kind === 'integrated_service') {
    return loadIntegratedContext(db, user, unit.serviceOrganisationId, period);
  }
  if (!/^E\d{8}$/.test(code)) throw notFound('Local authority not found');
  const authority = await findAuthority(db, code);
  if (!authority) throw notFound('Local authority not found');
  const { start, end } = quarterRange(period.financialYear, period.quarter);
  const services = await commissionedServices(db, code, start, end);
  const access = returnAccess(user, { code, commissionedServiceIds: services.map((s) => s.id) });
  if (!access.see) throw forbidden();
  const row = await findReturn(db, code, period.financialYear, period.quarter);
  return { authority, integrated: false, period: periodOfContext(period), services, access, row };
}

const periodOfContext = (period: Period) => ({
  ...period,
  label: quarterLabel(period.financialYear, period.quarter),
  ...quarterRange(period.financialYear, period.quarter),
});

/** An integrated-delivery return's context: the service's own return, seen by its manager and analysts. */
async function loadIntegratedContext(
  db: Executor,
  user: StaffUser,
  serviceId: string,
  period: Period,
): Promise<ReturnContext> {
  const service = isUuid(serviceId) ? await findIntegratedService(db, serviceId) : undefined;
  if (!service) throw notFound('Service not found');
  const access = integratedReturnAccess(user, service.id);
  if (!access.see) throw forbidden();
  const key = integratedUnitKey(service.id);
  const authority = {
    code: key,
    name: service.name,
    region_code: service.region_code ?? '',
    region_name: service.region_name ?? '',
  };
  const row = await findReturn(db, key, period.financialYear, period.quarter);
  const services = [{ id: service.id, name: service.name }];
  return { authority, integrated: true, period: periodOfContext(period), services, access, row };
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

export const detailOf = (ctx: Pick<ReturnContext, 'authority' | 'period'>, what: string) =>
  `${ctx.authority.code} ${ctx.period.label}: ${what}`;

/** The return with its row locked, for a step on its current version: 409 when there is no version yet. */
export async function lockExisting(trx: Executor, ctx: ReturnContext): Promise<ReturnRow> {
  const row = await lockReturn(trx, ctx.authority.code, ctx.period.financialYear, ctx.period.quarter);
  if (!row || row.current_version === 0)
    throw conflict('There is no return yet', 'Generate or import the return first.');
  return row;
}

// --- Sign-off and the rest of the workflow ---------------------------------------------------------------

export type Step = 'sign_off' | 'approve' | 'submit' | 'reject' | 'reopen';

/** Whether the user may take the step now (status and access), for the buttons on the page and the routes. */
export function canTake(step: Step, access: ReturnAccess, status: ReturnStatus | undefined): boolean {
  switch (step) {
    case 'sign_off':
      return access.signOff && status === 'draft';
    case 'approve':
      return access.approve && status === 'signed_off';
    case 'submit':
      return (
        (status === 'draft' || status === 'signed_off' || status === 'approved') &&
        access.submitFrom.includes(status)
      );
    case 'reject':
      return (status === 'signed_off' || status === 'submitted') && access.rejectFrom.includes(status);
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
      return access.rejectFrom.length > 0;
    case 'reopen':
      return access.reopen;
  }
}

/** A user without the step at all is refused (403) before anything is read; one with it may be refused for the status (409). */
export function assertHasStep(access: ReturnAccess, step: Step): void {
  if (!hasStep(access, step)) throw forbidden();
}
