// A relapse: someone who set a quit date and, at a session after it, said they have smoked. Medicine alerts
// follow from it (docs/domain.md, Medicines affected by stopping smoking), so the rule is kept pure here.
import { daysBetween, type IsoDate } from '../../platform/dates.ts';

type HeldSession = { attended: boolean | null; held_on: string | null; smoked_since_last: boolean | null };

/** Whether any session after the quit date has recorded smoking: the first one is the relapse. */
export function hasRecordedRelapse(sessions: readonly HeldSession[], quitDate: IsoDate): boolean {
  return sessions.some(
    (s) =>
      s.attended === true &&
      s.held_on &&
      s.smoked_since_last === true &&
      daysBetween(quitDate, s.held_on) > 0,
  );
}

/** The most recent session held after the quit date; of two on one day, the one recorded last. */
export function latestSessionAfterQuitDate<S extends HeldSession & { recorded_at: Date | null }>(
  sessions: readonly S[],
  quitDate: IsoDate,
): S | undefined {
  return sessions
    .filter((s) => s.attended === true && s.held_on && daysBetween(quitDate, s.held_on) > 0)
    .sort(
      (a, b) =>
        daysBetween(b.held_on!, a.held_on!) ||
        (a.recorded_at?.getTime() ?? 0) - (b.recorded_at?.getTime() ?? 0),
    )
    .at(-1);
}
