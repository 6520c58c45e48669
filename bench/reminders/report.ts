import { availableParallelism } from 'node:os';
import type pg from 'pg';
import type { FakeNotify } from '../../test/helpers/fake-notify.ts';
import { createRateLimiter } from '../../test/helpers/fake-notify-rate-limit.ts';
import { table } from '../table.ts';
import type { Instance } from './instances.ts';
import { S } from './settings.ts';

// What the reminders benchmark found: every planned message checked against what the fake Notify
// accepted, and the figures printed.

export type KillRecord = {
  name: string;
  /** Date.now() of the SIGKILL. */
  at: number;
  /** Sends the fake had accepted then, from every instance. */
  accepted: number;
  sentByVictim: number;
  /** Messages marked `sending` just after the kill (claimed by the dead instance, or in flight elsewhere). */
  sendingAfter: number;
  /** Sends the fake held unanswered over the kill, then accepted (some the victim's). */
  held: number;
};

export type Outcome = {
  statuses: { status: string; n: number }[];
  /** References the fake accepted more than once, and the extra sends. */
  duplicates: number;
  extraSends: number;
  /** Planned but not sent, or marked sent without the fake having accepted it under that id. */
  lost: number;
  /** Notifications whose reference is no planned message. */
  strangers: number;
  /** Of the accepted sends replayed in order, those Notify's token-bucket limit would have refused. */
  tokenBucketRefusals: number;
};

export type Run = {
  instances: Instance[];
  startedAt: number;
  drainedAt: number;
  killed: KillRecord | null;
  stalled: boolean;
  load: { start: number; end: number };
  ideal: number;
  server: string;
  pgVersion: string;
  kind: string;
  outcome: Outcome;
  fake: FakeNotify;
};

export async function checkOutcome(c: pg.Client, fake: FakeNotify, kind: string): Promise<Outcome> {
  const statuses = (
    await c.query<{ status: string; n: number }>(
      `select status, count(*)::int as n from outbound_messages where kind = $1 group by status order by status`,
      [kind],
    )
  ).rows;
  const rows = (
    await c.query<{ id: string; status: string; notify_id: string | null }>(
      `select id, status, notify_id from outbound_messages where kind = $1`,
      [kind],
    )
  ).rows;
  let lost = 0;
  for (const r of rows) {
    const sent = r.status === 'sent' || r.status === 'delivered';
    if (!sent || !fake.byReference(r.id).some((n) => n.id === r.notify_id)) lost++;
  }
  const planned = new Set(rows.map((r) => r.id));
  const dup = fake.duplicateReferences();
  const bucket = createRateLimiter(S.ratePerMinute, 'token-bucket');
  let tokenBucketRefusals = 0;
  for (const n of fake.notifications) if (!bucket.take(n.createdAt)) tokenBucketRefusals++;
  return {
    statuses,
    duplicates: dup.size,
    extraSends: [...dup.values()].reduce((a, b) => a + b - 1, 0),
    lost,
    strangers: fake.notifications.filter((n) => n.reference === null || !planned.has(n.reference)).length,
    tokenBucketRefusals,
  };
}

const int = (n: number) => Math.round(n).toLocaleString('en-GB');
const min = (ms: number) => (ms / 60_000).toFixed(2);

/** Sends accepted in each whole minute from the first. */
function perMinute(times: number[]): number[] {
  if (!times.length) return [];
  const first = times[0]!;
  const out: number[] = [];
  for (const t of times) {
    const m = Math.floor((t - first) / 60_000);
    out[m] = (out[m] ?? 0) + 1;
  }
  return Array.from(out, (n) => n ?? 0);
}

/** The median of the counts, as text ('-' with none). */
function median(counts: number[]): string {
  if (!counts.length) return '-';
  const sorted = [...counts].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return int(sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2);
}

