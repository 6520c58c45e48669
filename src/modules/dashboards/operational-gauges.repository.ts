// Counts of work waiting across every service, for the operators' metrics (platform/metrics.ts): no
// scope, no names, only numbers. Each count is the same rule the service manager's dashboard applies to
// one service.
import type { Database } from '../../db/database.ts';
import type { IsoDate } from '../../platform/dates.ts';
import type { ReferralStatus } from '../referrals/referral-status.ts';

/**
 * Referrals whose current status is one of `statuses`, counted by status: from the status each referral
 * is kept at by migration 0048's triggers (deriveStatus's rule), so a scrape reads the few waiting rows
 * through their partial index instead of every referral's events.
 */
export async function referralCountsByStatus(db: Database, statuses: readonly ReferralStatus[]) {
  return db
    .selectFrom('referral_current_status as s')
    .select((eb) => [
      eb.ref('s.status').$castTo<ReferralStatus>().as('status'),
      eb.fn.countAll<number>().as('n'),
    ])
    .where('s.status', 'in', statuses)
    .groupBy('s.status')
    .execute();
}

/**
 * Open episodes (not closed, no four-week outcome: openEpisodes in service-dashboard.repository.ts)
 * whose quit date falls from `first` to `last`, counted by quit date.
 */
export async function openEpisodesByQuitDate(db: Database, first: IsoDate, last: IsoDate) {
  return db
    .selectFrom('episodes as e')
    .leftJoin('episode_outcomes as o', 'o.episode_id', 'e.id')
    .select((eb) => [
      eb.fn<string>('to_char', [eb.ref('e.quit_date'), eb.val('YYYY-MM-DD')]).as('quit_date'),
      eb.fn.countAll<number>().as('n'),
    ])
    .where('e.closed_at', 'is', null)
    .where('o.episode_id', 'is', null)
    .where('e.quit_date', '>=', first)
    .where('e.quit_date', '<=', last)
    .groupBy('e.quit_date')
    .execute();
}
