import { fileURLToPath } from 'node:url';
import { intEnv } from '../load.ts';

// Settings of the reminders benchmark (bench/reminders.ts). The defaults are the reported run; the
// environment overrides are for quick runs.

export const S = {
  /** Reminders due on the bench's day, one person each. */
  messages: intEnv('BENCH_REMINDERS', 100_000, 10, 1_000_000),
  /** The fake Notify's limit on sends for the key, per 60 seconds (a live key's: 3,000). */
  ratePerMinute: intEnv('BENCH_REMINDER_RATE', 3000, 60, 1_000_000),
  /** Mortar worker instances sending at once; each is paced at the limit divided by their number. */
  instances: 2,
  /**
   * Messages each instance handles at once: messageWorkQueue's default, what `node src/main.ts serve`
   * runs. Changed only to see how the queue's batches limit throughput (bench/README.md).
   */
  concurrency: intEnv('BENCH_REMINDER_CONCURRENCY', 10, 1, 500),
  /** One instance is killed (SIGKILL) once this share of the messages has been accepted by Notify. */
  killAtShare: 0.2,
  /** How often the bench looks at the database and the fake while the queue drains. */
  pollMs: 2000,
  /** The run is given up if nothing is sent for this long (the expired jobs' retries take ~3 minutes). */
  stallMs: intEnv('BENCH_REMINDER_STALL_S', 600, 30, 3600) * 1000,
};

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The minutes the limit itself needs for all the messages: the same-run baseline. */
export const idealMinutes = () => S.messages / S.ratePerMinute;
