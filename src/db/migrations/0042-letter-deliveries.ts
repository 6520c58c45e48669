import { sql, type Kysely } from 'kysely';

// Letters and notes to clinicians sent by secure email (issue 14). One row per sending asked for:
// - what was sent: the letter's content as it was when the adviser sent it (the same structure the page
//   and the PDF are drawn from), so a later change to the medicines list or the episode cannot change a
//   letter already on its way, and the record shows what the recipient got;
// - to whom: the secure address the adviser typed (a clinician's work address, checked against the
//   secure domains when it was typed);
// - what happened: queued, sending, sent (the Message-ID and the time the mail server accepted it) or
//   failed (the mail server's code only, never its words, which can echo the address).
// The medicine alert or clinician note it came from ties it to the episode's audit.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table letter_deliveries (
      id uuid primary key default gen_random_uuid(),
      episode_id uuid not null references episodes (id) on delete cascade,
      medicine_alert_id uuid references medicine_alerts (id) on delete cascade,
      clinician_note_id uuid references clinician_notes (id) on delete cascade,
      recipient_email text not null check (length(recipient_email) <= 254),
      subject text not null,
      content jsonb not null,
      requested_by uuid references users (id) on delete set null,
      requested_at timestamptz not null,
      status text not null default 'scheduled'
        check (status in ('scheduled', 'queued', 'sending', 'sent', 'failed')),
      status_at timestamptz not null,
      attempts integer not null default 0,
      message_id text,
      sent_at timestamptz,
      reason text,
      check ((medicine_alert_id is null) <> (clinician_note_id is null))
    );
    create index letter_deliveries_episode_idx on letter_deliveries (episode_id, requested_at desc);
    create index letter_deliveries_open_idx on letter_deliveries (status, status_at)
      where status in ('scheduled', 'queued', 'sending');
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
