import { sql, type Kysely } from 'kysely';

// A version stamp of everything the public finder and the open directory show (issue 15): the directory's
// entries, places and opening times, the days a service is open, commissions, the organisations behind
// them, the names of local authorities, and whether a service has someone to read referrals (its active
// advisers and service managers). Each instance of Mortar caches the published directory under this
// number and England's date, and reads the number at every request (directory/directory-cache.service.ts),
// so an edit made through any instance, a job or by hand is seen by every instance at its next request.
//
// Triggers, not the editing code, move it: no path that changes those tables can forget. They are
// deferred constraint triggers, so the one row is updated at commit, after every other lock the
// transaction takes: two edits at once wait for each other only for that moment and cannot deadlock
// over it. A transaction moves the number once, however many rows it changes (a setting local to the
// transaction remembers it).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table directory_version (
      only_row boolean primary key default true check (only_row),
      version bigint not null
    );
    insert into directory_version (version) values (1);

    create function bump_directory_version() returns trigger language plpgsql as $$
    begin
      if coalesce(current_setting('mortar.directory_version_bumped', true), '') <> 'on' then
        update directory_version set version = version + 1;
        perform set_config('mortar.directory_version_bumped', 'on', true);
      end if;
      return null;
    end $$;

    create constraint trigger directory_services_version
      after insert or update or delete on directory_services
      deferrable initially deferred for each row execute function bump_directory_version();
    create constraint trigger directory_locations_version
      after insert or update or delete on directory_locations
      deferrable initially deferred for each row execute function bump_directory_version();
    create constraint trigger directory_opening_hours_version
      after insert or update or delete on directory_opening_hours
      deferrable initially deferred for each row execute function bump_directory_version();
    create constraint trigger service_opening_days_version
      after insert or update or delete on service_opening_days
      deferrable initially deferred for each row execute function bump_directory_version();
    create constraint trigger commissions_version
      after insert or update or delete on commissions
      deferrable initially deferred for each row execute function bump_directory_version();
    create constraint trigger organisations_version
      after insert or update or delete on organisations
      deferrable initially deferred for each row execute function bump_directory_version();
    -- The reference data is upserted at every start: only a changed name matters.
    create constraint trigger local_authorities_version
      after update on local_authorities
      deferrable initially deferred for each row
      when (old.name is distinct from new.name)
      execute function bump_directory_version();
    -- Whether a service reads referrals (referrals/on-mortar.sql.ts); sign-ins and passwords leave it alone.
    create constraint trigger users_added_version
      after insert or delete on users
      deferrable initially deferred for each row execute function bump_directory_version();
    create constraint trigger users_changed_version
      after update on users
      deferrable initially deferred for each row
      when (old.active is distinct from new.active or old.role is distinct from new.role
        or old.organisation_id is distinct from new.organisation_id)
      execute function bump_directory_version();
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
