import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { openDatabase, type Database, type DatabaseHandle } from './db/database.ts';
import { openReadReplica } from './db/read-replica.ts';
import { migrateToLatest, pendingMigrations } from './db/migrate.ts';
import { buildApp } from './app.ts';
import { migrateJobQueue, startJobQueue } from './platform/job-queue.ts';
import { messageWorkQueue } from './platform/outbox-worker.ts';
import { webhookWorkQueue } from './modules/referrals/webhook-delivery.service.ts';
import { letterWorkQueue } from './modules/letters/letter-sender.service.ts';
import { smtpLetterMailer } from './modules/letters/letter-mailer.ts';
import { systemClock } from './platform/clock.ts';
import './modules/treatment/outcome.service.ts';
import './platform/security.jobs.ts';
import './modules/dashboards/national-counts.jobs.ts';
import { PostcodeLookup } from './platform/postcode-lookup.ts';
import { syncReferenceData } from './modules/organisations/reference-data.repository.ts';
import { seedAffectedMedicines } from './modules/medicines/medicines.seed.ts';
import { seedToolkit } from './modules/toolkit/toolkit.seed.ts';
import {
  DEMO_ACCOUNTS,
  generateDemoPassword,
  hasAnyOrganisation,
  loadDemoData,
  resetDemoPasswords,
} from './demo/demo-data.ts';
import { demoAtStart } from './demo/demo-policy.ts';
import { clearNationalCounts } from './modules/dashboards/national-counts.cache.ts';
import { runBackupCommand } from './db/backup-command.ts';
import { createLogger } from './platform/logging.ts';
import { shutdownOnce } from './platform/shutdown.ts';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';

const HELP = `Mortar: stop smoking support for people with depression and anxiety

Usage: node src/main.ts <command> [options]

Commands:
  serve     Run migrations (unless MIGRATE_ON_START=false) and start the web server (loads demonstration data into an empty embedded database, never in production)
  migrate   Apply database migrations and load reference data, then exit
  seed      Load demonstration data into an empty database, then exit (on a server only with --force; never in production)
  backup <file>
            Back the database up to a new file (the embedded database: stop Mortar first); see docs/backup-restore.md
  restore <file>
            Restore a backup into an empty database, check its row counts and bring it up to date
  help      Show this help

Options:
  --force   With seed: load demonstration data into a PostgreSQL server (DATABASE_URL)
            With restore: move the database that is there aside first (never deleted)
  -h, --help

Configuration comes from environment variables; see README.md.`;

/** Where start-up says what it did: JSON log lines for `serve`, plain text for the other commands. */
type Say = (msg: string, fields?: object) => void;
const sayPlainly: Say = (msg) => console.log(msg);

async function prepare(
  config: Config,
  say: Say = sayPlainly,
  log?: FastifyBaseLogger,
): Promise<DatabaseHandle> {
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  if (log) handle.logTo(log);
  const applied = await migrateToLatest(handle.db);
  if (applied.length) say(`Applied migrations: ${applied.join(', ')}`, { migrations: applied });
  // The job queue's own schema, by pg-boss's versioned migrations (docs/architecture.md).
  await migrateJobQueue(handle.db);
  await syncReferenceData(handle.db);
  await seedAffectedMedicines(handle.db);
  await seedToolkit(handle.db);
  return handle;
}

/** Thrown when start-up must stop with a message for the operator, not a stack trace. */
class StartRefused extends Error {}

/**
 * With MIGRATE_ON_START=false the deploy ran `migrate` once, before any instance started; an instance
 * of a newer version on an older database would fail on its first query of a new column, so it refuses
 * to start instead, naming what is missing.
 */