export function printReport(r: Run): void {
  const times = r.fake.notifications.map((n) => n.createdAt);
  const first = times[0] ?? r.startedAt;
  const last = times.at(-1) ?? r.drainedAt;
  const drainMs = r.drainedAt - r.startedAt;
  const sendMs = last - first;
  const accepted = r.fake.stats.accepted;
  const o = r.outcome;
  console.log('\n=============================== Mortar reminders benchmark ===============================');
  console.log(
    `Machine: ${availableParallelism()} CPUs, load average (1 min) ${r.load.start.toFixed(2)} at the start of the drain, ` +
      `${r.load.end.toFixed(2)} at its end; Node ${process.version}; PostgreSQL ${r.pgVersion}, ${r.server}.`,
  );
  console.log(
    `Composer: ${r.kind}. Fake GOV.UK Notify in the bench process, sliding-window limit. Each instance paced at ` +
      `${int(S.ratePerMinute / S.instances)} a minute (createPacer keeps 2% under it), handling ${S.concurrency} messages at a time.`,
  );
  console.log(
    '\n' +
      table([
        ['figure', 'value'],
        ['messages planned', int(S.messages)],
        ['Notify rate limit (a minute)', int(S.ratePerMinute)],
        ['instances', `${S.instances} at a time, ${r.instances.length} in all (one killed, one replacement)`],
        ['sends accepted by Notify', int(accepted)],
        ['throughput, first send to last (a minute)', sendMs > 0 ? int((accepted / sendMs) * 60_000) : '-'],
        ['throughput, median of the whole minutes', median(perMinute(times).slice(0, -1))],
        ['time to drain, instances started to nothing left (min)', min(drainMs)],
        ['first send to last send (min)', min(sendMs)],
        ['ideal at the limit, messages / limit (min)', r.ideal.toFixed(2)],
        ['ratio, time to drain / ideal', (drainMs / 60_000 / r.ideal).toFixed(3)],
        ['429s met (fake refused for the rate)', int(r.fake.rateLimited.length)],
        ['would be refused by the token bucket (replayed)', int(o.tokenBucketRefusals)],
        ['other refusals by the fake', int(r.fake.refused.length)],
        ['found already sent by asking Notify', int(r.instances.reduce((a, i) => a + i.found, 0))],
        ['messages sent twice (must be 0)', `${int(o.duplicates)} (${int(o.extraSends)} extra sends)`],
        ['messages lost (must be 0)', int(o.lost)],
        ['sends with no planned message', int(o.strangers)],
      ]),
  );
  console.log('\nPer instance:\n');
  console.log(
    table([
      ['instance', 'sent', 'minutes up', 'sent a minute', 'found sent', '429s', 'how it ended'],
      ...r.instances.map((i) => {
        const upMs = (i.endedAt ?? r.drainedAt) - i.startedAt;
        return [
          i.name,
          int(i.sent),
          min(upMs),
          int((i.sent / upMs) * 60_000),
          int(i.found),
          int(i.rateLimited),
          r.killed?.name === i.name ? 'SIGKILL' : 'stopped after the drain',
        ];
      }),
    ]),
  );
  if (r.killed)
    console.log(
      `\nKill: ${r.killed.name} at ${min(r.killed.at - r.startedAt)} min, after ${int(r.killed.accepted)} sends ` +
        `(${int(r.killed.sentByVictim)} its own), with ${r.killed.held} sends held unanswered by the fake over the kill ` +
        `and accepted after it; ${int(r.killed.sendingAfter)} messages were left "sending".`,
    );
  console.log(`\nSends accepted in each minute from the first: ${perMinute(times).join(', ')}`);
  console.log(
    `\nMessages in each final status: ${o.statuses.map((s) => `${s.status} ${int(s.n)}`).join(', ')}`,
  );
  const errors = r.instances.flatMap((i) => i.errors.map((e) => `${i.name}: ${e}`));
  if (errors.length)
    console.log(
      `\nJob queue errors reported (first of each instance's):\n  ${errors.slice(0, 10).join('\n  ')}`,
    );
  if (r.stalled) console.log('\nThe run stopped early: nothing was sent for too long (see above).');
  console.log(
    o.duplicates === 0 && o.lost === 0
      ? '\nNo message was sent twice and none was lost.'
      : '\nFAILED: a message was sent twice or lost.',
  );
}
