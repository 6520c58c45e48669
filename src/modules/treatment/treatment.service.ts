import { sql } from 'kysely';
// The treatment part of an episode: assessment, plan (quit date, type of support, aids), sessions. Each
// change is one transaction that locks the episode, checks what may happen now, writes, and tells the
// people who need to know (the referrer, through the closed loop; the prescriber, through medicine alerts).
// The rules are the pure ones: standardSchedule (programme.ts), followUpWindow (four-week-outcome.ts).
import type { Database } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import { HttpError } from '../../platform/errors.ts';
import type { StaffUser } from '../../platform/roles.ts';
import { recordReferralProgress } from '../referrals/referral.service.ts';
import { daysBetween, formatDate, type IsoDate } from '../../platform/dates.ts';
import type { EpisodeRow } from '../episodes/episode.service.ts';
import type { Executor } from '../../db/database.ts';
import { followUpWindow } from '../episodes/four-week-outcome.ts';
import { raiseMedicineAlerts } from '../medicines/medicine-alerts.service.ts';
import { standardSchedule } from '../episodes/programme.ts';
import { openSafetyTaskCount } from '../mood/safety.service.ts';
import * as repo from './treatment.repository.ts';
import {
  NRT_OR_VAPE,
  type AidSupplyInput,
  type AssessmentInput,
  type EpisodeDates,
  type PlanInput,
  type SessionInput,
} from './treatment.schemas.ts';

/**
 * docs/domain.md, PHQ-9 item 9: while a safety task is open the episode does not move on, and the page says
 * why.
 */
const SAFETY_TASK_FIRST = 'Complete the safety task first';

export class SafetyTaskOpen extends HttpError {
  constructor() {
    super(
      409,
      SAFETY_TASK_FIRST,
      `${SAFETY_TASK_FIRST}. A mood check raised a safety task that is still open: record what was done on the episode page, then come back to this.`,
      { reason: 'safety_task_open' },
    );
  }
}

const conflict = (title: string, message: string) => new HttpError(409, title, message);

export async function assertNoOpenSafetyTask(db: Executor, episodeId: string): Promise<void> {
  if ((await openSafetyTaskCount(db, episodeId)) > 0) throw new SafetyTaskOpen();
}

export function assertOpen(episode: { closed_at: Date | null }): void {
  if (episode.closed_at)
    throw conflict(
      'This episode is closed',
      'This episode is closed, so nothing more can be recorded on it.',
    );
}

/** The dates every treatment form is checked against. */
export async function episodeDates(
  db: Executor,
  episode: Pick<EpisodeRow, 'referral_id' | 'started_on'>,
  today: IsoDate,
): Promise<EpisodeDates> {
  return {
    today,
    referralDate: await repo.referralDate(db, episode.referral_id),
    startedOn: episode.started_on,
  };
}

// --- Assessment ------------------------------------------------------------------------------------

/**
 * Saves the pre-quit assessment (one per episode, corrected in place) and what it found about the
 * person's mental health. The assessment is session 1 of the programme, so that session is recorded as
 * held on the assessment's date. Not held back by a safety task: what was assessed must never be lost.
 */
