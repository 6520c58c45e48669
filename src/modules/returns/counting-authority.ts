// Which local authority an episode or a referral counts for: one rule for the quarterly return, the
// service dashboard and the commissioner's dashboard (docs/domain.md, Which quarter and which authority), so
// the three never count by different definitions. The database applies the same rule as the SQL function
// counting_authority (migration 0018), which both fact views use; counting-authority.db.test.ts checks the two
// agree.
import type { IsoDate } from '../../platform/dates.ts';
import { commissionInForce } from '../organisations/commission.ts';

export type Commission = {
  id: string;
  localAuthorityCode: string;
  serviceOrganisationId: string;
  startsOn: IsoDate;
  /** The last day of the commission, or null while it runs. */
  endsOn: IsoDate | null;
};

export type Counted = {
  /** The service that ran the episode, or received the referral. */
  serviceOrganisationId: string;
  /** The authority it was recorded against: the person's own, where the referral was routed. */
  recordedAuthority: string | null;
  /** The episode's quit date, or the day (England's calendar) the referral was received. */
  on: IsoDate;
};

/**
 * The authority that commissioned the service on the day. When several did: the one it was recorded
 * against if among them, otherwise the first by code (then the first commission, by id). When none did
 * (a commission that has ended, a service nobody commissions): the one it was recorded against, so
 * nothing drops out of every return.
 */
export function countingAuthority(commissions: readonly Commission[], x: Counted): string | null {
  const candidates = commissions
    .filter((c) => c.serviceOrganisationId === x.serviceOrganisationId && commissionInForce(c, x.on))
    .sort(
      (a, b) =>
        Number(a.localAuthorityCode !== x.recordedAuthority) -
          Number(b.localAuthorityCode !== x.recordedAuthority) ||
        compareText(a.localAuthorityCode, b.localAuthorityCode) ||
        compareText(a.id, b.id),
    );
  return candidates[0]?.localAuthorityCode ?? x.recordedAuthority;
}

/** Code-point order, as PostgreSQL compares the codes ("C" collation) and lower-case uuids. */
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
