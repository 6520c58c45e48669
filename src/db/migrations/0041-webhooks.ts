import { sql, type Kysely } from 'kysely';

// Signed webhooks to referring systems (issue 14): status changes pushed to the organisation that sent
// the referral, so its system need not poll the referral API.
// - webhook_endpoints: an organisation's receiving URLs, the events each wants, and its signing secret,
//   sealed (platform/secret-box.ts) because Mortar must read it back to sign. After a rotation the
//   previous secret also signs until previous_secret_until, so the receiver can switch without a gap.
//   disabled_at is set by the administrator or by Mortar after repeated failure (disabled_reason says
//   which); last_success_at decides the latter.
// - webhook_deliveries: one row per status event per endpoint (unique), so an event is delivered once
//   per endpoint; each retry is the same row and so the same webhook-id. It holds the event's type and
//   the referral-visible status, never anything about the person. job_id names the pg-boss job of the
//   current attempt, so every attempt is queued once across instances.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table webhook_endpoints (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisations (id),
      url text not null check (char_length(url) between 10 and 2000),
      description text not null check (char_length(description) between 1 and 100),
      events text[] not null check (cardinality(events) > 0),
      secret_sealed text not null,
      previous_secret_sealed text,
      previous_secret_until timestamptz,
      created_by uuid references users (id),
      created_at timestamptz not null default now(),
      secret_rotated_at timestamptz,
      last_success_at timestamptz,
      disabled_at timestamptz,
      disabled_reason text check (disabled_reason in ('administrator', 'failing')),
      check ((disabled_at is null) = (disabled_reason is null))
    );
    create index webhook_endpoints_organisation on webhook_endpoints (organisation_id);

    create table webhook_deliveries (
      id uuid primary key default gen_random_uuid(),
      endpoint_id uuid not null references webhook_endpoints (id) on delete cascade,
      referral_event_id bigint not null references referral_events (id),
      referral_id uuid not null references referrals (id),
      event_type text not null,
      referral_status text not null,
      occurred_at timestamptz not null,
      status text not null default 'pending' check (status in ('pending', 'delivered', 'failed', 'cancelled')),
      attempts integer not null default 0,
      first_attempt_at timestamptz,
      next_attempt_at timestamptz,
      last_attempt_at timestamptz,
      last_status_code integer,
      last_error text,
      job_id uuid,
      created_at timestamptz not null default now(),
      unique (endpoint_id, referral_event_id)
    );
    create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status = 'pending';
    create index webhook_deliveries_endpoint on webhook_deliveries (endpoint_id, created_at desc);
    create index webhook_deliveries_job on webhook_deliveries (job_id) where job_id is not null;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
