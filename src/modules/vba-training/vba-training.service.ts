import type { Database } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import type { StaffUser } from '../../platform/roles.ts';
import { recordCompletedCourse, type RecordedAt } from '../partners/staff-training.service.ts';
import { defaultRenewalDate } from '../partners/training.ts';
import { QUESTIONS, trainingOfferOn, type CheckResult, type TrainingOffer } from './vba-check.ts';
import * as repo from './vba-training.repository.ts';

// The Very Brief Advice module's records: each attempt at the check kept against the member of staff
// (user, organisation, the application's day, score), and a pass written to the partners' training
// records in the same transaction, so the workforce counts see it at once.

export type Marked = Extract<CheckResult, { kind: 'marked' }>;

/** Stores a marked attempt; a pass also becomes a training record at the user's organisation's partners. */
export async function recordAttempt(
  db: Database,
  user: StaffUser,
  marked: Marked,
  today: string,
  requestId: string,
): Promise<{ id: string; recordedAt: RecordedAt[] }> {
  const answers = Object.fromEntries(marked.marks.map((m) => [m.id, m.chosen]));
  return db.transaction().execute(async (trx) => {
    const id = await repo.insertAttempt(trx, {
      userId: user.id,
      organisationId: user.organisationId,
      takenOn: today,
      score: marked.score,
      total: marked.total,
      passed: marked.passed,
      answers,
    });
    const detail = `score ${marked.score} of ${marked.total}; ${marked.passed ? 'passed' : 'not passed'}`;
    await audit(trx, user, { action: 'create', entityType: 'vba_attempt', entityId: id, detail }, requestId);
    const recordedAt = marked.passed ? await recordCompletedCourse(trx, user, 'vba', today, requestId) : [];
    return { id, recordedAt };
  });
}

export type ModuleStatus = {
  offer: TrainingOffer;
  lastPassedOn: string | null;
  renewBy: string | null;
};

/** Whether the user has a current pass on `today`, and when it needs renewing. */
export async function moduleStatus(db: Database, user: StaffUser, today: string): Promise<ModuleStatus> {
  const lastPassed = await repo.lastPassedOn(db, user.id);
  return {
    offer: trainingOfferOn(lastPassed, today),
    lastPassedOn: lastPassed,
    renewBy: lastPassed ? defaultRenewalDate('vba', lastPassed) : null,
  };
}

/** What the referral form offers this referrer (referrals/training-offer.types.ts). */
export async function trainingOfferFor(db: Database, user: StaffUser, today: string): Promise<TrainingOffer> {
  return (await moduleStatus(db, user, today)).offer;
}

/** The user's latest attempt with every question's answer explained. */
export async function latestResult(db: Database, user: StaffUser) {
  const row = await repo.latestAttempt(db, user.id);
  if (!row) return null;
  const answers = (row.answers ?? {}) as Record<string, unknown>;
  const feedback = QUESTIONS.map((q) => {
    const chosen = typeof answers[q.id] === 'string' ? (answers[q.id] as string) : '';
    return {
      question: q.text,
      chosenText: q.options.find((o) => o.value === chosen)?.text ?? 'No answer',
      answerText: q.options.find((o) => o.value === q.answer)!.text,
      right: chosen === q.answer,
      explanation: q.explanation,
    };
  });
  return { takenOn: row.taken_on, score: row.score, total: row.total, passed: row.passed, feedback };
}
