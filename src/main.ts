import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { openDatabase, type DatabaseHandle } from './db/database.ts';
import { openReadReplica } from './db/read-replica.ts';
import { migrateToLatest } from './db/migrate.ts';
import { buildApp } from './app.ts';
import { migrateJobQueue, startJobQueue } from './platform/job-queue.ts';
import { messageWorkQueue } from './platform/outbox-worker.ts';
import { webhookWorkQueue } from './modules/referrals/webhook-delivery.service.ts';
import { letterWorkQueue } from './modules/letters/letter-sender.service.ts';
import { smtpLetterMailer } from './modules/letters/letter-mailer.ts';
import { systemClock } from './platform/clock.ts';
import './modules/treatment/outcome.service.ts';
import './platform/security.jobs.ts';
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

const HELP = `Mortar: stop smoking support for people with depression and anxiety

Usage: node src/main.ts <command> [options]

Commands:
  serve     Run migrations and start the web server (loads demonstration data into an empty embedded database, never in production)
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

async function prepare(config: Config): Promise<DatabaseHandle> {
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const applied = await migrateToLatest(handle.db);
  if (applied.length) console.log(`Applied migrations: ${applied.join(', ')}`);
  // The job queue's own schema, by pg-boss's versioned migrations (docs/architecture.md).
  await migrateJobQueue(handle.db);
  await syncReferenceData(handle.db);
  await seedAffectedMedicines(handle.db);
  await seedToolkit(handle.db);
  return handle;
}

function printAccounts(password: string, generated: boolean) {
  console.log('\nSign in with any of these demonstration accounts:');
  for (const a of DEMO_ACCOUNTS) console.log(`  ${a.email.padEnd(32)} ${a.role}`);
  console.log(
    `Password: ${password}${generated ? '   (generated for this run; set MORTAR_DEMO_PASSWORD to choose one)' : ''}`,
  );
}

async function serve(config: Config) {
  const handle = await prepare(config);
  const postcodes = await PostcodeLookup.load();
  const embedded = handle.kind === 'embedded';
  const password = config.demoPassword ?? generateDemoPassword();
  const generated = !config.demoPassword;
  let demo = false;
  const empty = !(await hasAnyOrganisation(handle.db));
  const atStart = demoAtStart({ env: config.env, loadDemo: config.loadDemo, embedded, empty });
  if (atStart === 'load') {
    console.log('Loading demonstration data…');
    await loadDemoData(handle.db, postcodes, password, { history: true, clock: systemClock });
    demo = true;
  } else if (atStart === 'reset-passwords') {
    demo = (await resetDemoPasswords(handle.db, password)) > 0;
  }
  // Dashboard counts kept by an earlier version were worked out by its rules, which may differ.
  await clearNationalCounts(handle.db);
  // Read-heavy pages read from the replica when there is one (docs/operations-replica.md).
  const reader = config.readReplica ? openReadReplica(config.readReplica, handle.db) : undefined;
  const app = await buildApp({ config, db: handle.db, postcodes, clock: systemClock, reader });
  handle.logTo(app.log);
  reader?.logTo(app.log);
  // Scheduled work (marking episodes lost to follow-up after day 42, purging ended sessions and sign-in
  // counts) runs on the job queue in PostgreSQL, embedded too: once per 15 minutes across all instances.
  // Messages (reminders, check-ins, updates to referrers) are a work queue on it, drained every minute
  // and paced under Notify's rate limit.
  const sender = {
    db: handle.db,
    notifier: app.notifier,
    clock: systemClock,
    publicUrl: config.publicUrl,
    pacer: app.messagePacer,
    log: app.log,
  };
  const jobs = await startJobQueue(handle.db, app.log, {
    clock: systemClock,
    intervalMs: 15 * 60_000,
    pollMs: 60_000,
    supervise: true,
    workQueues: [
      messageWorkQueue(sender),
      // Status changes pushed to referring systems' webhook endpoints (docs/webhooks.md).
      webhookWorkQueue({
        db: handle.db,
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
              db: handle.db,
              mailer: smtpLetterMailer(config.letters.smtp),
              clock: systemClock,
              log: app.log,
            }),
          ]
        : []),
    ],
  });
  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await jobs.stop();
    await app.close();
    await reader?.close();
    await handle.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  const address = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${(app.server.address() as { port: number }).port}`;
  console.log(`\nMortar is running on the ${handle.kind} database.\nOpen ${address}`);
  if (demo) printAccounts(password, generated);
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
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
