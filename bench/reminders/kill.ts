import type pg from 'pg';
import type { FakeNotify } from '../../test/helpers/fake-notify.ts';
import { sleep } from '../pg-cluster.ts';
import { kill, type Instance } from './instances.ts';
import type { KillRecord } from './report.ts';

/**
 * Sends held by the fake at the moment of the kill. A SIGKILL lands between Notify accepting a message and
 * the instance recording it only by chance; so the fake holds the next few sends (from either instance)
 * unanswered, the victim is killed while some of them are its own, and then the fake accepts them all:
 * the victim's are accepted by Notify and never recorded by Mortar, which must find them by asking Notify
 * before sending again ("found already sent" in the report).
 */
const HELD = 6;

/** SIGKILLs the victim with some of its sends in flight; returns what was seen then. */
export async function killMidSend(
  victim: Instance,
  fake: FakeNotify,
  c: pg.Client,
  kind: string,
): Promise<Omit<KillRecord, 'accepted'>> {
  // Bounded: a held send is answered after 15 s even if the release below never comes.
  fake.hangNext(HELD, { ms: 15_000 });
  for (let i = 0; i < 100 && fake.hungRequests < HELD; i++) await sleep(20);
  const held = fake.hungRequests;
  const at = Date.now();
  await kill(victim);
  fake.releaseHung();
  const sending = await c.query<{ n: number }>(
    `select count(*)::int as n from outbound_messages where kind = $1 and status = 'sending'`,
    [kind],
  );
  return { name: victim.name, at, sentByVictim: victim.sent, sendingAfter: sending.rows[0]!.n, held };
}
