import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { HttpError } from '../../platform/errors.ts';
import { codeKey, readTypedCode } from './campaign-attribution.ts';
import { findCampaignByKey } from './campaign-code.repository.ts';

// How a referral finds the campaign its code names. The referral paths resolve a code here; the
// campaigns module, above referrals, owns the campaigns themselves and their results.

type Executor = Database | Transaction<DB>;

/** A code that no campaign has: the staff form shows it against the field, the API answers 422 naming it. */
export class CampaignCodeError extends HttpError {
  readonly code: string;
  constructor(code: string) {
    const message = `There is no campaign with the code ${code}. Check the code, or leave it blank`;
    super(422, 'The campaign code is not recognised', message, {
      field: 'campaignCode',
      errors: [{ path: 'campaignCode', message }],
    });
    this.code = code;
  }
}

/** The same, in the words of a person's own form. */
export const PUBLIC_UNKNOWN_CODE_MESSAGE =
  'We do not recognise this campaign code. Check it and enter it again, or leave it blank';

export type CarriedCampaign = { id: string; code: string };

/**
 * The campaign a referral carries, from the code given with it (already read by campaignCodeField):
 * null for no code, a CampaignCodeError for a code no campaign has. Whether the referral then counts in
 * the campaign's results is decided by its date when results are read (campaign-attribution.ts), never here.
 */
export async function campaignForCode(
  db: Executor,
  code: string | undefined | null,
): Promise<CarriedCampaign | null> {
  if (!code) return null;
  const found = await findCampaignByKey(db, codeKey(code));
  if (!found) throw new CampaignCodeError(code);
  return found;
}

/**
 * A code that came in a link (/self-referral?campaign=...): the campaign, or null when the text is not a
 * code or no campaign has it. The person did not type it, so it is never an error of theirs.
 */
export async function campaignForLinkedCode(db: Executor, raw: unknown): Promise<CarriedCampaign | null> {
  if (typeof raw !== 'string') return null;
  const read = readTypedCode(raw);
  if (!read.ok) return null;
  return (await findCampaignByKey(db, read.key)) ?? null;
}
