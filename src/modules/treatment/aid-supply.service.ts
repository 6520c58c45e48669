// Supplies of stop-smoking medicines and vapes, given with the plan or at a session, and the medicine alert
// a supply can raise.
import type { Executor } from '../../db/database.ts';
import type { StaffUser } from '../../platform/roles.ts';
import { daysBetween, type IsoDate } from '../../platform/dates.ts';
import { raiseMedicineAlerts } from '../medicines/medicine-alerts.service.ts';
import * as repo from './treatment.repository.ts';
import type { AidSupplyInput } from './aid-supply.schemas.ts';
import { latestSessionAfterQuitDate } from './relapse.ts';
import { NRT_OR_VAPE } from './treatment.schemas.ts';

/**
 * Records a supply of a stop-smoking aid. Medicine alerts, trigger 'switched_to_nrt_or_vape' (our reading
 * of the rule, docs/domain.md, Medicines affected by stopping smoking): NRT and vapes do not induce CYP1A2,
 * so moving from tobacco to them is, for the affected medicines, stopping smoking. Before and on the quit
 * date that change is already covered by the quit date alert. After it, the change happens when someone who
 * has gone back to smoking (the most recent session after the quit date recorded that they smoked) is
 * supplied NRT or a vape: the first such supply since that session raises the alert; later supplies do not
 * repeat it.
 */
export async function addAidSupply(
  db: Executor,
  user: StaffUser,
  episode: { id: string; quit_date: IsoDate | null },
  aid: AidSupplyInput,
  sessionId: string | null,
): Promise<number> {
  const earlier = await repo.listAids(db, episode.id);
  await repo.insertAid(db, {
    episode_id: episode.id,
    aid: aid.aid,
    supplied_on: aid.suppliedOn,
    supply: aid.supply,
    supply_days: aid.supplyDays ?? null,
    session_id: sessionId,
    recorded_by: user.id,
  });
  if (!NRT_OR_VAPE.includes(aid.aid) || !episode.quit_date) return 0;
  const quit = episode.quit_date;
  const last = latestSessionAfterQuitDate(await repo.listSessions(db, episode.id), quit);
  if (!last?.held_on || last.smoked_since_last !== true) return 0;
  const since = last.held_on;
  const suppliedSince = earlier.some(
    (a) => NRT_OR_VAPE.includes(a.aid as never) && daysBetween(since, a.supplied_on) >= 0,
  );
  if (suppliedSince) return 0;
  return raiseMedicineAlerts(db, episode.id, 'switched_to_nrt_or_vape', user.id);
}
