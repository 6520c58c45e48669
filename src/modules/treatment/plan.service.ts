// The plan: the quit date, the type of support, where it is given, and any supply given with it. The
// quit date schedules the programme (standardSchedule, programme.ts) and may change only until the
// four-week follow-up window opens (followUpWindow, four-week-outcome.ts).
import type { Database, Executor } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import { replaceStepCodes } from '../../platform/clinical-code-log.ts';
import type { StaffUser } from '../../platform/roles.ts';
import { daysBetween, formatDate, type IsoDate } from '../../platform/dates.ts';
import { recordReferralProgress } from '../referrals/referral.service.ts';
import { followUpWindow } from '../episodes/four-week-outcome.ts';
import { standardSchedule } from '../episodes/programme.ts';
import { bankHolidays } from '../../platform/bank-holidays.ts';
import { openingDaysOf } from './appointment.service.ts';
import { onOpenDays } from './scheduling.ts';
import { raiseMedicineAlerts } from '../medicines/medicine-alerts.service.ts';
import * as repo from './treatment.repository.ts';
import type { PlanInput } from './plan.schemas.ts';
import { addAidSupply } from './aid-supply.service.ts';
import { assertNoOpenSafetyTask, assertOpen, conflict } from './treatment.service.ts';
import { planQuitDateMessages } from '../messages/message-planning.service.ts';

export type PlanResult = { quitDate: 'first' | 'changed' | 'unchanged'; alertsRaised: number };

/** The referrer's timeline shows this, with consent: the date in full, as people write it. */
export const quitDateText = (quitDate: IsoDate, changed: boolean) =>
  `${changed ? 'Quit date changed to' : 'Quit date'} ${formatDate(quitDate)}`;

/**
 * Saves the plan. The first quit date schedules the standard programme (sessions already there are
 * kept), tells the referrer, raises medicine alerts and plans the person's check-ins. A later change moves
 * the sessions not yet held, re-plans the check-ins and tells the referrer; it is refused once the four-week outcome is recorded or its window has opened,
 * because from then on the quit date decides an outcome that is already being counted.
 */
export async function savePlan(
  db: Database,
  user: StaffUser,
  episodeId: string,
  input: PlanInput,
  { today, now }: { today: IsoDate; now: Date },
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
      quitDate = episode.quit_date ? 'changed' : 'first';
      alertsRaised += await setQuitDate(trx, user, episode, assessment.assessed_on, input.quitDate, today);
      // The check-ins and the four-week prompt follow the quit date.
      await planQuitDateMessages(trx, episodeId, now);
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

/** Sets or changes the quit date, when it may: returns the medicine alerts raised (a first quit date only). */
async function setQuitDate(
  trx: Executor,
  user: StaffUser,
  episode: {
    id: string;
    quit_date: IsoDate | null;
    referral_id: string | null;
    service_organisation_id: string;
  },
  assessedOn: IsoDate,
  quitDate: IsoDate,
  today: IsoDate,
): Promise<number> {
  await assertNoOpenSafetyTask(trx, episode.id);
  if (episode.quit_date) await assertQuitDateMayChange(trx, episode.id, episode.quit_date, today);
  const changed = !!episode.quit_date;
  await repo.updateEpisode(trx, episode.id, { quit_date: quitDate });
  await schedule(trx, episode, assessedOn, quitDate);
  // A changed quit date replaces the code for the old one: the referrer is shown the date that stands.
  await replaceStepCodes(
    trx,
    episode.id,
    { referralId: episode.referral_id },
    { kind: 'quit_date_set', quitDate },
    today,
  );
  if (episode.referral_id) {
    await recordReferralProgress(
      trx,
      episode.referral_id,
      'quit_date_set',
      quitDateText(quitDate, changed),
      user.id,
      today,
    );
  }
  return changed ? 0 : raiseMedicineAlerts(trx, episode.id, 'quit_date_set', user.id);
}

async function assertQuitDateMayChange(
  trx: Executor,
  episodeId: string,
  quitDate: IsoDate,
  today: IsoDate,
): Promise<void> {
  if (await repo.findOutcome(trx, episodeId)) {
    throw conflict(
      'The quit date cannot change',
      'The four-week outcome has been recorded, so the quit date can no longer change.',
    );
  }
  const opens = followUpWindow(quitDate).opens;
  if (daysBetween(opens, today) >= 0) {
    throw conflict(
      'The quit date cannot change',
      `The four-week follow-up window for the quit date ${formatDate(quitDate, today)} opened on ${formatDate(opens, today)}, so the quit date can no longer change.`,
    );
  }
}

/**
 * The standard programme for a quit date, on days the service is open (its opening days and bank
 * holidays): missing sessions are added, ones not yet held are moved.
 */
async function schedule(
  db: Executor,
  episode: { id: string; service_organisation_id: string },
  assessedOn: IsoDate,
  quitDate: IsoDate,
): Promise<void> {
  const episodeId = episode.id;
  const existing = await repo.listSessions(db, episodeId);
  const missing: { episode_id: string; kind: string; scheduled_on: IsoDate }[] = [];
  const openingDays = await openingDaysOf(db, episode.service_organisation_id);
  for (const s of onOpenDays(standardSchedule(assessedOn, quitDate), openingDays, bankHolidays())) {
    const found = existing.find((e) => e.kind === s.kind);
    if (!found) missing.push({ episode_id: episodeId, kind: s.kind, scheduled_on: s.due });
    else if (found.attended === null && s.kind !== 'pre_quit_assessment' && found.scheduled_on !== s.due) {
      await repo.rescheduleSession(db, found.id, s.due);
    }
  }
  await repo.insertSessions(db, missing);
}
