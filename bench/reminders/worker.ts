// One Mortar sending instance for the reminders benchmark, run as a child process by bench/reminders.ts:
// what `node src/main.ts serve` starts for messages, without the web server. It opens the database,
// builds the sender with the GOV.UK Notify transport pointed at the fake Notify, paced with createPacer,
// and runs the job queue with the message work queue and pg-boss's supervisor, as production does, with a
// one-second poll instead of a minute. It tells the bench over IPC what it sent, and what it found already
// sent when it asked Notify, so the bench can count per instance; nothing personal is in those reports.
import { openDatabase } from '../../src/db/database.ts';
import { londonDate, type Clock } from '../../src/platform/clock.ts';
import { startJobQueue } from '../../src/platform/job-queue.ts';
import { GovUkNotifyNotifier, type Notifier } from '../../src/platform/notify.ts';
import { messageWorkQueue } from '../../src/platform/outbox-worker.ts';
import { createPacer } from '../../src/platform/pacer.ts';
import { reminderKind } from './bench-reminder.ts';
import { TEMPLATE_IDS } from './templates.ts';

export type WorkerEvent =
  | { e: 'ready'; kind: string }
  | { e: 'sent' }
  | { e: 'found' }
  | { e: 'warn'; status: number | undefined }
  | { e: 'error'; error: string };

const env = (name: string) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: this script is started by bench/reminders.ts`);
  return v;
};
const report = (event: WorkerEvent) => process.send?.(event);

// The bench's day starts at 09:00 in England whatever the real time: the same instant in every instance,
// moving at the real rate, so due times, hours and pg-boss's own timers (the database's clock) agree.
const offsetMs = Number(env('BENCH_CLOCK_OFFSET_MS'));
const now = () => new Date(Date.now() + offsetMs);
const clock: Clock = { now, today: () => londonDate(now()) };

const kind = await reminderKind();
const handle = await openDatabase({ databaseUrl: env('BENCH_DATABASE_URL') });
const notify = new GovUkNotifyNotifier(
  { transport: 'notify', apiKey: env('BENCH_NOTIFY_KEY'), templates: TEMPLATE_IDS },
  { baseUrl: env('BENCH_NOTIFY_URL') },
);
const notifier: Notifier = {
  transport: notify.transport,
  send: (m) => notify.send(m),
  sendOne: async (m) => {
    const sent = await notify.sendOne(m);
    report({ e: 'sent' });
    return sent;
  },
  findSent: async (reference, channel) => {
    const found = await notify.findSent(reference, channel);
    if (found) report({ e: 'found' });
    return found;
  },
};
const log = {
  info: () => undefined,
  warn: (obj: { err?: { status?: number } }) => report({ e: 'warn', status: obj.err?.status }),
  error: (obj: { error?: string }) => report({ e: 'error', error: String(obj.error ?? '') }),
};
const sender = {
  db: handle.db,
  notifier,
  clock,
  publicUrl: 'https://mortar.invalid',
  pacer: createPacer(Number(env('BENCH_RATE_PER_MINUTE'))),
  log,
};
const jobs = await startJobQueue(handle.db, log, {
  clock,
  intervalMs: 15 * 60_000,
  pollMs: 1000,
  supervise: true,
  jobs: [],
  workQueues: [messageWorkQueue(sender, { concurrency: Number(env('BENCH_CONCURRENCY')) })],
});
report({ e: 'ready', kind });

process.once('SIGTERM', () => {
  void jobs
    .stop()
    .then(() => handle.close())
    .finally(() => process.exit(0));
});
