// Outcomes: the national four-week outcome, decided only by decideFourWeekOutcome (four-week-outcome.ts),
// and the 12- and 52-week follow-ups, which have no national definition and are kept as local good
// practice. A job marks people lost to follow-up once the window has closed, through the same rule.
import type { Database } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import { replaceStepCodes } from '../../platform/clinical-code-log.ts';
import { HttpError } from '../../platform/errors.ts';
import { registerJob } from '../../platform/jobs.ts';
import type { StaffUser } from '../../platform/roles.ts';
import { recordReferralProgress } from '../referrals/referral.service.ts';
import { addDays, type IsoDate } from '../../platform/dates.ts';
import type { Executor } from '../../db/database.ts';
import {
  countsAsQuit,
  decideFourWeekOutcome,
  FOUR_WEEK_RULE,
  OUTCOME_LABELS,
  type FollowUp,
  type OutcomeDecision,
} from '../episodes/four-week-outcome.ts';
import { raiseMedicineAlerts } from '../medicines/medicine-alerts.service.ts';
import * as repo from './treatment.repository.ts';
import type { LocalOutcomeInput, OutcomeInput } from './outcome.schemas.ts';
import { hasRecordedRelapse } from './relapse.ts';
import { assertNoOpenSafetyTask, assertOpen } from './treatment.service.ts';
import { cancelQuitAttemptMessages } from '../messages/message-planning.service.ts';

export type FollowUpRecord = {
  episodeId: string;
  referralId: string | null;
  quitDate: IsoDate;
  /** The four-week follow-up session the answer was given at, if any. */
  sessionId: string | null;
  followUp: FollowUp & { coPpm: number | null };
  userId: string;
  today: IsoDate;
};

/** Local follow-up sessions, booked when someone has quit at four weeks, so they appear in the diary. */
const LOCAL_FOLLOW_UPS = [
  { kind: 'twelve_week_follow_up', weeks: 12 },
  { kind: 'fifty_two_week_follow_up', weeks: 52 },
] as const;

/**
 * Decides and stores the four-week outcome inside the caller's transaction (the episode already locked).
 * Only a job-made "lost to follow-up" may be replaced: a follow-up that was held in the window but typed
 * in late still counts under the national rule. Tells the referrer and, for someone who smoked, the
 * prescriber (a relapse, unless one was already recorded at a session); check-ins not yet sent are cancelled.
 */
export async function storeFourWeekOutcome(trx: Executor, r: FollowUpRecord): Promise<OutcomeDecision> {
  const decision = decideFourWeekOutcome({ quitDate: r.quitDate, followUp: r.followUp, today: r.today });
  if (decision.outcome === 'pending') {
    throw new HttpError(409, 'The four-week outcome cannot be recorded yet', decision.reason);
  }
  const values = {
    episode_id: r.episodeId,
    outcome: decision.outcome,
    follow_up_on: r.followUp.date,
    smoked_days_15_to_28: r.followUp.smokedDays15to28,
    co_ppm: r.followUp.coPpm,
    reason: decision.reason,
    session_id: r.sessionId,
    recorded_by: r.userId,
  };
  const existing = await repo.findOutcome(trx, r.episodeId);
  if (existing && existing.outcome !== 'lost_to_follow_up') {
    throw new HttpError(
      409,
      'The four-week outcome is already recorded',
      `The four-week outcome is already recorded: ${OUTCOME_LABELS[existing.outcome]}.`,
    );
  }
  if (existing) await repo.replaceLostOutcome(trx, values);
  else if (!(await repo.insertOutcome(trx, values))) {
    throw new HttpError(
      409,
      'The four-week outcome is already recorded',
      'Someone else recorded the four-week outcome a moment ago.',
    );
  }
  if (r.referralId)
    await recordReferralProgress(
      trx,
      r.referralId,
      'outcome_recorded',
      OUTCOME_LABELS[decision.outcome],
      r.userId,
      r.today,
    );
  // Replaces a job-made "lost to follow-up" (which gave no code) like the outcome itself.
  await replaceStepCodes(
    trx,
    r.episodeId,
    { referralId: r.referralId },
    { kind: 'four_week_outcome', outcome: decision.outcome, coPpm: r.followUp.coPpm },
    r.followUp.date,
  );
  await cancelQuitAttemptMessages(trx, r.episodeId, 'four-week outcome recorded');
  if (countsAsQuit(decision.outcome)) {
    const sessions = await repo.listSessions(trx, r.episodeId);
    await repo.insertSessions(
      trx,
      LOCAL_FOLLOW_UPS.filter((f) => !sessions.some((s) => s.kind === f.kind)).map((f) => ({
        episode_id: r.episodeId,
        kind: f.kind,
        scheduled_on: addDays(r.quitDate, f.weeks * 7),
      })),
    );
  }
  if (
    decision.outcome === 'not_quit' &&
    !hasRecordedRelapse(await repo.listSessions(trx, r.episodeId), r.quitDate)
  ) {
    await raiseMedicineAlerts(trx, r.episodeId, 'relapse', r.userId);
  }
  return decision;
}

/**
 * The four-week follow-up recorded on the outcome page. The follow-up contact is session 6, so an
 * unrecorded four-week follow-up session is recorded as held that day and linked to the outcome.
 */
