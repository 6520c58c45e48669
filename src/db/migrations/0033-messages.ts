import { sql, type Kysely } from 'kysely';

// Messages sent by Mortar on its job queue (issue 13): appointment reminders, the four-week prompt and
// check-ins to the person, and updates to referrers. A message is a row of `outbound_messages` from the
// moment it is planned; it holds no address and no words, only what it is about (the person, episode,
// appointment or referral) and facts that are not personal (a week number, an event), so a corrected
// phone number, a withdrawn consent or a moved appointment is honoured when it is sent. Its status is kept
// here from planned to Notify's delivery receipt. A person's say in messages from their service is
// `message_preferences`. A message's one-time link is kept as the hash of its token only. What a person
// answers to a check-in, and a text that could not be delivered, become tasks for the adviser.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table message_preferences (
      person_id uuid primary key references people(id),
      consent boolean not null,
      channel text check (channel in ('sms', 'email')),
      earliest_hour smallint not null default 9 check (earliest_hour between 7 and 20),
      latest_hour smallint not null default 20 check (latest_hour between 8 and 21),
      stopped_at timestamptz,
      stopped_how text check (stopped_how in ('reply', 'link', 'adviser')),
      updated_by uuid references users(id),
      updated_at timestamptz not null default now(),
      check (earliest_hour < latest_hour),
      check (not consent or channel is not null),
      check ((stopped_at is null) = (stopped_how is null))
    );
    create table outbound_messages (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind ~ '^[a-z_]{3,40}$'),
      channel text not null check (channel in ('sms', 'email')),
      person_id uuid references people(id),
      episode_id uuid references episodes(id),
      appointment_id uuid references appointments(id),
      referral_id uuid references referrals(id),
      recipient_user_id uuid references users(id),
      recipient_organisation_id uuid references organisations(id),
      facts jsonb not null default '{}'::jsonb,
      due_at timestamptz not null,
      status text not null default 'scheduled'
        check (status in ('scheduled', 'queued', 'sending', 'sent', 'delivered', 'failed', 'cancelled', 'skipped')),
      notify_id text,
      reason text check (char_length(reason) <= 200),
      attempts integer not null default 0,
      fallback_of uuid references outbound_messages(id),
      created_at timestamptz not null default now(),
      status_at timestamptz not null default now()
    );
    create index outbound_messages_due on outbound_messages (due_at) where status in ('scheduled', 'queued');
    create index outbound_messages_by_episode on outbound_messages (episode_id) where episode_id is not null;
    create index outbound_messages_by_appointment on outbound_messages (appointment_id)
      where appointment_id is not null;
    create index outbound_messages_by_referral on outbound_messages (referral_id) where referral_id is not null;
    create unique index outbound_messages_notify_id on outbound_messages (notify_id) where notify_id is not null;
    create table message_links (
      token_hash text primary key,
      message_id uuid not null unique references outbound_messages(id),
      expires_at timestamptz not null,
      used_at timestamptz
    );
    create table message_tasks (
      id uuid primary key default gen_random_uuid(),
      episode_id uuid not null references episodes(id),
      message_id uuid references outbound_messages(id),
      kind text not null check (kind in ('call_me', 'smoked', 'smokefree', 'not_delivered')),
      raised_at timestamptz not null default now(),
      done_at timestamptz,
      done_by uuid references users(id),
      note text check (char_length(note) <= 1000),
      check ((done_at is null) = (done_by is null))
    );
    create unique index message_tasks_one_answer on message_tasks (message_id) where kind <> 'not_delivered';
    create index message_tasks_open on message_tasks (episode_id) where done_at is null;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
