// The dashboards' server time on national data (issue 6): bench/returns.ts calls measureDashboards on
// each database it has filled with the synthetic national data (bench/generate-national.ts), after its
// return timings. Prints figures; it is not a test. See bench/README.md.
//
// On top of the generated episodes and referrals it adds what the dashboards also read, for every
// authority: a strategy with a target for each indicator in each quarter, twenty partners (some linked to
// the authority's referring organisations) with smokefree policies, and a hundred training records; and
// three accounts: the commissioner of the busiest authority, the manager of its stop smoking service,
// and a national analyst. Then the real app (buildApp, in this process, over app.inject: server time,
// no network) serves each dashboard `requests` times one after another, for the last quarter of the
// generated data, signed in as a person would be. The national counts the commissioner's and national
// dashboards compare with are kept between views until something in their quarter changes (migration
// 0013), so each of those is also timed with a new referral in the quarter before every request: the
// quarter is counted again each time. Baseline, same run and same session: GET /indicators, a signed-in
// page that renders a template and reads no counts.

import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import type { Database } from '../src/db/database.ts';
import { PostcodeLookup } from '../src/platform/postcode-lookup.ts';
import { openReadReplica } from '../src/db/read-replica.ts';
import { INDICATOR_CODES } from '../src/modules/strategy/indicators.ts';
import { hashPassword } from '../src/platform/passwords.ts';
import { signIn, type HttpSession } from '../test/helpers/http-session.ts';
import { now, percentile } from './load.ts';
import { table } from './table.ts';

const PASSWORD = 'bench-password-123';
/** The issue's aim: every dashboard under this at the 99th percentile on the server. */
export const DASHBOARD_AIM_MS = 300;

export type DashboardRow = {
  name: string;
  url: string;
  p50: number;
  p99: number;
  max: number;
  n: number;
  baselineP50: number;
  baselineP99: number;
};

/** Strategies, partners, policies and training for every authority, and the three accounts. */
async function addAccountability(db: Database, last: { financialYear: number; quarter: number }) {
  await addStrategiesAndPartners(db, last);
  return addAccounts(db);
}

/** A strategy with targets, twenty partners with smokefree policies, and their training, for every authority. */
async function addStrategiesAndPartners(db: Database, last: { financialYear: number; quarter: number }) {
  const first = { financialYear: last.financialYear - 2, quarter: 1 };
  await sql`
    insert into strategies (local_authority_code, title, aims, start_year, start_quarter, end_year, end_quarter)
    select code, 'Smokefree ' || name, 'Help more people with depression or anxiety to stop smoking.',
      ${first.financialYear}, 1, ${last.financialYear + 1}, 4
    from local_authorities
    where not exists (select 1 from strategies s where s.local_authority_code = local_authorities.code)`.execute(
    db,
  );
  await sql`
    insert into strategy_targets (strategy_id, indicator_code, financial_year, quarter, target)
    select s.id, i.code, y, q, (abs(hashtext(s.id::text || i.code || y || q)) % 90) + 5
    from strategies s
    cross join unnest(${[...INDICATOR_CODES]}::text[]) as i(code)
    cross join generate_series(s.start_year, s.end_year) as y
    cross join generate_series(1, 4) as q
    on conflict do nothing`.execute(db);
  await sql`
    insert into partners (local_authority_code, organisation_id, name, sector, kind, status, joined_on)
    select la.code, o.id, coalesce(o.name, la.name || ' partner ' || n), case when n % 3 = 0 then 'nhs' else 'community' end,
      coalesce(o.type, 'other'), case when n % 7 = 0 then 'paused' else 'active' end, date '2021-04-01' + n * 20
    from local_authorities la
    cross join generate_series(1, 20) as n
    left join lateral (
      select o.id, o.name, o.type from organisations o
      where o.local_authority_code = la.code and o.type not in ('stop_smoking_service', 'local_authority')
      order by o.name offset n - 1 limit 1
    ) o on true
    where not exists (select 1 from partners p where p.local_authority_code = la.code)`.execute(db);
  await sql`
    insert into smokefree_policies (partner_id, status, adopted_on, review_on)
    select id, s, case when s = 'adopted' then date '2022-01-01' else null end, date '2026-06-01'
    from (select id, (array['none', 'drafted', 'adopted', 'adopted'])[1 + abs(hashtext(id::text)) % 4] as s from partners) p
    on conflict do nothing`.execute(db);
  await sql`
    insert into training_records (partner_id, staff_name, staff_key, course, completed_on, renewal_due_on)
    select p.id, 'Staff member ' || n, 'staff member ' || n, (array['vba', 'vba', 'ncsct_practitioner', 'ncsct_mental_health'])[1 + n % 4],
      date '2022-01-01' + (abs(hashtext(p.id::text || n)) % 1400), null
    from partners p cross join generate_series(1, 5) as n
    where not exists (select 1 from training_records t where t.partner_id = p.id)`.execute(db);
}

