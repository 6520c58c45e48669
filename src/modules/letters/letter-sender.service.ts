// Sends the letters asked for, by secure email, at most once each. The outbox's pattern
// (platform/outbox-sender.ts, docs/architecture.md "Messages"), with a PDF attached:
//  1. the adviser's request stores the letter as it is and the address (`scheduled`);
//  2. each due row becomes one job on the job queue under the row's own id, so however many instances
//     offer it, one fetches it; the run locks the row and marks it `sending`;
//  3. the PDF is drawn from the stored letter and handed to the mail server; its acceptance is `sent`.
// An outage (no connection, a 4xx) is tried again with back-off; a refusal (a 5xx: no such mailbox) or
// the last try is `failed`, shown on the page with the way to print instead. A run that finds the row
// still `sending` (its instance died mid-send) cannot ask the mail server, so it sends again with the
// same Message-ID, which mail clients show once. Nothing of the letter or the address is logged.
import type { Database } from '../../db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { WorkQueue } from '../../platform/job-queue.ts';
import { letterFileName } from '../../platform/letter.ts';
import { NotifyError, type NotifyLogger } from '../../platform/notify.ts';
import { TryAgainLater } from '../../platform/outbox-sender.ts';
import {
  claimDelivery,
  markDeliveryFailed,
  markDeliverySent,
  queueDue,
  staleDeliveries,
} from './letter-delivery.repository.ts';
import { letterEmailText } from './letter-email.ts';
import type { LetterMailer } from './letter-mailer.ts';
import { letterPdf } from './letter-pdf.ts';

export const SEND_LETTER_QUEUE = 'send-letter';

export type LetterSenderDeps = { db: Database; mailer: LetterMailer; clock: Clock; log?: NotifyLogger };

// A 5xx (or an address refused before any code) will never be accepted; a 4xx is the server's "not
// now" (greylisting, a full mailbox, too many connections) and is tried again like an outage.
const refused = (e: NotifyError) => (e.status !== undefined ? e.status >= 500 : e.kind === 'refused');

const reasonOf = (e: NotifyError) =>
  `the mail server ${refused(e) ? 'refused it' : 'could not be reached'}${e.status ? ` (${e.status})` : ''}${e.code ? ` ${e.code}` : ''}`;

/** Sends one letter at most once. Throws TryAgainLater to be tried again; on `lastTry` fails instead. */
export async function sendLetter(
  deps: LetterSenderDeps,
  id: string,
  opts: { lastTry: boolean } = { lastTry: false },
): Promise<'sent' | 'failed' | 'done'> {
  const row = await claimDelivery(deps.db, id, deps.clock.now());
  if (!row) return 'done';
  try {
    const pdf = await letterPdf(row.content);
    const sent = await deps.mailer.send({
      to: row.recipient_email,
      subject: row.subject,
      text: letterEmailText(row.content),
      reference: row.id,
      attachment: {
        filename: letterFileName(row.medicine_alert_id ? 'letter' : 'note', row.id),
        content: pdf,
      },
    });
    await markDeliverySent(deps.db, id, sent.messageId, deps.clock.now());
    return 'sent';
  } catch (err) {
    const e = err instanceof NotifyError ? err : new NotifyError('smtp', err);
    deps.log?.warn({ letter: { delivery: id }, err: { status: e.status, code: e.code } }, 'letter not sent');
    if (refused(e) || opts.lastTry) {
      await markDeliveryFailed(deps.db, id, reasonOf(e), deps.clock.now());
      return 'failed';
    }
    throw new TryAgainLater(e);
  }
}

/** A sending queued or claimed this long ago without an outcome is offered again (its job may be lost). */
const STALE_MS = 10 * 60_000;

export function letterWorkQueue(deps: LetterSenderDeps): WorkQueue {
  return {
    name: SEND_LETTER_QUEUE,
    collect: async (clock) => [
      ...(await queueDue(deps.db, clock.now(), 200)),
      ...(await staleDeliveries(deps.db, clock.now(), STALE_MS, 200)),
    ],
    handle: async (id, attempt) => {
      await sendLetter(deps, id, { lastTry: attempt.retryCount >= attempt.retryLimit });
    },
    concurrency: 2,
    // About 1, 2, 4 ... minutes up to an hour, eight times (a working day of NHSmail being down); a run
    // not finished in two minutes has died with its instance.
    retry: { retryLimit: 8, retryDelay: 60, retryBackoff: true, retryDelayMax: 3600, expireInSeconds: 120 },
  };
}
