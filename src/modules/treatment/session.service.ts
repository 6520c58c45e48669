// Sessions: what happened at each (or that it did not happen), the relapse it may record, the four-week
// outcome the follow-up session may record, and extra sessions.
import type { Database, Executor } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import { HttpError } from '../../platform/errors.ts';
import type { StaffUser } from '../../platform/roles.ts';
import type { IsoDate } from '../../platform/dates.ts';
import { raiseMedicineAlerts } from '../medicines/medicine-alerts.service.ts';
import * as repo from './treatment.repository.ts';
import type { SessionInput } from './session.schemas.ts';
import { addAidSupply } from './aid-supply.service.ts';
import { hasRecordedRelapse } from './relapse.ts';
import { assertNoOpenSafetyTask, assertOpen, conflict } from './treatment.service.ts';

export type SessionResult = { relapse: boolean; alertsRaised: number; fourWeekOutcome: boolean };

/** Stores the four-week outcome in the caller's transaction: storeFourWeekOutcome (outcome.service.ts). */
export type RecordOutcome = (
  trx: Executor,
  a: {
    episodeId: string;
    referralId: string | null;
    quitDate: IsoDate;
    sessionId: string;
    followUp: { date: IsoDate; smokedDays15to28: boolean; coPpm: number | null };
    userId: string;
    today: IsoDate;
  },
) => Promise<unknown>;

/**
 * Records what happened at a session (or corrects it). A session after the quit date that records smoking
 * for the first time is the relapse: medicine alerts with trigger 'relapse'. On the four-week follow-up,
 * the day 15 to 28 answer records the national outcome through `recordOutcome` (outcome.service.ts).
 */
export async function recordSession(
  db: Database,
  user: StaffUser,
  episodeId: string,
  sessionId: string,
  input: SessionInput,
  today: IsoDate,
  recordOutcome: RecordOutcome,
  requestId?: string,
): Promise<SessionResult> {
  return db.transaction().execute(async (trx) => {
    const episode = await repo.lockEpisode(trx, episodeId);
    assertOpen(episode);
    await assertNoOpenSafetyTask(trx, episodeId);
    const session = await repo.findSession(trx, episodeId, sessionId);
    if (!session) throw new HttpError(404, 'Session not found');
    const before = await repo.listSessions(trx, episodeId);
    const relapsedBefore = episode.quit_date ? hasRecordedRelapse(before, episode.quit_date) : false;
    const wantsOutcome = input.smokedDays15to28 !== null;
    if (wantsOutcome) await assertFourWeekQuestionOpen(trx, episode, session.kind);
    await repo.updateSession(trx, sessionId, {
      attended: input.attended,
      held_on: input.heldOn,
      mode: input.mode,
      co_ppm: input.coPpm,
      smoked_since_last: input.smokedSinceLast,
      // Only an answer given now is written: correcting the session later keeps the one the outcome used.
      ...(wantsOutcome ? { smoked_days_15_to_28: input.smokedDays15to28 } : {}),
      cravings: input.cravings,
      withdrawal: input.withdrawal,
      notes: input.notes,
      recorded_by: user.id,
    });
    let alertsRaised = 0;
    const relapse =
      !relapsedBefore &&
      !!episode.quit_date &&
      hasRecordedRelapse(
        [{ attended: input.attended, held_on: input.heldOn, smoked_since_last: input.smokedSinceLast }],
        episode.quit_date,
      );
    if (relapse) alertsRaised += await raiseMedicineAlerts(trx, episodeId, 'relapse', user.id);
    if (input.aid)
      alertsRaised += await addAidSupply(
        trx,
        user,
        { id: episodeId, quit_date: episode.quit_date },
        input.aid,
        sessionId,
      );
    if (wantsOutcome && episode.quit_date && input.heldOn) {
      await recordOutcome(trx, {
        episodeId,
        referralId: episode.referral_id,
        quitDate: episode.quit_date,
        sessionId,
        followUp: { date: input.heldOn, smokedDays15to28: input.smokedDays15to28!, coPpm: input.coPpm },
        userId: user.id,
        today,
      });
    }
    await audit(
      trx,
      user,
      {
        action: 'update',
        entityType: 'episode_session',
        entityId: sessionId,
        detail: `${session.kind} ${input.attended ? 'held' : 'not attended'}${relapse ? '; relapse' : ''}${wantsOutcome ? '; four-week outcome' : ''}`,
      },
      requestId,
    );
    return { relapse, alertsRaised, fourWeekOutcome: wantsOutcome };
  });
}

/** The day 15 to 28 question is answered once, at the four-week follow-up, unless a job marked them lost. */
async function assertFourWeekQuestionOpen(
  trx: Executor,
  episode: { id: string; quit_date: IsoDate | null },
  kind: string,
): Promise<void> {
  const existing = await repo.findOutcome(trx, episode.id);
  if (
    kind !== 'four_week_follow_up' ||
    !episode.quit_date ||
    (existing && existing.outcome !== 'lost_to_follow_up')
  ) {
    throw conflict(
      'The four-week outcome is already recorded',
      'The four-week outcome is already recorded, so the day 15 to 28 question cannot be answered again.',
    );
  }
}

/** An extra session: people with mental health conditions often need more than the standard six. */
export async function addExtraSession(
  db: Database,
  user: StaffUser,
  episodeId: string,
  scheduledOn: IsoDate,
  requestId?: string,
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const episode = await repo.lockEpisode(trx, episodeId);
    assertOpen(episode);
    const [id] = await repo.insertSessions(trx, [
      { episode_id: episodeId, kind: 'extra', scheduled_on: scheduledOn },
    ]);
    await audit(
      trx,
      user,
      { action: 'create', entityType: 'episode_session', entityId: id!, detail: 'extra session' },
      requestId,
    );
    return id!;
  });
}
