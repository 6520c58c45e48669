import type { Database } from '../../db/database.ts';
import type { StaffUser } from '../../platform/roles.ts';

/**
 * Whether the referral form offers a referrer the Very Brief Advice module: 'take' when they have never
 * passed it, 'renew' when their pass has lapsed, null when it is current. The module lives in a later
 * layer (vba-training), so the app hands its reader in, as it does the worklist's safety banner.
 */
export type TrainingOffer = 'take' | 'renew' | null;
export type TrainingOfferReader = (db: Database, user: StaffUser, today: string) => Promise<TrainingOffer>;
