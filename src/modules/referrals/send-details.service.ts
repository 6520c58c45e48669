// Sends a person who did not want a referral the details of their local service, by text or email, at
// their request (send-details.ts has the rules and the words). The number or address is used for this one
// send and never stored: what is kept is the advice record and a receipt, an outbound_messages row of kind
// self_referral_link with its status, whose reference Notify holds, and no address.
import type { Database } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import { HttpError, notFound } from '../../platform/errors.ts';
import { sendSafely, type Notifier, type NotifyLogger } from '../../platform/notify.ts';
import { planMessage } from '../../platform/outbox.ts';
import type { StaffUser } from '../../platform/roles.ts';
import { decideForPostcode, type ReferralDeps } from './referral.service.ts';
import { detailsMessage, mayNotSend, REFUSALS, type SendDetailsInput } from './send-details.ts';
import { findOwnAdvice, markReceipt, receiptsFor, SELF_REFERRAL_LINK } from './send-details.repository.ts';

export type SendDetailsDeps = ReferralDeps & { notifier: Notifier; publicUrl: string };

/** The advice record and what has been sent for it, for its page; 404 for anyone else's. */
export async function adviceAndReceipts(db: Database, user: StaffUser, adviceId: string, now: Date) {
  const advice = await findOwnAdvice(db, user.id, adviceId);
  if (!advice) throw notFound('Advice record not found');
  const receipts = await receiptsFor(db, advice.id);
  const refusal = mayNotSend({
    outcome: advice.outcome,
    recordedAt: advice.recorded_at,
    now,
    sentBefore: receipts.length,
  });
  return { advice, receipts, refusal };
}

/** Sends the details now; a refusal is a 409 with its reason. Returns whether the transport took it. */
export async function sendDetails(
  deps: SendDetailsDeps,
  user: StaffUser,
  adviceId: string,
  input: SendDetailsInput,
  ctx: { now: Date; log: NotifyLogger; requestId?: string },
): Promise<{ sent: boolean }> {
  const decision = input.postcode ? await decideForPostcode(deps, input.postcode) : null;
  const messageId = await deps.db.transaction().execute(async (trx) => {
    const advice = await findOwnAdvice(trx, user.id, adviceId, true);
    if (!advice) throw notFound('Advice record not found');
    const refusal = mayNotSend({
      outcome: advice.outcome,
      recordedAt: advice.recorded_at,
      now: ctx.now,
      sentBefore: (await receiptsFor(trx, advice.id)).length,
    });
    if (refusal) throw new HttpError(409, 'The details cannot be sent', REFUSALS[refusal]);
    const id = await planMessage(trx, {
      kind: SELF_REFERRAL_LINK,
      channel: input.how,
      dueAt: ctx.now,
      recipientOrganisationId: user.organisationId,
      facts: { advice_record_id: advice.id },
    });
    // Taken for sending at once, so the queue never picks it up: it has no address to compose from.
    await markReceipt(trx, id, 'sending', ctx.now);
    await audit(
      trx,
      user,
      {
        action: 'create',
        entityType: 'advice_record',
        entityId: advice.id,
        detail: `details sent by ${input.how}`,
      },
      ctx.requestId,
    );
    return id;
  });
  const result = await sendSafely(
    deps.notifier,
    {
      to: input.how === 'sms' ? { phone: input.phone } : { email: input.email },
      template: 'self_referral_link',
      personalisation: detailsMessage(decision, deps.publicUrl),
      reference: messageId,
    },
    ctx.log,
  );
  await markReceipt(
    deps.db,
    messageId,
    result.ok ? 'sent' : 'failed',
    ctx.now,
    result.ok ? null : 'not sent',
  );
  return { sent: result.ok };
}