export async function saveAssessment(
  db: Database,
  user: StaffUser,
  episodeId: string,
  input: AssessmentInput,
  requestId?: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const episode = await repo.lockEpisode(trx, episodeId);
    assertOpen(episode);
    await repo.upsertAssessment(trx, {
      episode_id: episodeId,
      assessed_on: input.assessedOn,
      cigarettes_per_day: input.cigarettesPerDay,
      time_to_first_cigarette: input.timeToFirstCigarette,
      heaviness_index: input.heavinessIndex,
      past_quit_attempts: input.pastQuitAttempts,
      what_helped: input.whatHelped,
      co_ppm: input.coPpm,
      vaping_status: input.vapingStatus,
      beliefs: input.beliefs,
      goals: input.goals,
      preferences: input.preferences,
      recorded_by: user.id,
    });
    await repo.updateEpisode(trx, episodeId, {
      mental_health: input.mentalHealth,
      mental_health_basis: input.mentalHealthBasis,
      in_talking_therapies: input.inTalkingTherapies,
    });
    // The return's demographic items, when the form asked them (callers that do not ask leave them be).
    const demographics = {
      sex: input.sex,
      gender_same_as_birth: input.genderSameAsBirth,
      ethnic_category: input.ethnicCategory,
      pregnant: input.pregnant,
      free_prescriptions: input.freePrescriptions,
      ns_sec: input.nsSec,
      sexual_orientation: input.sexualOrientation,
    };
    const asked = Object.fromEntries(
      Object.entries(demographics).filter(([, v]) => v !== undefined),
    ) as Partial<Record<keyof typeof demographics, string | null>>;
    if (Object.keys(asked).length)
      await trx.updateTable('episodes').set(asked).where('id', '=', episodeId).execute();
    // Support starts with the assessment, which may be typed in after the day it happened.
    await trx
      .updateTable('episodes')
      .set({ started_on: sql<string>`least(started_on, ${input.assessedOn}::date)` })
      .where('id', '=', episodeId)
      .execute();
    const sessions = await repo.listSessions(trx, episodeId);
    const first = sessions.find((s) => s.kind === 'pre_quit_assessment');
    const sessionId =
      first?.id ??
      (
        await repo.insertSessions(trx, [
          { episode_id: episodeId, kind: 'pre_quit_assessment', scheduled_on: input.assessedOn },
        ])
      )[0]!;
    await repo.updateSession(trx, sessionId, {
      scheduled_on: input.assessedOn,
      attended: true,
      held_on: input.assessedOn,
      mode: first?.mode ?? null,
      co_ppm: input.coPpm,
      smoked_since_last: first?.smoked_since_last ?? null,
      cravings: first?.cravings ?? null,
      withdrawal: first?.withdrawal ?? null,
      notes: first?.notes ?? null,
      recorded_by: user.id,
    });
    await audit(
      trx,
      user,
      { action: 'update', entityType: 'episode', entityId: episodeId, detail: 'assessment saved' },
      requestId,
    );
  });
}

// --- Plan --------------------------------------------------------------------------------------------

export type PlanResult = { quitDate: 'first' | 'changed' | 'unchanged'; alertsRaised: number };

/** The referrer's timeline shows this, with consent: the date in full, as people write it. */
export const quitDateText = (quitDate: IsoDate, changed: boolean) =>
  `${changed ? 'Quit date changed to' : 'Quit date'} ${formatDate(quitDate)}`;

/**
 * Saves the plan. The first quit date schedules the standard programme (sessions already there are
 * kept), tells the referrer and raises medicine alerts. A later change moves the sessions not yet held
 * and tells the referrer; it is refused once the four-week outcome is recorded or its window has opened,
 * because from then on the quit date decides an outcome that is already being counted.
 */
