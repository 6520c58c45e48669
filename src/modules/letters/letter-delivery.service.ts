import type { Database } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import type { Letter } from '../../platform/letter.ts';
import type { StaffUser } from '../../platform/roles.ts';
import {
  deliveriesOf,
  deliveriesOfEpisode,
  insertDelivery,
  type LetterDelivery,
  type LetterSource,
} from './letter-delivery.repository.ts';
import { deliveryLine } from './letter-delivery.ts';
import { letterSubject, type LetterKind } from './letter-email.ts';

export type { LetterSource };

// Asking for a letter to be sent by secure email, and what the page shows of its sendings. The caller
// has found the letter through the service's scope and checked the address (platform/secure-email.ts).

export type DeliveryRequest = {
  episodeId: string;
  source: LetterSource;
  kind: LetterKind;
  recipientEmail: string;
  letter: Letter;
  now: Date;
  requestId: string;
};

/** Stores the letter as it is now and the address, for the job queue to send; audited as an export. */
export async function requestLetterDelivery(db: Database, user: StaffUser, r: DeliveryRequest) {
  return db.transaction().execute(async (trx) => {
    const id = await insertDelivery(trx, {
      episodeId: r.episodeId,
      source: r.source,
      recipientEmail: r.recipientEmail,
      subject: letterSubject(r.kind, r.letter.from[0] ?? 'the stop smoking service'),
      content: r.letter,
      requestedBy: user.id,
      now: r.now,
    });
    await audit(
      trx,
      user,
      {
        action: 'export',
        entityType: 'medicineAlertId' in r.source ? 'medicine_alert' : 'clinician_note',
        entityId: 'medicineAlertId' in r.source ? r.source.medicineAlertId : r.source.clinicianNoteId,
        detail: `letter to be sent by secure email (delivery ${id})`,
      },
      r.requestId,
    );
    return id;
  });
}

export type DeliveryView = { line: string; failed: boolean; sent: boolean };

/** The letter's sendings, newest first, each in one line. */
export async function letterDeliveries(
  db: Database,
  episodeId: string,
  source: LetterSource,
): Promise<DeliveryView[]> {
  const rows = await deliveriesOf(db, episodeId, source);
  return rows.map((r) => ({ line: lineOf(r), failed: r.status === 'failed', sent: r.status === 'sent' }));
}

const lineOf = (r: LetterDelivery) =>
  deliveryLine({
    recipient: r.recipient_email,
    status: r.status,
    requestedAt: new Date(r.requested_at),
    sentAt: r.sent_at ? new Date(r.sent_at) : null,
    statusAt: new Date(r.status_at),
    reason: r.reason,
  });

/**
 * For the episode page: the latest sending of each letter, by medicine alert and by note id, in a line
 * ("Sent to dr.x@nhs.net on 7 December 2026 at 10:02").
 */
export async function latestDeliveryLines(db: Database, episodeId: string) {
  const byAlert: Record<string, string> = {};
  const byNote: Record<string, string> = {};
  for (const r of await deliveriesOfEpisode(db, episodeId)) {
    if (r.medicine_alert_id) byAlert[r.medicine_alert_id] ??= lineOf(r);
    if (r.clinician_note_id) byNote[r.clinician_note_id] ??= lineOf(r);
  }
  return { byAlert, byNote };
}