export async function recordFourWeekOutcome(
  db: Database,
  user: StaffUser,
  episodeId: string,
  input: OutcomeInput,
  today: IsoDate,
  requestId?: string,
): Promise<OutcomeDecision> {
  return db.transaction().execute(async (trx) => {
    const episode = await repo.lockEpisode(trx, episodeId);
    assertOpen(episode);
    await assertNoOpenSafetyTask(trx, episodeId);
    if (!episode.quit_date)
      throw new HttpError(
        409,
        'Set a quit date first',
        'Set a quit date first: the four-week outcome is counted from it.',
      );
    const session = (await repo.listSessions(trx, episodeId)).find(
      (s) => s.kind === 'four_week_follow_up' && s.attended === null,
    );
    if (session) {
      await repo.updateSession(trx, session.id, {
        attended: true,
        held_on: input.followUpOn,
        mode: input.mode,
        co_ppm: input.coPpm,
        smoked_since_last: null,
        smoked_days_15_to_28: input.smokedDays15to28,
        cravings: null,
        withdrawal: null,
        notes: null,
        recorded_by: user.id,
      });
    }
    const decision = await storeFourWeekOutcome(trx, {
      episodeId,
      referralId: episode.referral_id,
      quitDate: episode.quit_date,
      sessionId: session?.id ?? null,
      followUp: { date: input.followUpOn, smokedDays15to28: input.smokedDays15to28, coPpm: input.coPpm },
      userId: user.id,
      today,
    });
    await audit(
      trx,
      user,
      { action: 'create', entityType: 'episode_outcome', entityId: episodeId, detail: decision.outcome },
      requestId,
    );
    return decision;
  });
}

/** A 12- or 52-week follow-up: local, not national. Recorded again, it is corrected in place. */
export async function recordLocalOutcome(
  db: Database,
  user: StaffUser,
  episodeId: string,
  input: LocalOutcomeInput,
  requestId?: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const episode = await repo.lockEpisode(trx, episodeId);
    assertOpen(episode);
    await assertNoOpenSafetyTask(trx, episodeId);
    if (!episode.quit_date)
      throw new HttpError(
        409,
        'Set a quit date first',
        'Set a quit date first: follow-ups are counted from it.',
      );
    await repo.upsertLocalOutcome(trx, {
      episode_id: episodeId,
      weeks: input.weeks,
      contact_on: input.contactOn,
      abstinent: input.abstinent,
      co_ppm: input.coPpm,
      recorded_by: user.id,
    });
    const kind = input.weeks === 12 ? 'twelve_week_follow_up' : 'fifty_two_week_follow_up';
    const session = (await repo.listSessions(trx, episodeId)).find(
      (s) => s.kind === kind && s.attended === null,
    );
    if (session) {
      await repo.updateSession(trx, session.id, {
        attended: true,
        held_on: input.contactOn,
        mode: null,
        co_ppm: input.coPpm,
        smoked_since_last: null,
        cravings: null,
        withdrawal: null,
        notes: null,
        recorded_by: user.id,
      });
    }
    await audit(
      trx,
      user,
      {
        action: 'update',
        entityType: 'episode_local_outcome',
        entityId: episodeId,
        detail: `${input.weeks} weeks`,
      },
      requestId,
    );
  });
}

// --- The job -----------------------------------------------------------------------------------------

export const MARK_LOST_JOB = 'mark-lost-to-follow-up';

/**
 * Everyone whose follow-up window has closed with no outcome becomes lost to follow-up, with the reason
 * decideFourWeekOutcome gives (the rule stays in one place: the query only narrows down who to ask about).
 * Closed episodes are left alone. Returns how many were marked.
 */
export async function markLostToFollowUp(trx: Executor, today: IsoDate): Promise<number> {
  const candidates = await repo.episodesPastFollowUpWindow(
    trx,
    addDays(today, -(FOUR_WEEK_RULE.windowClosesDay + 1)),
  );
  let marked = 0;
  for (const e of candidates) {
    const decision = decideFourWeekOutcome({ quitDate: e.quit_date!, followUp: null, today });
    if (decision.outcome !== 'lost_to_follow_up') continue;
    const inserted = await repo.insertOutcome(trx, {
      episode_id: e.id,
      outcome: 'lost_to_follow_up',
      follow_up_on: null,
      smoked_days_15_to_28: null,
      co_ppm: null,
      reason: decision.reason,
      session_id: null,
      recorded_by: null,
    });
    if (!inserted) continue;
    await cancelQuitAttemptMessages(trx, e.id, 'lost to follow-up');
    if (e.referral_id)
      await recordReferralProgress(
        trx,
        e.referral_id,
        'outcome_recorded',
        OUTCOME_LABELS.lost_to_follow_up,
        null,
        today,
      );
    await audit(trx, null, {
      action: 'create',
      entityType: 'episode_outcome',
      entityId: e.id,
      detail: `lost_to_follow_up (job ${MARK_LOST_JOB})`,
    });
    marked++;
  }
  return marked;
}

registerJob({ name: MARK_LOST_JOB, run: (trx, clock) => markLostToFollowUp(trx, clock.today()) });
