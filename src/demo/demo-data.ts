import { randomBytes } from 'node:crypto';
import type { Database } from '../db/database.ts';
import { hashPassword } from '../platform/passwords.ts';
import type { PostcodeLookup } from '../platform/postcode-lookup.ts';
import type { Clock } from '../platform/clock.ts';
import { loadDemoHistory } from './demo-history.ts';
import { loadDemoStrategies } from './demo-strategy.ts';
import { loadDemoCampaigns } from './demo-campaigns.ts';
import { loadDemoPartners } from './demo-partners.ts';
import { loadDemoIntegrated } from './demo-integrated.ts';
import { loadDemoTrajectory } from './demo-trajectory.ts';
import { loadDemoDirectory } from './demo-directory.ts';
import { loadDemoReferrals } from './demo-referrals.ts';
import { loadDemoEpisodes } from './demo-episodes.ts';
import { loadDemoWebhooks } from './demo-webhooks.ts';
import {
  insertDemoOrganisations,
  insertDemoSitesAndCommissions,
  insertDemoUsers,
} from './demo-organisations.ts';

export { DEMO_ACCOUNTS, LEEDS, MANCHESTER } from './demo-organisations.ts';

export function generateDemoPassword(): string {
  return `demo-${randomBytes(9).toString('base64url')}`;
}

export async function hasAnyOrganisation(db: Database): Promise<boolean> {
  const row = await db.selectFrom('organisations').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}

/**
 * Two local authorities with services, referrers of each kind, one account per role and referrals in
 * every state. Goes through the same services as the product, so the data obeys the same rules.
 */
export async function loadDemoData(
  db: Database,
  postcodes: PostcodeLookup,
  password: string,
  options: { clock: Clock; history?: boolean },
): Promise<void> {
  const { clock } = options;
  const today = clock.today();
  const orgs = await insertDemoOrganisations(db);
  await insertDemoSitesAndCommissions(db, orgs);
  await loadDemoDirectory(db, { leeds: orgs.leedsService, manchester: orgs.manchesterService });

  const hash = await hashPassword(password);
  const users = await insertDemoUsers(db, orgs, hash);
  const accepted = await loadDemoReferrals({ db, postcodes }, clock, orgs, users, hash);

  await loadDemoEpisodes(db, users['adviser@demo.test']!, accepted, clock);
  await loadDemoStrategies(db, today);
  await loadDemoCampaigns(db, today);
  await loadDemoPartners(db, today);
  await loadDemoWebhooks(db, orgs.leedsCouncil, users['admin@demo.test']!.id);
  if (options.history) {
    // Loaded by start and seed only: tests count the core demonstration above.
    await loadDemoIntegrated(db, password, clock);
    await loadDemoHistory(db, today);
    await loadDemoTrajectory(db, users['national.admin@demo.test']!, today);
  }
}

/** Demo accounts get the password of this run, so the one printed at start always works. */
export async function resetDemoPasswords(db: Database, password: string): Promise<number> {
  const hash = await hashPassword(password);
  const r = await db
    .updateTable('users')
    .set({ password_hash: hash })
    .where('email', 'like', '%@demo.test')
    .executeTakeFirst();
  // Waits from wrong passwords typed in an earlier run (the counts are keyed by hashes, so all of them).
  await db.deleteFrom('sign_in_throttle').execute();
  return Number(r.numUpdatedRows);
}
