// What every change to the treatment record checks first, and the dates its forms are checked against.
// Each change (assessment.service.ts, plan.service.ts, session.service.ts, outcome.service.ts) is one
// transaction that locks the episode, checks what may happen now, writes, and tells the people who need to
// know (the referrer, through the closed loop; the prescriber, through medicine alerts).
import type { Executor } from '../../db/database.ts';
import { HttpError } from '../../platform/errors.ts';
import type { IsoDate } from '../../platform/dates.ts';
import type { EpisodeRow } from '../episodes/episode.service.ts';
import { openSafetyTaskCount } from '../mood/safety.service.ts';
import * as repo from './treatment.repository.ts';
import type { EpisodeDates } from './treatment.schemas.ts';

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

export const conflict = (title: string, message: string) => new HttpError(409, title, message);

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
