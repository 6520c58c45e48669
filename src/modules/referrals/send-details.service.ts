// Sends a person who did not want a referral the details of their local service, by text or email, at
// their request (send-details.ts has the rules and the words). The number or address is used for this one
// send and never stored: what is kept is the advice record and a receipt, an outbound_messages row of kind
// self_referral_link with its status and Notify's id, whose reference Notify holds, and no address. Two
// forms sent at the same moment could both pass the count before either is sent (sendNow plans its row
// after this check commits): at most one more message, to an address the person gave.
import type { Database } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import { HttpError, notFound } from '../../platform/errors.ts';
import type { NotifyLogger } from '../../platform/notify.ts';
import { sendNow, type SenderDeps } from '../../platform/outbox-sender.ts';
import type { StaffUser } from '../../platform/roles.ts';
import { decideForPostcode, type ReferralDeps } from './referral.service.ts';
import { detailsMessage, mayNotSend, REFUSALS, type SendDetailsInput } from './send-details.ts';
import { findOwnAdvice, receiptsFor, SELF_REFERRAL_LINK } from './send-details.repository.ts';

export type SendDetailsDeps = ReferralDeps & Omit<SenderDeps, 'log'>;

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

/**
 * Sends the details now, through the sender's sendNow (the outbox row is the receipt, Notify's reference
 * its id); a refusal is a 409 with its reason. Returns whether the transport took it.
 */
export async function sendDetails(
  deps: SendDetailsDeps,
  user: StaffUser,
  adviceId: string,
  input: SendDetailsInput,
  ctx: { log: NotifyLogger; requestId?: string },
): Promise<{ sent: boolean }> {
  const decision = input.postcode ? await decideForPostcode(deps, input.postcode) : null;
  const advice = await deps.db.transaction().execute(async (trx) => {
    const found = await findOwnAdvice(trx, user.id, adviceId, true);
    if (!found) throw notFound('Advice record not found');
    const refusal = mayNotSend({
      outcome: found.outcome,
      recordedAt: found.recorded_at,
      now: deps.clock.now(),
      sentBefore: (await receiptsFor(trx, found.id)).length,
    });
    if (refusal) throw new HttpError(409, 'The details cannot be sent', REFUSALS[refusal]);
    await audit(
      trx,
      user,
      {
        action: 'create',
        entityType: 'advice_record',
        entityId: found.id,
        detail: `details sent by ${input.how}`,
      },
      ctx.requestId,
    );
    return found;
  });
  const result = await sendNow(
    { ...deps, log: ctx.log },
    {
      kind: SELF_REFERRAL_LINK,
      channel: input.how,
      recipientOrganisationId: user.organisationId,
      facts: { advice_record_id: advice.id },
    },
    {
      to: input.how === 'sms' ? input.phone : input.email,
      template: 'self_referral_link',
      personalisation: detailsMessage(decision, deps.publicUrl),
    },
  );
  return { sent: result.ok };
}
