// Mortar reminders benchmark: `npm run bench:reminders` (and the last part of `npm run bench`, unless
// BENCH_SKIP_REMINDERS=1). Prints figures; it fails only if a message is sent twice or lost, or the run
// itself fails. See bench/README.md.
//
// 1. A PostgreSQL server: DATABASE_URL if set (a fresh database is created on it and dropped at the end),
//    otherwise a throwaway PostgreSQL 15 cluster on 127.0.0.1 (bench/pg-cluster.ts), removed at the end.
//    Mortar's migrations and pg-boss's.
// 2. 100,000 people with a mobile number, consent to texts, an open episode and an appointment tomorrow,
//    each with its reminder planned as due this morning (written in bulk with SQL: setup, not measured).
// 3. The fake GOV.UK Notify in this process, at its rate limit (3,000 sends a minute, sliding window).
// 4. Two Mortar sending instances (bench/reminders/worker.ts), each paced at half the limit, drain the
//    queue; once a fifth of the messages are sent one is killed with SIGKILL and a replacement started.
// 5. When nothing is left to send: throughput, time to drain against the limit's own time, 429s, and
//    every message checked against what the fake accepted: none sent twice, none lost.

import { availableParallelism, loadavg } from 'node:os';
import { FakeNotify } from '../test/helpers/fake-notify.ts';
import {
  cleanUp,
  createDatabase,
  FatalError,
  log,
  makeRunDir,
  pgClient,
  reapLeftovers,
  sleep,
  startCluster,
  type Server,
} from './pg-cluster.ts';
import { reminderKind } from './reminders/bench-reminder.ts';
import { killMidSend } from './reminders/kill.ts';
import {
  alive,
  startInstance,
  stop,
  waitReady,
  type Instance,
  type InstanceEnv,
} from './reminders/instances.ts';
import { checkOutcome, printReport, type KillRecord, type Run } from './reminders/report.ts';
import { benchDay, migrate, seed } from './reminders/seed.ts';
import { idealMinutes, S } from './reminders/settings.ts';
import { FAKE_TEMPLATES } from './reminders/templates.ts';
import { londonDate } from '../src/platform/clock.ts';

const OPEN_SQL = `select count(*)::int as n from outbound_messages where kind = $1 and status in ('scheduled', 'queued', 'sending')`;

async function main(): Promise<number> {
  if (process.env.BENCH_SKIP_REMINDERS === '1') {
    log('reminders benchmark skipped: BENCH_SKIP_REMINDERS=1');
    return 0;
  }
  log(
    `${S.messages} reminders, Notify rate limit ${S.ratePerMinute} a minute, ${S.instances} instances ` +
      `handling ${S.concurrency} at a time; ` +
      `${availableParallelism()} CPUs, load ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}; Node ${process.version}`,
  );
  reapLeftovers();
  makeRunDir();
  const external = process.env.DATABASE_URL;
  const server: Server = external
    ? { adminUrl: external, description: `DATABASE_URL server (${new URL(external).host})` }
    : await startCluster();
  const databaseUrl = await createDatabase(server, `mortar_bench_reminders_${process.pid}`);
  await migrate(databaseUrl);

  const kind = await reminderKind();
  log(`composer: ${kind}`);
  const c = pgClient(databaseUrl);
  await c.connect();
  try {
    const version = (await c.query<{ v: string }>(`select current_setting('server_version') as v`)).rows[0]!
      .v;
    log(`PostgreSQL ${version}, ${server.description}`);
    const day = await benchDay(c, londonDate(new Date()));
    const t = performance.now();
    await seed(c, S.messages, day, kind);
    log(
      `${S.messages} people, appointments and reminders written in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );

    const fake = await FakeNotify.start({
      templates: FAKE_TEMPLATES,
      rateLimit: S.ratePerMinute,
      rateLimitAlgorithm: 'sliding-window',
    });
    const env: InstanceEnv = {
      databaseUrl,
      notifyUrl: fake.baseUrl,
      notifyKey: fake.apiKey,
      ratePerMinute: S.ratePerMinute / S.instances,
      clockOffsetMs: day.startAt.getTime() - Date.now(),
      concurrency: S.concurrency,
    };
    const run = await drain(c, fake, env, kind);
    const outcome = await checkOutcome(c, fake, kind);
    printReport({ ...run, server: server.description, pgVersion: version, kind, outcome, fake });
    await fake.close();
    return outcome.duplicates === 0 && outcome.lost === 0 && !run.stalled ? 0 : 1;
  } finally {
    await c.end();
  }
}

/** Starts the instances, kills one part-way and starts its replacement, and waits until nothing is left. */
async function drain(
  c: ReturnType<typeof pgClient>,
  fake: FakeNotify,
  env: InstanceEnv,
  kind: string,
): Promise<Omit<Run, 'server' | 'pgVersion' | 'kind' | 'outcome' | 'fake'>> {
  const instances: Instance[] = [];
  const startedAt = Date.now();
  for (let i = 0; i < S.instances; i++) instances.push(startInstance(`mortar-${i + 1}`, env));
  for (const i of instances) await waitReady(i, 60_000);
  log(`${instances.length} instances ready (composer in each: ${instances.map((i) => i.kind).join(', ')})`);
  if (instances.some((i) => i.kind !== kind))
    throw new Error('an instance uses another composer than the plan');

  let killed: KillRecord | null = null;
  let lastAccepted = 0;
  let lastProgress = Date.now();
  let lastLog = Date.now();
  let stalled = false;
  const loadStart = loadavg()[0]!;
  for (;;) {
    await sleep(S.pollMs);
    const accepted = fake.stats.accepted;
    if (!killed && accepted >= S.messages * S.killAtShare) {
      const victim = instances[0]!;
      const seen = await killMidSend(victim, fake, c, kind);
      const replacement = startInstance(`mortar-${instances.length + 1} (replacement)`, env);
      instances.push(replacement);
      killed = { ...seen, accepted };
      log(
        `SIGKILL ${victim.name} after ${accepted} accepted (${victim.sent} its own), ${seen.held} sends held over it; ` +
          `${seen.sendingAfter} messages left "sending"; ${replacement.name} started`,
      );
    }
    if (accepted > lastAccepted) {
      lastAccepted = accepted;
      lastProgress = Date.now();
    }
    const open = (await c.query<{ n: number }>(OPEN_SQL, [kind])).rows[0]!.n;
    if (Date.now() - lastLog >= 30_000) {
      lastLog = Date.now();
      log(
        `${accepted} accepted by Notify, ${open} still to send, ${fake.rateLimited.length} refused for the rate; ` +
          `instances alive: ${instances
            .filter(alive)
            .map((i) => `${i.name} ${i.sent}`)
            .join(', ')}`,
      );
    }
    if (open === 0) break;
    if (Date.now() - lastProgress > S.stallMs) {
      stalled = true;
      log(`nothing sent for ${S.stallMs / 1000} s with ${open} still to send: giving up`);
      break;
    }
  }
  const drainedAt = Date.now();
  const loadEnd = loadavg()[0]!;
  for (const i of instances) await stop(i);
  return {
    instances,
    startedAt,
    drainedAt,
    killed,
    stalled,
    load: { start: loadStart, end: loadEnd },
    ideal: idealMinutes(),
  };
}

let code: number;
try {
  code = await main();
} catch (err) {
  if (err instanceof FatalError) console.error(`\n${err.message}`);
  else
    console.error(`\nBenchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  code = 1;
} finally {
  await cleanUp();
}
process.exit(code);
