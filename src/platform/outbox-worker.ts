// The outbox's messages as a work queue of the job queue (job-queue.ts): each due message becomes a
// pg-boss job under the message's own id, so it is queued once however many instances offer it, fetched
// by one of them (SKIP LOCKED), and tried again with back-off when Notify is busy or down. A job whose
// instance died is expired by pg-boss's supervisor and run again; sendMessage then asks Notify before
// sending twice.
import type { WorkQueue } from './job-queue.ts';
import { queueDueMessages, sendMessage, staleMessages, type SenderDeps } from './outbox-sender.ts';

export const SEND_MESSAGE_QUEUE = 'send-message';

/** A message queued or claimed this long ago without an outcome is offered again (its job may be lost). */
const STALE_MS = 10 * 60_000;

export function messageWorkQueue(
  deps: SenderDeps,
  opts: { concurrency?: number; batch?: number } = {},
): WorkQueue {
  const batch = opts.batch ?? 1000;
  return {
    name: SEND_MESSAGE_QUEUE,
    collect: async (clock) => [
      ...(await queueDueMessages(deps.db, clock.now(), batch)),
      ...(await staleMessages(deps.db, clock.now(), STALE_MS, batch)),
    ],
    handle: async (id, attempt) => {
      await sendMessage(deps, id, { lastTry: attempt.retryCount >= attempt.retryLimit });
    },
    concurrency: opts.concurrency ?? 10,
    // About 30 s, 1, 2, 4 ... minutes, up to an hour, eight times: a day of Notify being down is
    // still sent within the hour it comes back; a run that has not finished in two minutes has died.
    retry: { retryLimit: 8, retryDelay: 30, retryBackoff: true, retryDelayMax: 3600, expireInSeconds: 120 },
  };
}
