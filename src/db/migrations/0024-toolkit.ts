import { sql, type Kysely } from 'kysely';

// The national toolkit (issue 12): documents the national team publishes in numbered versions, and each
// local authority's adopted copy with its own numbered edits. Nothing is overwritten: a published
// national version never changes (a trigger refuses it), and a local edit is a new row naming the
// national version it was based on, so an area can see what changed nationally since.
//
// The body is the toolkit's small markup (modules/toolkit/toolkit-markup.ts), never HTML. Which kinds
// exist is checked by the application (toolkit.kinds.ts), so a new kind needs no migration. The first
// published versions are seeded by modules/toolkit/toolkit.seed.ts (after that the content is the
// national team's), not written here.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table toolkit_documents (
      id uuid primary key default gen_random_uuid(),
      slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
      kind text not null check (length(kind) between 1 and 40),
      created_at timestamptz not null default now()
    );

    create table toolkit_versions (
      id uuid primary key default gen_random_uuid(),
      document_id uuid not null references toolkit_documents(id),
      number integer not null check (number > 0),
      title text not null check (length(title) between 1 and 200),
      body text not null check (length(body) between 1 and 50000),
      change_note text check (length(change_note) <= 500),
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      published_by uuid references users(id),
      published_at timestamptz,
      unique (document_id, number)
    );
    -- One draft at a time per document: two people drafting at once would overwrite each other.
    create unique index toolkit_versions_one_draft on toolkit_versions (document_id) where published_at is null;

    create function toolkit_published_is_final() returns trigger language plpgsql as $$
    begin
      if old.published_at is not null then
        raise exception 'a published toolkit version cannot be changed' using errcode = '55000';
      end if;
      return case when tg_op = 'DELETE' then old else new end;
    end $$;
    create trigger toolkit_versions_final before update or delete on toolkit_versions
      for each row execute function toolkit_published_is_final();

    create table toolkit_adoptions (
      id uuid primary key default gen_random_uuid(),
      document_id uuid not null references toolkit_documents(id),
      local_authority_code text not null references local_authorities(code),
      adopted_by uuid references users(id),
      adopted_at timestamptz not null default now(),
      unique (document_id, local_authority_code)
    );

    create table toolkit_local_versions (
      id uuid primary key default gen_random_uuid(),
      adoption_id uuid not null references toolkit_adoptions(id),
      number integer not null check (number > 0),
      based_on_version_id uuid not null references toolkit_versions(id),
      title text not null check (length(title) between 1 and 200),
      body text not null check (length(body) between 1 and 50000),
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      unique (adoption_id, number)
    );
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
