// Before a referral is sent, the service that will receive it (from the postcode) and its track record
// last quarter, in the words the form shows (service-track-record.ts).
import type { IsoDate } from '../../platform/dates.ts';
import { normalisePostcode } from '../../platform/postcode.ts';
import { decideForPostcode, type ReferralDeps } from './referral.service.ts';
import { trackRecordWords } from './service-track-record.ts';
import { trackRecordSql } from './service-track-record.sql.ts';

export type ReceivingService =
  { found: true; name: string; contact: string; acceptance: string } | { found: false; message: string };

export async function receivingService(
  deps: ReferralDeps,
  rawPostcode: unknown,
  today: IsoDate,
): Promise<ReceivingService> {
  const postcode = typeof rawPostcode === 'string' ? normalisePostcode(rawPostcode) : null;
  if (!postcode)
    return { found: false, message: 'Enter their postcode to see which service will receive it' };
  const decision = await decideForPostcode(deps, postcode);
  if (decision.kind !== 'refer_in_mortar') {
    return {
      found: false,
      message:
        'No service takes referrals in Mortar for this postcode. Send the form and you will be given the details to pass on.',
    };
  }
  const words = trackRecordWords(await trackRecordSql(deps.db, decision.service.organisationId, today));
  return { found: true, name: decision.service.name, ...words };
}