/** The busiest authority's commissioner and service manager, and a national analyst. */
async function addAccounts(db: Database) {
  const busiest = await sql<{ code: string; service: string; council: string }>`
    select f.local_authority_code as code, f.service_organisation_id as service,
      (select o.id from organisations o where o.local_authority_code = f.local_authority_code and o.type = 'local_authority' limit 1) as council
    from episode_facts f group by 1, 2 order by count(*) desc limit 1`.execute(db);
  const b = busiest.rows[0];
  if (!b?.council) throw new Error('The generated data has no episodes, or no council organisation');
  // Reused when the bench runs again on the same database (measuring a change on data kept loaded).
  const national =
    (await db
      .selectFrom('organisations')
      .select('id')
      .where('name', '=', 'Bench national team')
      .executeTakeFirst()) ??
    (await db
      .insertInto('organisations')
      .values({
        name: 'Bench national team',
        type: 'national_body',
        local_authority_code: null,
        ods_code: null,
        email: null,
        phone: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow());
  const hash = await hashPassword(PASSWORD);
  const accounts = {
    commissioner: { email: 'bench.commissioner@bench.test', organisation_id: b.council },
    manager: { email: 'bench.manager@bench.test', organisation_id: b.service },
    analyst: { email: 'bench.analyst@bench.test', organisation_id: national.id },
  };
  const roles = {
    commissioner: 'commissioner',
    manager: 'service_manager',
    analyst: 'national_analyst',
  } as const;
  for (const [k, a] of Object.entries(accounts) as [
    keyof typeof accounts,
    (typeof accounts)[keyof typeof accounts],
  ][]) {
    await db
      .insertInto('users')
      .values({
        email: a.email,
        name: `Bench ${k}`,
        role: roles[k],
        organisation_id: a.organisation_id,
        password_hash: hash,
      })
      .onConflict((oc) => oc.expression(sql`lower(email)`).doNothing())
      .execute();
  }
  return { authority: b.code, accounts };
}

async function timeGets(
  s: HttpSession,
  url: string,
  requests: number,
  warmup: number,
  before?: (i: number) => Promise<void>,
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) {
    const res = await s.get(url);
    if (res.statusCode !== 200)
      throw new Error(`GET ${url} answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
  }
  const times: number[] = [];
  for (let i = 0; i < requests; i++) {
    if (before) await before(i);
    const t = now();
    const res = await s.get(url);
    times.push(now() - t);
    if (res.statusCode !== 200) throw new Error(`GET ${url} answered ${res.statusCode}`);
  }
  return times.sort((x, y) => x - y);
}

/**
 * A new referral in the quarter shown, made before each request (not timed): the quarter's kept national
 * counts are then stale every time and counted again, as on a busy day.
 */
function newReferralIn(db: Database, authority: string, last: { financialYear: number; quarter: number }) {
  const ends = { 1: '06-15', 2: '09-15', 3: '12-15', 4: '03-15' } as Record<number, string>;
  const day = `${last.quarter === 4 ? last.financialYear + 1 : last.financialYear}-${ends[last.quarter]}`;
  return async (i: number) => {
    await sql`
      insert into referrals (reference, source, referrer_organisation_id, service_organisation_id, local_authority_code, given_name,
        family_name, date_of_birth, postcode, contact_methods, smoking_status, vaping_status, mental_health, in_talking_therapies,
        consent_share_progress, created_at)
      select ${`BENCH-${process.pid}-${i}-${Math.random().toString(36).slice(2, 8)}`}, 'staff', r.referrer_organisation_id, r.service_organisation_id, r.local_authority_code,
        r.given_name, r.family_name, r.date_of_birth, r.postcode, r.contact_methods, r.smoking_status, r.vaping_status,
        r.mental_health, r.in_talking_therapies, r.consent_share_progress, ${`${day}T12:00:00Z`}::timestamptz
      from referrals r where r.local_authority_code = ${authority} and r.source = 'staff' limit 1`.execute(
      db,
    );
  };
}

/** The real app on the database, configured as in production (rate limit aside), ready for app.inject. */
async function benchApp(
  db: Database,
  replica?: BenchReplica,
  log?: (m: string) => void,
): Promise<FastifyInstance> {
  const config = loadConfig({
    ...(replica ? { DATABASE_URL: replica.primaryUrl, READ_DATABASE_URL: replica.readUrl } : {}),
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    COOKIE_SECRET: 'bench-cookie-secret-0123456789abcdef',
    TWO_FACTOR_KEY: 'bench-two-factor-key-0123456789abcdef',
    // Required in production (for links in emails, which no dashboard sends).
    PUBLIC_URL: 'http://127.0.0.1',
    COOKIE_SECURE: 'false',
    RATE_LIMIT_PER_MINUTE: '10000000',
  });
  // As main.ts does: read-heavy pages read from the replica, with the same fallback and lag rules.
  const reader = config.readReplica ? openReadReplica(config.readReplica, db) : undefined;
  const app = await buildApp({ config, db, postcodes: await PostcodeLookup.load(), reader });
  if (reader)
    app.addHook('onClose', async () => {
      const { replica: fromReplica, primary } = reader.counts();
      log?.(`dashboards: reads served by the replica ${fromReplica}, by the primary ${primary}`);
      await reader.close();
    });
  await app.ready();
  return app;
}

/** A streaming replica of the primary `db` is on, for the pages that read from one (READ_DATABASE_URL). */
export type BenchReplica = { primaryUrl: string; readUrl: string };

/**
 * Each dashboard served `requests` times in turn for the quarter `last` (the generated data's last),
 * with the same-session baseline. `today` is the day the app counts as today (for "as known on").
 */
export async function measureDashboards(
  db: Database,
  opts: {
    last: { financialYear: number; quarter: 1 | 2 | 3 | 4 };
    requests: number;
    log: (m: string) => void;
    /** Only the dashboards whose names match (BENCH_DASHBOARDS_ONLY). */
    only?: RegExp;
    /** Read-heavy pages read from this replica, as in production with READ_DATABASE_URL. */
    replica?: BenchReplica;
  },
): Promise<{ authority: string; rows: DashboardRow[] }> {
  opts.log('dashboards: adding strategies, partners, training and accounts…');
  const { authority, accounts } = await addAccountability(db, opts.last);
  const app = await benchApp(db, opts.replica, opts.log);
  try {
    const period = `${opts.last.financialYear}-${opts.last.quarter}`;
    const sessions = {
      commissioner: await signIn(app, accounts.commissioner.email, PASSWORD),
      manager: await signIn(app, accounts.manager.email, PASSWORD),
      analyst: await signIn(app, accounts.analyst.email, PASSWORD),
    };
    const fresh = newReferralIn(db, authority, opts.last);
    const runs: {
      name: string;
      who: keyof typeof sessions;
      url: string;
      before?: (i: number) => Promise<void>;
    }[] = [
      { name: 'Commissioner dashboard', who: 'commissioner', url: `/dashboard?period=${period}` },
      {
        name: 'Commissioner dashboard, a new referral before each',
        who: 'commissioner',
        url: `/dashboard?period=${period}`,
        before: fresh,
      },
      { name: 'National dashboard', who: 'analyst', url: `/national/dashboard?period=${period}` },
      {
        name: 'National dashboard, a new referral before each',
        who: 'analyst',
        url: `/national/dashboard?period=${period}`,
        before: fresh,
      },
      {
        name: 'National dashboard, sorted by reach',
        who: 'analyst',
        url: `/national/dashboard?period=${period}&sort=cmhc_reach&dir=desc`,
      },
      {
        name: 'Service manager dashboard',
        who: 'manager',
        url: `/service/dashboard?year=${opts.last.financialYear}&quarter=${opts.last.quarter}`,
      },
    ];
    const rows: DashboardRow[] = [];
    for (const r of runs.filter((x) => !opts.only || opts.only.test(x.name))) {
      opts.log(`dashboards: ${r.name}…`);
      const s = sessions[r.who];
      const baseline = await timeGets(s, '/indicators', opts.requests, 3);
      const times = await timeGets(s, r.url, opts.requests, 3, r.before);
      rows.push({
        name: r.name,
        url: r.url,
        n: times.length,
        p50: percentile(times, 50),
        p99: percentile(times, 99),
        max: times[times.length - 1]!,
        baselineP50: percentile(baseline, 50),
        baselineP99: percentile(baseline, 99),
      });
    }
    return { authority, rows };
  } finally {
    await app.close();
  }
}

export function dashboardTable(rows: readonly DashboardRow[]): string {
  const f = (n: number) => n.toLocaleString('en-GB', { maximumFractionDigits: 1, minimumFractionDigits: 1 });
  const head = [
    'Dashboard',
    'p50 ms',
    'p99 ms',
    'Baseline p50',
    'Baseline p99',
    `p99 < ${DASHBOARD_AIM_MS} ms`,
    'Requests',
  ];
  const body = rows.map((r) => [
    r.name,
    f(r.p50),
    f(r.p99),
    f(r.baselineP50),
    f(r.baselineP99),
    r.p99 < DASHBOARD_AIM_MS ? 'yes' : 'NO',
    String(r.n),
  ]);
  return table([head, ...body]);
}
