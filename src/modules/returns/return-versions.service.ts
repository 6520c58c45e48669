// Making a new version of a return: generated from Mortar's episodes (checked twice and traced before it
// is stored) or imported from a file. Each runs in a transaction with the return's row locked and writes
// a return_events row and an audit row (return.service.ts has the workflow).
import type { Database } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import { forbidden } from '../../platform/errors.ts';
import type { StaffUser } from '../../platform/roles.ts';
import { formatDate, type IsoDate } from '../../platform/dates.ts';
import { isProvisional, type Quarter } from '../../platform/quarters.ts';
import { computeReturn, type QuarterlyReturn } from './return-definition.ts';
import { diffReturns } from './return-figures.ts';
import { checkCounted, countedOf, storeCounted } from './return-members.ts';
import { computeReturnSql } from './return-counts.repository.ts';
import { factsForReturn } from './return-facts.repository.ts';
import {
  insertEvent,
  insertVersion,
  lockOrCreateReturn,
  updateReturn,
  type ReturnRow,
} from './return.repository.ts';
import type { Executor } from './returns.sql.ts';
import { validateReturn } from './validation.ts';
import {
  conflict,
  detailOf,
  loadVersion,
  LOCKED,
  STATUS_LABELS,
  type ReturnContext,
} from './return.service.ts';

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