async function openMigrated(config: Config, log: FastifyBaseLogger): Promise<DatabaseHandle> {
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  handle.logTo(log);
  const pending = await pendingMigrations(handle.db);
  if (!pending.length) return handle;
  await handle.close();
  throw new StartRefused(
    `Not starting: the database is missing ${pending.length} migration(s) this version needs ` +
      `(${pending.slice(0, 3).join(', ')}${pending.length > 3 ? ', …' : ''}). ` +
      'Run `node src/main.ts migrate` once, then start Mortar again (MIGRATE_ON_START=false).',
  );
}

function printAccounts(password: string, generated: boolean) {
  console.log('\nSign in with any of these demonstration accounts:');
  for (const a of DEMO_ACCOUNTS) console.log(`  ${a.email.padEnd(32)} ${a.role}`);
  console.log(
    `Password: ${password}${generated ? '   (generated for this run; set MORTAR_DEMO_PASSWORD to choose one)' : ''}`,
  );
}

/** The demonstration accounts in one line a person can read, and as fields. */
function logAccounts(log: FastifyBaseLogger, password: string, generated: boolean) {
  const list = DEMO_ACCOUNTS.map((a) => `${a.email} (${a.role})`).join(', ');
  const note = generated ? ' (generated for this run; set MORTAR_DEMO_PASSWORD to choose one)' : '';
  log.info(
    {
      accounts: DEMO_ACCOUNTS.map((a) => ({ email: a.email, role: a.role })),
      password,
      passwordGenerated: generated,
    },
    `Sign in with any of these demonstration accounts: ${list}. Password: ${password}${note}`,
  );
}

/**
 * Scheduled work (marking episodes lost to follow-up after day 42, purging ended sessions and sign-in
 * counts) runs on the job queue in PostgreSQL, embedded too: once per 15 minutes across all instances.
 * Messages (reminders, check-ins, updates to referrers) are a work queue on it, drained every minute
 * and paced under Notify's rate limit.
 */
function startWork(config: Config, db: Database, app: FastifyInstance) {
  const sender = {
    db,
    notifier: app.notifier,
    clock: systemClock,
    publicUrl: config.publicUrl,
    pacer: app.messagePacer,
    log: app.log,
  };
  return startJobQueue(db, app.log, {
    clock: systemClock,
    intervalMs: 15 * 60_000,
    pollMs: 60_000,
    supervise: true,
    workQueues: [
      messageWorkQueue(sender),
      // Status changes pushed to referring systems' webhook endpoints (docs/webhooks.md).
      webhookWorkQueue({
        db,
        clock: systemClock,
        publicUrl: config.publicUrl,
        sealKey: config.twoFactorKey,
        allowPrivateAddresses: config.webhooks.allowPrivateAddresses,
        timeoutMs: config.webhooks.timeoutMs,
        log: app.log,
      }),
      // Letters by secure email, when an SMTP account for them is configured (docs/letters.md).
      ...(config.letters.smtp
        ? [
            letterWorkQueue({
              db,
              mailer: smtpLetterMailer(config.letters.smtp),
              clock: systemClock,
              log: app.log,
            }),
          ]
        : []),
    ],
  });
}

