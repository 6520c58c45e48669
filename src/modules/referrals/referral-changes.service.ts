// A referrer correcting the contact details of, or withdrawing, a referral their organisation sent, while
// the service has not yet accepted it (referral-status.ts referrerMayChange). Each change is an event in
// the referral's history, so the service sees who changed what, when and why.
import { inTransaction, type Database } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import { HttpError, notFound } from '../../platform/errors.ts';
import type { Actor } from '../../platform/roles.ts';
import { referralScope } from '../../platform/scope.ts';
import * as repo from './referral.repository.ts';
import { planReferralWebhooks } from './webhook-delivery.service.ts';
import {
  eventsForCorrection,
  eventsForWithdraw,
  isTransitionError,
  type NewEvent,
  type TransitionError,
} from './referral-status.ts';
import type { CorrectionInput } from './referral-changes.schemas.ts';

export type ReferrerChange = { kind: 'withdraw'; reason: string } | ({ kind: 'correct' } & CorrectionInput);

/** What changed, in words the history shows: which details, never their values. */
function correctionNote(before: { phone: string | null; email: string | null }, after: CorrectionInput) {
  const changed = [
    (before.phone ?? null) !== (after.phone ?? null) ? 'phone number' : null,
    (before.email ?? null) !== (after.email ?? null) ? 'email address' : null,
  ].filter(Boolean);
  return changed.length ? `Changed: ${changed.join(' and ')}` : 'No change to the details';
}

export async function changeReferral(
  db: Database,
  user: Actor,
  id: string,
  change: ReferrerChange,
  requestId?: string,
): Promise<void> {
  const scope = referralScope(user);
  if (scope.view !== 'referrer') throw notFound('Referral not found');
  await inTransaction(db, async (trx) => {
    const referral = await repo.findReferral(trx, scope, id);
    if (!referral) throw notFound('Referral not found');
    await repo.lockReferral(trx, id);
    const events = await repo.loadEvents(trx, id);
    const next: NewEvent[] | TransitionError =
      change.kind === 'withdraw'
        ? eventsForWithdraw(events, change.reason)
        : eventsForCorrection(events, change.reason);
    if (isTransitionError(next)) throw new HttpError(409, 'This referral cannot be changed', next.error);
    let note: string | null = null;
    if (change.kind === 'correct') {
      note = correctionNote(referral, change);
      await repo.updateContactDetails(trx, id, { phone: change.phone ?? null, email: change.email ?? null });
    }
    const appended = await repo.appendEvents(
      trx,
      id,
      next.map((e) => ({ ...e, note })),
      user.kind === 'user' ? user.id : null,
    );
    await planReferralWebhooks(trx, id, appended);
    await audit(
      trx,
      user,
      { action: 'update', entityType: 'referral', entityId: id, detail: next[0]!.kind },
      requestId,
    );
  });
}
