// The pre-quit assessment: one per episode, corrected in place. It is session 1 of the programme.
import { sql } from 'kysely';
import type { Database, Executor } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import { replaceStepCodes } from '../../platform/clinical-code-log.ts';
import type { StaffUser } from '../../platform/roles.ts';
import * as repo from './treatment.repository.ts';
import type { AssessmentInput } from './assessment.schemas.ts';
import { assertOpen } from './treatment.service.ts';

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
    await saveDemographics(trx, episodeId, input);
    // Corrected in place, so its codes are too: the referrer sees what the assessment now says.
    await replaceStepCodes(
      trx,
      episodeId,
      { referralId: episode.referral_id },
      {
        kind: 'smoking_status_at_assessment',
        cigarettesPerDay: input.cigarettesPerDay,
        vapingStatus: input.vapingStatus,
        coPpm: input.coPpm,
      },
      input.assessedOn,
    );
    // Support starts with the assessment, which may be typed in after the day it happened.
    await trx
      .updateTable('episodes')
      .set({ started_on: sql<string>`least(started_on, ${input.assessedOn}::date)` })
      .where('id', '=', episodeId)
      .execute();
    await holdFirstSession(trx, user, episodeId, input);
    await audit(
      trx,
      user,
      { action: 'update', entityType: 'episode', entityId: episodeId, detail: 'assessment saved' },
      requestId,
    );
  });
}

// The return's demographic items, when the form asked them (callers that do not ask leave them be).
async function saveDemographics(trx: Executor, episodeId: string, input: AssessmentInput): Promise<void> {
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
}

/** Session 1 of the programme is the assessment: recorded as held on its date, what else it holds kept. */
async function holdFirstSession(
  trx: Executor,
  user: StaffUser,
  episodeId: string,
  input: AssessmentInput,
): Promise<void> {
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
}
