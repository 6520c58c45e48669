import { sql, type Kysely } from 'kysely';

// Issue 15, speed: the service manager's dashboard lists the referrals waiting with nobody yet reached
// (current status "received"). Working that out from the events (referral-status.sql.ts) means one
// look-up per referral the service ever received: about 0.5 s for the busiest service with five years of
// national data. Each referral's current status is now kept in a table of its own, by triggers, the way
// referral_facts is: the latest status event by id (contact attempts and the referrer's corrections are
// not status events), "received" when there is none. The rule is deriveStatus's (referral-status.ts);
// referral-current-status.db.test.ts checks the table against it on generated histories written in
// every way (one statement, event by event, updates, deletions).
//
// It is a table apart from referral_facts on purpose: a change of status there would mark the quarter's
// national counts stale (migration 0013) though no count reads the status.
//
// The referral API's path: a new referral and its "received" event are written in one statement. The
// referrals trigger works out its status once; the events trigger skips a "received" event when the
// referral has no row yet (the referrals trigger is about to make it) or already reads "received" (an
// event of that kind cannot change it), so a referral costs one extra index look-up and one insert.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table referral_current_status (
      referral_id uuid primary key references referrals(id) on delete cascade,
      status text not null
    );
    -- The work still to do: a few thousand rows nationally, against millions of referrals.
    create index referral_current_status_open_idx on referral_current_status (status, referral_id)
      where status in ('received', 'contacted');

    create function refresh_referral_current_status(ids uuid[]) returns void language plpgsql
    set plan_cache_mode = force_generic_plan as $fn$
    begin
      if ids is null or cardinality(ids) = 0 then return; end if;
      insert into referral_current_status (referral_id, status)
      select r.id, coalesce((
        select e.kind from referral_events e
        where e.referral_id = r.id and e.kind not in ('contact_attempt', 'details_corrected')
        order by e.id desc limit 1), 'received')
      from referrals r
      where r.id = any(ids)
      on conflict (referral_id) do update set status = excluded.status
        where referral_current_status.status is distinct from excluded.status;
    end
    $fn$;

    create function referral_current_status_from_referrals() returns trigger language plpgsql as $fn$
    begin
      perform refresh_referral_current_status(array(select id from changed_rows));
      return null;
    end
    $fn$;
    create trigger referral_current_status_referrals_insert after insert on referrals
      referencing new table as changed_rows for each statement execute function referral_current_status_from_referrals();

    create function referral_current_status_from_events() returns trigger language plpgsql as $fn$
    begin
      if tg_op = 'INSERT' then
        perform refresh_referral_current_status(array(
          select distinct n.referral_id from new_rows n
          where n.kind not in ('contact_attempt', 'details_corrected')
            and (n.kind <> 'received' or exists (
              select 1 from referral_current_status s where s.referral_id = n.referral_id and s.status <> 'received'))));
      elsif tg_op = 'DELETE' then
        perform refresh_referral_current_status(array(
          select distinct referral_id from old_rows where kind not in ('contact_attempt', 'details_corrected')));
      else
        perform refresh_referral_current_status(array(
          select referral_id from new_rows union select referral_id from old_rows));
      end if;
      return null;
    end
    $fn$;
    create trigger referral_current_status_events_insert after insert on referral_events
      referencing new table as new_rows for each statement execute function referral_current_status_from_events();
    create trigger referral_current_status_events_update after update on referral_events
      referencing old table as old_rows new table as new_rows for each statement execute function referral_current_status_from_events();
    create trigger referral_current_status_events_delete after delete on referral_events
      referencing old table as old_rows for each statement execute function referral_current_status_from_events();

    insert into referral_current_status (referral_id, status)
    select r.id, coalesce(l.kind, 'received')
    from referrals r
    left join lateral (
      select e.kind from referral_events e
      where e.referral_id = r.id and e.kind not in ('contact_attempt', 'details_corrected')
      order by e.id desc limit 1
    ) l on true;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
