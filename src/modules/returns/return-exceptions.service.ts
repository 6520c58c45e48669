// Exception reasons: a setting whose quit rate is outside the band needs a written reason before the
// return is signed off. The reasons are typed on a draft and kept with its version; the version's
// validation is redone for them (the figures never change).
import type { Database } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import { forbidden } from '../../platform/errors.ts';
import type { StaffUser } from '../../platform/roles.ts';
import { labelFor } from '../referrals/demographics.ts';
import { SETTINGS } from './return-breakdowns.ts';
import { updateVersionReasons } from './return.repository.ts';
import type { ValidationIssue } from './validation-issues.ts';
import { checkSettingExceptions, EXCEPTION_QUIT_RATE_BAND } from './validation.ts';
import {
  conflict,
  detailOf,
  loadVersion,
  lockExisting,
  MESSAGE_MAX,
  STATUS_LABELS,
  type ReturnContext,
  type StoredVersion,
} from './return.service.ts';

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