async function serve(config: Config) {
  // Every line `serve` writes is JSON, from its first (docs/architecture.md, logs).
  const log = createLogger(config.logLevel);
  const handle = config.migrateOnStart
    ? await prepare(config, (msg, fields) => log.info(fields ?? {}, msg), log)
    : await openMigrated(config, log);
  const postcodes = await PostcodeLookup.load();
  const embedded = handle.kind === 'embedded';
  const password = config.demoPassword ?? generateDemoPassword();
  const generated = !config.demoPassword;
  let demo = false;
  const empty = !(await hasAnyOrganisation(handle.db));
  const atStart = demoAtStart({ env: config.env, loadDemo: config.loadDemo, embedded, empty });
  if (atStart === 'load') {
    log.info({}, 'Loading demonstration data');
    await loadDemoData(handle.db, postcodes, password, { history: true, clock: systemClock });
    demo = true;
  } else if (atStart === 'reset-passwords') {
    demo = (await resetDemoPasswords(handle.db, password)) > 0;
  }
  // Dashboard counts kept by an earlier version were worked out by its rules, which may differ.
  await clearNationalCounts(handle.db);
  // Read-heavy pages read from the replica when there is one (docs/operations-replica.md).
  const reader = config.readReplica ? openReadReplica(config.readReplica, handle.db) : undefined;
  const app = await buildApp({
    config,
    db: handle.db,
    postcodes,
    clock: systemClock,
    reader,
    logger: log,
  });
  reader?.logTo(app.log);
  const jobs = await startWork(config, handle.db, app);
  // Graceful stop (platform/shutdown.ts): not ready at once, then requests and jobs finish, then the pool.
  const stop = shutdownOnce({
    log,
    beginShutdown: () => app.lifecycle.beginShutdown(),
    drainMs: config.shutdown.drainMs,
    timeoutMs: config.shutdown.timeoutMs,
    closeServer: () => app.close(),
    destroyConnections: () => app.server.closeAllConnections(),
    stopJobs: () => jobs.stop(),
    closeDatabase: async () => {
      await reader?.close();
      await handle.close();
    },
  });
  const onSignal = (signal: NodeJS.Signals) => void stop(signal).then((code) => process.exit(code));
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  await app.listen({ port: config.port, host: config.host });
  const address = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${(app.server.address() as { port: number }).port}`;
  log.info(
    { url: address, database: handle.kind },
    `Mortar is running on the ${handle.kind} database: open ${address}`,
  );
  if (demo) logAccounts(log, password, generated);
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { help: { type: 'boolean', short: 'h' }, force: { type: 'boolean' } },
  });
  const command = positionals[0] ?? 'help';
  if (values.help || command === 'help') {
    console.log(HELP);
    return;
  }
  const config = loadConfig();
  if (command === 'serve') return serve(config);
  if (command === 'backup' || command === 'restore') {
    process.exitCode = await runBackupCommand(command, positionals[1], {
      target: config,
      force: values.force ?? false,
      clock: systemClock,
    });
    return;
  }
  if (command === 'migrate') {
    const handle = await prepare(config);
    console.log('Database is up to date.');
    return handle.close();
  }
  if (command === 'seed') {
    if (config.env === 'production') {
      console.error('Refusing to load demonstration data when NODE_ENV=production.');
      process.exitCode = 2;
      return;
    }
    const handle = await prepare(config);
    try {
      if (handle.kind === 'server' && !values.force) {
        console.error('Refusing to load demonstration data into a PostgreSQL server without --force.');
        process.exitCode = 2;
        return;
      }
      if (await hasAnyOrganisation(handle.db)) {
        console.error(
          'The database already has organisations; demonstration data is only loaded into an empty one.',
        );
        process.exitCode = 2;
        return;
      }
      const password = config.demoPassword ?? generateDemoPassword();
      await loadDemoData(handle.db, await PostcodeLookup.load(), password, {
        history: true,
        clock: systemClock,
      });
      console.log('Demonstration data loaded.');
      printAccounts(password, !config.demoPassword);
    } finally {
      await handle.close();
    }
    return;
  }
  console.error(`Unknown command "${command}".\n\n${HELP}`);
  process.exitCode = 2;
}

main().catch((err) => {
  // A refusal to start says what to do, without a stack trace. `serve` writes only JSON lines, its
  // failure to start too; the other commands speak to a person.
  const plain = err instanceof ConfigError || err instanceof StartRefused;
  if (process.argv.includes('serve')) {
    const error = plain ? undefined : err instanceof Error ? err.stack : String(err);
    const msg = plain ? err.message : 'Mortar could not start';
    console.error(JSON.stringify({ level: 60, time: Date.now(), msg, ...(error ? { error } : {}) }));
  } else console.error(plain ? err.message : err instanceof Error ? err.stack : err);
  process.exit(1);
});
