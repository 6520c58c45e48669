import type { Database } from '../db/database.ts';
import { addDays, type IsoDate } from '../platform/dates.ts';
import { insertCampaign } from '../modules/campaigns/campaign.repository.ts';

export const YORKSHIRE_AND_THE_HUMBER = 'E12000003';
export const LEEDS_CAMPAIGN_CODE = 'LEEDS-TT-2026';
export const REGIONAL_CAMPAIGN_CODE = 'YH-QUIT-2026';

/** Which demo referrals (by first name) quoted which code. */
export const DEMO_CAMPAIGN_REFERRALS: Record<string, readonly string[]> = {
  [LEEDS_CAMPAIGN_CODE]: ['Sam', 'Jordan', 'Alex', 'Morgan'],
  [REGIONAL_CAMPAIGN_CODE]: ['Priya', 'Casey'],
};

/**
 * Two campaigns, with dates relative to today so the demonstration reads the same whenever it is loaded:
 *   - a regional one for Yorkshire and the Humber, made by the national analyst, that ended 10 days ago
 *     (its referrals, from the past fortnight, count in the grace period after the end);
 *   - Leeds's "Quit with Talking Therapies" (LEEDS-TT-2026), made by the Leeds commissioner, running
 *     since 60 days ago with no end date.
 * Demo referrals (made a few days ago by loadDemoData) are marked as having quoted the codes; Morgan
 * Hughes's has become a quit date.
 */
export async function loadDemoCampaigns(db: Database, today: IsoDate): Promise<void> {
  const userId = async (email: string) =>
    (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
  const analyst = await userId('analyst@demo.test');
  const commissioner = await userId('commissioner@demo.test');

  const regional = await insertCampaign(
    db,
    {
      code: REGIONAL_CAMPAIGN_CODE,
      name: 'Quit for Good: Yorkshire and the Humber',
      description:
        'Regional radio and social media campaign encouraging people who smoke, especially those living with anxiety or depression, to get free support from their local stop smoking service.',
      regionCode: YORKSHIRE_AND_THE_HUMBER,
      localAuthorityCode: null,
      startsOn: addDays(today, -150),
      endsOn: addDays(today, -10),
      channels: ['radio', 'social_media', 'posters'],
    },
    analyst,
  );
  const leeds = await insertCampaign(
    db,
    {
      code: LEEDS_CAMPAIGN_CODE,
      name: 'Quit with Talking Therapies',
      description:
        'Leeds NHS Talking Therapies therapists and leaflets in waiting rooms invite people who smoke to ask for stop smoking support alongside their therapy.',
      regionCode: null,
      localAuthorityCode: 'E08000035',
      startsOn: addDays(today, -60),
      endsOn: null,
      channels: ['leaflets', 'posters', 'gp_letters'],
    },
    commissioner,
  );
  const ids: Record<string, string> = { [REGIONAL_CAMPAIGN_CODE]: regional, [LEEDS_CAMPAIGN_CODE]: leeds };
  for (const [code, names] of Object.entries(DEMO_CAMPAIGN_REFERRALS)) {
    await db
      .updateTable('referrals')
      .set({ campaign_id: ids[code]! })
      .where('given_name', 'in', [...names])
      .execute();
  }
}
