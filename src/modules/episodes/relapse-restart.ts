// Coming back after a relapse: when a new quit attempt may start from an earlier one, and from which.
// Pure, so the person's page, the episode page and the service that starts it all follow one rule.
//
// A new attempt follows a finished one only: while an attempt is under way its four-week outcome is
// still to be decided, and starting another beside it would count the person twice in the return.

export type AttemptFacts = {
  id: string;
  startedOn: string;
  quitDate: string | null;
  outcomeKnown: boolean;
  closed: boolean;
  /** A new attempt has already been started after a relapse from this one. */
  followedByRestart: boolean;
};

export type RestartRefusal = 'no_quit_date' | 'under_way' | 'already_restarted' | 'another_under_way';

export const RESTART_REFUSALS: Record<RestartRefusal, string> = {
  no_quit_date:
    'This episode never reached a quit date, so there is no quit attempt to come back from. Add a quit date to the episode instead.',
  under_way:
    'This quit attempt is still under way. Record its four-week outcome, or close it, before starting a new one.',
  already_restarted: 'A new quit attempt has already been started after this one.',
  another_under_way: 'They already have a quit attempt under way. Carry on with that one.',
};

const finished = (e: AttemptFacts) => e.outcomeKnown || e.closed;

/** Why a new attempt cannot follow `from` for this person (all their episodes at the service), or null. */
export function restartRefusal(from: AttemptFacts, all: readonly AttemptFacts[]): RestartRefusal | null {
  if (from.followedByRestart) return 'already_restarted';
  if (!finished(from)) return 'under_way';
  if (all.some((e) => e.id !== from.id && !finished(e))) return 'another_under_way';
  if (!from.quitDate) return 'no_quit_date';
  return null;
}

/**
 * The attempt the person's page offers to come back from: their latest episode (by start, then by the
 * order given), when the rule allows a new attempt after it. An older one is never offered: the latest
 * is where the history continues.
 */
export function restartCandidate(all: readonly AttemptFacts[]): AttemptFacts | null {
  const latest = all.reduce<AttemptFacts | null>(
    (best, e) => (best && best.startedOn > e.startedOn ? best : e),
    null,
  );
  return latest && restartRefusal(latest, all) === null ? latest : null;
}
