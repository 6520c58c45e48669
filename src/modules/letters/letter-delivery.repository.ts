import type { Selectable } from 'kysely';
import type { Database, Executor } from '../../db/database.ts';
import type { LetterDeliveriesTable } from '../../db/schema.ts';
import type { Letter } from '../../platform/letter.ts';

// Letters on their way by secure email: one row per sending asked for, and its outcome.

export type LetterDelivery = Selectable<LetterDeliveriesTable>;

/** What a letter was written from: a medicine alert's letter to the prescriber, or a saved note. */
export type LetterSource = { medicineAlertId: string } | { clinicianNoteId: string };

export type NewDelivery = {
  episodeId: string;
  source: LetterSource;
  recipientEmail: string;
  subject: string;
  content: Letter;
  requestedBy: string;
  now: Date;
};

const OPEN = ['scheduled', 'queued', 'sending'] as const;

export async function insertDelivery(db: Executor, d: NewDelivery): Promise<string> {
  const row = await db
    .insertInto('letter_deliveries')
    .values({
      episode_id: d.episodeId,
      medicine_alert_id: 'medicineAlertId' in d.source ? d.source.medicineAlertId : null,
      clinician_note_id: 'clinicianNoteId' in d.source ? d.source.clinicianNoteId : null,
      recipient_email: d.recipientEmail,
      subject: d.subject,
      content: d.content,
      requested_by: d.requestedBy,
      requested_at: d.now,
      status_at: d.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The sendings of one letter, newest first. */
export async function deliveriesOf(db: Executor, episodeId: string, source: LetterSource) {
  let q = db.selectFrom('letter_deliveries').selectAll().where('episode_id', '=', episodeId);
  q =
    'medicineAlertId' in source
      ? q.where('medicine_alert_id', '=', source.medicineAlertId)
      : q.where('clinician_note_id', '=', source.clinicianNoteId);
  return q.orderBy('requested_at', 'desc').limit(50).execute();
}

/** Every sending of the episode's letters, newest first. */
export async function deliveriesOfEpisode(db: Executor, episodeId: string) {
  return db
    .selectFrom('letter_deliveries')
    .selectAll()
    .where('episode_id', '=', episodeId)
    .orderBy('requested_at', 'desc')
    .limit(200)
    .execute();
}

/** Marks due sendings queued, oldest first, and returns their ids for the job queue. */
export async function queueDue(db: Executor, now: Date, limit: number): Promise<string[]> {
  const rows = await db
    .updateTable('letter_deliveries')
    .set({ status: 'queued', status_at: now })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('letter_deliveries')
        .select('id')
        .where('status', '=', 'scheduled')
        .orderBy('requested_at')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Sendings queued or claimed longer ago than `staleMs`: offered to the queue again under the same id. */
export async function staleDeliveries(db: Executor, now: Date, staleMs: number, limit: number) {
  const rows = await db
    .selectFrom('letter_deliveries')
    .select('id')
    .where('status', 'in', ['queued', 'sending'])
    .where('status_at', '<', new Date(now.getTime() - staleMs))
    .orderBy('status_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Locks the row and marks it sending, in one transaction, so two runs cannot both claim it; null when
 * it is no longer open (sent or failed by another run).
 */
export async function claimDelivery(db: Database, id: string, now: Date): Promise<LetterDelivery | null> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('letter_deliveries')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!row || !(OPEN as readonly string[]).includes(row.status)) return null;
    await trx
      .updateTable('letter_deliveries')
      .set({ status: 'sending', attempts: row.attempts + 1, status_at: now })
      .where('id', '=', id)
      .execute();
    return row;
  });
}

async function auditOutcome(db: Executor, row: LetterDelivery, detail: string) {
  const episode = await db
    .selectFrom('episodes')
    .select('service_organisation_id')
    .where('id', '=', row.episode_id)
    .executeTakeFirst();
  await db
    .insertInto('audit_events')
    .values({
      actor_user_id: null,
      actor_api_key_id: null,
      organisation_id: episode?.service_organisation_id ?? null,
      action: 'export',
      entity_type: row.medicine_alert_id ? 'medicine_alert' : 'clinician_note',
      entity_id: row.medicine_alert_id ?? row.clinician_note_id,
      detail: `${detail} (delivery ${row.id})`,
      request_id: null,
    })
    .execute();
}

/** Records the mail server's acceptance, once, with its audit row. */
export async function markDeliverySent(db: Database, id: string, messageId: string, now: Date) {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('letter_deliveries')
      .set({ status: 'sent', message_id: messageId.slice(0, 300), sent_at: now, status_at: now })
      .where('id', '=', id)
      .where('status', 'in', [...OPEN])
      .returningAll()
      .executeTakeFirst();
    if (row) await auditOutcome(trx, row, 'letter sent by secure email');
  });
}

/** Records that it could not be sent, once, with its audit row. `reason` holds a code, never an address. */
export async function markDeliveryFailed(db: Database, id: string, reason: string, now: Date) {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('letter_deliveries')
      .set({ status: 'failed', reason: reason.slice(0, 200), status_at: now })
      .where('id', '=', id)
      .where('status', 'in', [...OPEN])
      .returningAll()
      .executeTakeFirst();
    if (row) await auditOutcome(trx, row, `letter not sent by secure email: ${row.reason}`);
  });
}
