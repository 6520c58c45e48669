// How wrong passwords slow sign-in down. Pure: the database layer (sign-in.service.ts) stores the
// states and passes the time in.
//
// NCSC's guidance is to throttle rather than lock: a lock that anyone can trigger by typing wrong
// passwords for someone else's email address is a way to keep staff out. So nothing is ever locked;
// after a few free failures each further try has to wait, and the wait doubles with each failure up
// to a maximum. Three counts are kept, each with its own rule:
//   - one account from one address: the strictest, since that is someone guessing one password;
//   - one address across every account: someone trying many accounts (many staff share an NHS
//     network's address, so it allows more);
//   - one account from every address: guessing spread over many addresses. Its wait is short (a
//     minute by default), because it also applies to the account's owner: someone hammering the
//     account from elsewhere can hold the owner up by that much, never longer.
// A try that is refused because of a wait is not counted, so hammering during a wait does not make it
// longer. A wrong password is forgotten after a quiet while, so a busy day of typos does not add up.

export type ThrottleRule = {
  /** Wrong passwords allowed before each further try has to wait. */
  freeFailures: number;
  /** The wait after the first failure past the free ones; it doubles with each failure after that. */
  firstWaitMs: number;
  /** The longest wait. */
  maxWaitMs: number;
  /** One failure is forgotten for each of these that passes without another. */
  forgetEveryMs: number;
};

export type ThrottleState = { failures: number; lastFailureAt: Date | null };

export const NO_FAILURES: ThrottleState = { failures: 0, lastFailureAt: null };

export type ThrottleRules = {
  /** One account from one address. */
  accountFromAddress: ThrottleRule;
  /** One account from every address. */
  account: ThrottleRule;
  /** One address across every account. */
  address: ThrottleRule;
};

const FORGET_EVERY_MS = 15 * 60_000;

/** The three rules from the configuration (SIGN_IN_FREE_FAILURES and the two maximum waits). */
export function throttleRules(c: {
  freeFailures: number;
  maxWaitMs: number;
  accountMaxWaitMs: number;
}): ThrottleRules {
  return {
    accountFromAddress: {
      freeFailures: c.freeFailures,
      firstWaitMs: Math.min(30_000, c.maxWaitMs),
      maxWaitMs: c.maxWaitMs,
      forgetEveryMs: FORGET_EVERY_MS,
    },
    account: {
      freeFailures: c.freeFailures * 2,
      firstWaitMs: Math.min(5_000, c.accountMaxWaitMs),
      maxWaitMs: c.accountMaxWaitMs,
      forgetEveryMs: FORGET_EVERY_MS,
    },
    address: {
      freeFailures: c.freeFailures * 4,
      firstWaitMs: Math.min(30_000, c.maxWaitMs),
      maxWaitMs: c.maxWaitMs,
      forgetEveryMs: FORGET_EVERY_MS,
    },
  };
}

/** The wait after the last of `failures` wrong passwords. */
export function waitAfter(failures: number, rule: ThrottleRule): number {
  if (failures < rule.freeFailures) return 0;
  // 2^40 ms is decades: past it, only the maximum matters (and the power would lose precision).
  const doublings = Math.min(failures - rule.freeFailures, 40);
  return Math.min(rule.maxWaitMs, rule.firstWaitMs * 2 ** doublings);
}

/** Failures still remembered at `now`: one is forgotten for every quiet `forgetEveryMs`. */
export function failuresAt(state: ThrottleState, rule: ThrottleRule, now: Date): number {
  if (!state.lastFailureAt) return 0;
  const quiet = Math.max(0, now.getTime() - state.lastFailureAt.getTime());
  return Math.max(0, state.failures - Math.floor(quiet / rule.forgetEveryMs));
}

/** When the next try may be made, or null when it may be made at any time. */
export function nextTryAt(state: ThrottleState, rule: ThrottleRule): Date | null {
  const wait = waitAfter(state.failures, rule);
  return wait > 0 && state.lastFailureAt ? new Date(state.lastFailureAt.getTime() + wait) : null;
}

/** The state after a wrong password at `now`. */
export function afterFailure(state: ThrottleState, rule: ThrottleRule, now: Date): ThrottleState {
  return { failures: failuresAt(state, rule, now) + 1, lastFailureAt: now };
}

/** When the state has nothing left to say (no wait, every failure forgotten), so it can be deleted. */
export function forgetAt(state: ThrottleState, rule: ThrottleRule): Date {
  if (!state.lastFailureAt) return new Date(0);
  const last = state.lastFailureAt.getTime();
  return new Date(last + Math.max(waitAfter(state.failures, rule), state.failures * rule.forgetEveryMs));
}

export type Verdict = { allowed: true } | { allowed: false; retryAt: Date };

/** Whether a try may be made now: only when no count asks it to wait. */
export function verdict(counts: { state: ThrottleState; rule: ThrottleRule }[], now: Date): Verdict {
  let retryAt: Date | null = null;
  for (const { state, rule } of counts) {
    const at = nextTryAt(state, rule);
    if (at && at > now && (!retryAt || at > retryAt)) retryAt = at;
  }
  return retryAt ? { allowed: false, retryAt } : { allowed: true };
}

/** How long someone has to wait, in words, rounded up: "30 seconds", "1 minute", "15 minutes". */
export function waitInWords(retryAt: Date, now: Date): string {
  const seconds = Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 1000));
  if (seconds < 60) return `${seconds} ${seconds === 1 ? 'second' : 'seconds'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
}