export async function savePlan(
  db: Database,
  user: StaffUser,
  episodeId: string,
  input: PlanInput,
  today: IsoDate,
  requestId?: string,
): Promise<PlanResult> {
  return db.transaction().execute(async (trx) => {
    const episode = await repo.lockEpisode(trx, episodeId);
    assertOpen(episode);
    const assessment = await repo.findAssessment(trx, episodeId);
    if (!assessment) {
      throw conflict(
        'Record the assessment first',
        'Record the pre-quit assessment before setting a quit date: the quit date is the session after it.',
      );
    }
    let quitDate: PlanResult['quitDate'] = 'unchanged';
    let alertsRaised = 0;
    if (episode.quit_date !== input.quitDate) {
      await assertNoOpenSafetyTask(trx, episodeId);
      if (episode.quit_date) {
        if (await repo.findOutcome(trx, episodeId)) {
          throw conflict(
            'The quit date cannot change',
            'The four-week outcome has been recorded, so the quit date can no longer change.',
          );
        }
        const opens = followUpWindow(episode.quit_date).opens;
        if (daysBetween(opens, today) >= 0) {
          throw conflict(
            'The quit date cannot change',
            `The four-week follow-up window for the quit date ${formatDate(episode.quit_date, today)} opened on ${formatDate(opens, today)}, so the quit date can no longer change.`,
          );
        }
      }
      quitDate = episode.quit_date ? 'changed' : 'first';
      await repo.updateEpisode(trx, episodeId, { quit_date: input.quitDate });
      await schedule(trx, episodeId, assessment.assessed_on, input.quitDate);
      if (episode.referral_id) {
        await recordReferralProgress(
          trx,
          episode.referral_id,
          'quit_date_set',
          quitDateText(input.quitDate, quitDate === 'changed'),
          user.id,
        );
      }
      if (quitDate === 'first')
        alertsRaised += await raiseMedicineAlerts(trx, episodeId, 'quit_date_set', user.id);
    }
    await repo.updateEpisode(trx, episodeId, {
      intervention_type: input.interventionType,
      setting: input.setting,
    });
    if (input.aid)
      alertsRaised += await addAidSupply(
        trx,
        user,
        { id: episodeId, quit_date: input.quitDate },
        input.aid,
        null,
      );
    await audit(
      trx,
      user,
      {
        action: 'update',
        entityType: 'episode',
        entityId: episodeId,
        detail: `plan saved${quitDate === 'unchanged' ? '' : `; quit date ${quitDate === 'first' ? 'set' : 'changed'}`}${input.aid ? '; supply recorded' : ''}`,
      },
      requestId,
    );
    return { quitDate, alertsRaised };
  });
}

/** The standard programme for a quit date: missing sessions are added, ones not yet held are moved. */
async function schedule(
  db: Executor,
  episodeId: string,
  assessedOn: IsoDate,
  quitDate: IsoDate,
): Promise<void> {
  const existing = await repo.listSessions(db, episodeId);
  const missing: { episode_id: string; kind: string; scheduled_on: IsoDate }[] = [];
  for (const s of standardSchedule(assessedOn, quitDate)) {
    const found = existing.find((e) => e.kind === s.kind);
    if (!found) missing.push({ episode_id: episodeId, kind: s.kind, scheduled_on: s.due });
    else if (found.attended === null && s.kind !== 'pre_quit_assessment' && found.scheduled_on !== s.due) {
      await repo.rescheduleSession(db, found.id, s.due);
    }
  }
  await repo.insertSessions(db, missing);
}

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

function latestSessionAfterQuitDate(sessions: repo.SessionRow[], quitDate: IsoDate) {
  return sessions
    .filter((s) => s.attended === true && s.held_on && daysBetween(quitDate, s.held_on) > 0)
    .sort(
      (a, b) =>
        daysBetween(b.held_on!, a.held_on!) ||
        (a.recorded_at?.getTime() ?? 0) - (b.recorded_at?.getTime() ?? 0),
    )
    .at(-1);
}

/** Whether any session after the quit date has recorded smoking: the first one is the relapse. */
export function hasRecordedRelapse(
  sessions: readonly {
    attended: boolean | null;
    held_on: string | null;
    smoked_since_last: boolean | null;
  }[],
  quitDate: IsoDate,
): boolean {
  return sessions.some(
    (s) =>
      s.attended === true &&
      s.held_on &&
      s.smoked_since_last === true &&
      daysBetween(quitDate, s.held_on) > 0,
  );
}

// --- Sessions ------------------------------------------------------------------------------------------

export type SessionResult = { relapse: boolean; alertsRaised: number; fourWeekOutcome: boolean };

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
  recordOutcome: (
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
  ) => Promise<unknown>,
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
    if (wantsOutcome) {
      const existing = await repo.findOutcome(trx, episodeId);
      if (
        session.kind !== 'four_week_follow_up' ||
        !episode.quit_date ||
        (existing && existing.outcome !== 'lost_to_follow_up')
      ) {
        throw conflict(
          'The four-week outcome is already recorded',
          'The four-week outcome is already recorded, so the day 15 to 28 question cannot be answered again.',
        );
      }
    }
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
      input.attended &&
      input.smokedSinceLast === true &&
      !!input.heldOn &&
      daysBetween(episode.quit_date, input.heldOn) > 0;
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
