import { registerJob } from './jobs.ts';
import { purgePasswordResets } from './password.service.ts';
import { purgeRateLimits } from './rate-limit.store.ts';
import { purgeExpiredSessions } from './sessions.ts';
import { purgeSignInThrottle } from './sign-in.service.ts';
import { purgeSignInChallenges } from './two-factor.service.ts';
import { purgeSsoSignInStates } from './sso-identities.ts';

// Rows that sign-in security leaves behind and nothing reads again: ended sessions, rate-limit windows
// that have closed, wrong-password counts with nothing left to say, and reset links a day past expiry.
// Run on the job queue (platform/job-queue.ts, started in main.ts): once per slot across all instances.

export const PURGE_SESSIONS_JOB = 'purge-expired-sessions';
export const PURGE_SIGN_IN_RECORDS_JOB = 'purge-sign-in-records';

registerJob({ name: PURGE_SESSIONS_JOB, run: (trx, clock) => purgeExpiredSessions(trx, clock.now()) });

registerJob({
  name: PURGE_SIGN_IN_RECORDS_JOB,
  run: async (trx, clock) => {
    const now = clock.now();
    return (
      (await purgeRateLimits(trx, now)) +
      (await purgeSignInThrottle(trx, now)) +
      (await purgePasswordResets(trx, now)) +
      (await purgeSignInChallenges(trx, now)) +
      (await purgeSsoSignInStates(trx, now))
    );
  },
});
