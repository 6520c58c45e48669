import pg from 'pg';
import { openDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { migrateJobQueue } from '../../src/platform/job-queue.ts';
import { addDays } from '../../src/platform/dates.ts';

// The bench's data, written in bulk with SQL (setup, not measured): one stop smoking service with a site
// and an adviser; for each of `n` people a UK mobile number, consent to texts, an open episode, a session
// with an appointment booked tomorrow (09:00 to 16:45 in England), and that appointment's reminder
// planned as due at 08:00 this morning.

export type BenchDay = {
  /** The bench's day in England, 'YYYY-MM-DD'. */
  day: string;
  /** 08:00 in England that day: when every reminder is due. */
  dueAt: Date;
  /** 09:00 in England that day: where the workers' clock starts (people's default hours are 9 to 20). */
  startAt: Date;
};

/** Mortar's migrations and pg-boss's, as `node src/main.ts migrate` runs them. */
export async function migrate(databaseUrl: string): Promise<void> {
  const handle = await openDatabase({ databaseUrl, poolSize: 2 });
  try {
    await migrateToLatest(handle.db);
    await migrateJobQueue(handle.db);
  } finally {
    await handle.close();
  }
}

export async function benchDay(c: pg.Client, day: string): Promise<BenchDay> {
  const r = await c.query<{ due: Date; start: Date }>(
    `select ($1::date + time '08:00') at time zone 'Europe/London' as due,
            ($1::date + time '09:00') at time zone 'Europe/London' as start`,
    [day],
  );
  return { day, dueAt: r.rows[0]!.due, startAt: r.rows[0]!.start };
}

// Ofcom's drama range, 07700 900000 to 900999, shared out in turn: never anyone's number. 900000 to
// 900003 are left out (the fake's inbound number and Notify's simulated failures).
const PHONE = `'07700 900' || lpad((4 + (g % 996))::text, 3, '0')`;

/** Writes the service and the people, episodes, appointments and planned reminders; returns the service's id. */
export async function seed(c: pg.Client, n: number, day: BenchDay, kind: string): Promise<string> {
  const tomorrow = addDays(day.day, 1);
  await c.query('begin');
  const org = await one(
    c,
    `insert into organisations (name, type, phone) values ('Bench Stop Smoking Service', 'stop_smoking_service', '0113 496 0000') returning id`,
  );
  const site = await one(
    c,
    `insert into sites (organisation_id, name, address, postcode) values ($1, 'Bench Health Centre', '1 Bench Street, Leeds', 'LS6 1AN') returning id`,
    [org],
  );
  const adviser = await one(
    c,
    `insert into users (email, name, role, organisation_id) values ('adviser@bench.invalid', 'Bench Adviser', 'adviser', $1) returning id`,
    [org],
  );
  await c.query(
    `insert into people (service_organisation_id, given_name, family_name, date_of_birth, postcode, phone, created_at)
     select $1, 'Bench', 'Person ' || g, date '1960-01-01' + (g % 15000), 'LS6 1AN', ${PHONE}, now()
     from generate_series(1, $2::int) g`,
    [org, n],
  );
  await c.query(
    `insert into message_preferences (person_id, consent, channel, updated_at)
     select id, true, 'sms', now() from people where service_organisation_id = $1`,
    [org],
  );
  await c.query(
    `insert into episodes (person_id, service_organisation_id, adviser_user_id, started_on, created_at)
     select id, $1, $2, $3::date, now() from people where service_organisation_id = $1`,
    [org, adviser, day.day],
  );
  await c.query(
    `insert into episode_sessions (episode_id, kind, scheduled_on, mode, created_at)
     select id, 'pre_quit_assessment', $2::date, 'in_person', now() from episodes where service_organisation_id = $1`,
    [org, tomorrow],
  );
  await c.query(
    `insert into appointments (session_id, starts_at, mode, site_id, adviser_user_id, booked_by, booked_at)
     select s.id,
            ($2::date + time '09:00') at time zone 'Europe/London'
              + (row_number() over (order by s.id) % 32) * interval '15 minutes',
            'face_to_face', $3, $4, $4, now()
     from episode_sessions s join episodes e on e.id = s.episode_id
     where e.service_organisation_id = $1`,
    [org, tomorrow, site, adviser],
  );
  await c.query(
    `insert into outbound_messages (kind, channel, person_id, episode_id, appointment_id, facts, due_at, created_at, status_at)
     select $2, 'sms', e.person_id, e.id, a.id,
            jsonb_build_object('startsAt', to_char(a.starts_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
            $3, now(), now()
     from appointments a
     join episode_sessions s on s.id = a.session_id
     join episodes e on e.id = s.episode_id
     where e.service_organisation_id = $1`,
    [org, kind, day.dueAt],
  );
  await c.query('commit');
  await c.query('vacuum analyze');
  return org;
}

async function one(c: pg.Client, text: string, values: unknown[] = []): Promise<string> {
  const r = await c.query<{ id: string }>(text, values);
  return r.rows[0]!.id;
}
