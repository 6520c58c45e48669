import { sql, type Kysely } from 'kysely';

// Issue 12, stop smoking support inside NHS Talking Therapies (docs/domain.md, Route of delivery).
// 1. The integrated-delivery return: a mental health service's own quarterly return, kept in `returns`
//    beside the authorities' with the same versions, events and sign-off. A return is for an authority
//    or for an integrated service, never both (returns/return-unit.ts: the unit `integrated:<id>`).
// 2. Handovers between routes: a quit attempt handed from the service holding it to a service of the
//    other route (treatment/handover.service.ts, by episodes/route-move.ts). The episode keeps its
//    history (sessions, mood checks, outcome) and moves whole, so it counts once, where it is held;
//    this table keeps who handed it from where to where, and when.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table returns alter column local_authority_code drop not null;
    alter table returns add column integrated_service_id uuid references organisations(id);
    alter table returns add constraint returns_one_unit
      check ((local_authority_code is null) <> (integrated_service_id is null));
    create unique index returns_integrated_period_idx
      on returns (integrated_service_id, financial_year, quarter) where integrated_service_id is not null;

    create table episode_handovers (
      id uuid primary key default gen_random_uuid(),
      episode_id uuid not null references episodes(id),
      from_service_organisation_id uuid not null references organisations(id),
      to_service_organisation_id uuid not null references organisations(id),
      handed_over_by uuid not null references users(id),
      handed_over_on date not null,
      created_at timestamptz not null default now(),
      check (from_service_organisation_id <> to_service_organisation_id)
    );
    create index episode_handovers_episode_idx on episode_handovers (episode_id, created_at);
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
