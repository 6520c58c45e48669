// The production rehearsal's traffic: a few clients, each in a loop, reading public pages and sending
// referrals to the API (each with an Idempotency-Key, as docs/api.md asks of referring systems), through
// the proxy over HTTPS, until told to stop. Every answer other than the expected one is a failure.
//
// One thing a client does itself, as browsers and HTTP libraries do: when a kept-alive connection to the
// proxy is closed under a request before any answer (nginx closes its idle connections when it reloads),
// the request is sent once more on a new connection, a referral with the same Idempotency-Key. Those are
// counted apart; a second failure is a failure.

import { randomUUID } from 'node:crypto';

const REFERRAL = {
  smokingStatus: '1',
  vapingStatus: 'current',
  adviceGiven: 'yes',
  acceptsReferral: 'yes',
  givenName: 'Rehearsal',
  familyName: 'Person',
  dateOfBirth: '1990-05-17',
  postcode: 'LS6 1AN',
  email: 'rehearsal@example.com',
  contactMethods: ['email'],
  mentalHealth: 'anxiety',
  inTalkingTherapies: 'yes',
  consentShareProgress: 'yes',
};

const PAGES = [
  '/',
  '/find-support',
  '/find-support/results?postcode=LS6+1AN',
  '/statistics/quarterly-returns',
  '/self-referral',
  '/stopping-smoking-and-your-mental-health',
];

export type Traffic = {
  requests: number;
  byKind: Record<string, number>;
  failures: string[];
  /** Ids of the referrals answered 201 (or 200 to a resend), with the key each was sent with. */
  acknowledged: { id: string; key: string }[];
  /** Requests sent again after the proxy closed the connection under them, and why. */
  resent: string[];
  slowestMs: number;
};

type Result = { ok: boolean; detail: string; id?: string; key?: string };
/** One request; `prepare` makes what a resend must repeat (the Idempotency-Key). */
type Op = { kind: string; prepare: () => () => Promise<Result> };

function operations(origin: string, apiKey: string, pages: boolean): Op[] {
  const page = (path: string): Op => ({
    kind: `GET ${path.split('?')[0]}`,
    prepare: () => async () => {
      const res = await fetch(`${origin}${path}`, {
        headers: { accept: 'text/html' },
        redirect: 'manual',
        signal: AbortSignal.timeout(30_000),
      });
      await res.arrayBuffer();
      return { ok: res.status === 200, detail: `${res.status}` };
    },
  });
  const referral: Op = {
    kind: 'POST /api/v1/referrals',
    prepare: () => {
      const key = randomUUID();
      return () => send(key);
    },
  };
  const send = async (key: string): Promise<Result> => {
    const res = await fetch(`${origin}/api/v1/referrals`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${apiKey}`,
        'content-type': 'application/json',
        'idempotency-key': key,
      },
      body: JSON.stringify(REFERRAL),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    // A resend of a referral that was made after all is answered with it: 200, Idempotent-Replayed.
    const replayed = res.status === 200 && res.headers.get('idempotent-replayed') === 'true';
    if (res.status !== 201 && !replayed) return { ok: false, detail: `${res.status} ${text.slice(0, 200)}` };
    return { ok: true, detail: `${res.status}`, id: (JSON.parse(text) as { id: string }).id, key };
  };
  // One referral for every two page reads.
  return pages ? [...PAGES.map(page), referral, referral] : [referral];
}

/** The connection to the proxy was closed under the request, before an answer. */
const closedUnder = (err: unknown) =>
  ['UND_ERR_SOCKET', 'ECONNRESET', 'UND_ERR_CLOSED'].includes(
    (err as { cause?: { code?: string } }).cause?.code ?? '',
  );

const described = (err: unknown) => {
  const cause = (err as { cause?: { code?: string } }).cause?.code;
  return `${(err as Error).message}${cause ? ` (${cause})` : ''}`;
};

export type RequestResult = { kind: string; ok: boolean; detail: string; startedAt: number; endedAt: number };

export type TrafficOptions = {
  /** false: referrals only (bench/faults.ts); the rehearsal mixes in page reads. */
  pages?: boolean;
  /** Told of every request as it ends, with performance.now() at its start and end. */
  onResult?: (r: RequestResult) => void;
  /** A pause after a failed request, as a sender with back-off makes; 0 (the rehearsal): none. */
  pauseAfterFailureMs?: number;
};

/** Runs `clients` loops until `stop()` is called; the counts when they have all finished. */
export function startTraffic(origin: string, apiKey: string, clients: number, options: TrafficOptions = {}) {
  const ops = operations(origin, apiKey, options.pages ?? true);
  const t: Traffic = { requests: 0, byKind: {}, failures: [], acknowledged: [], resent: [], slowestMs: 0 };
  let stopping = false;
  const attempt = async (op: Op): Promise<Result> => {
    const send = op.prepare();
    try {
      return await send();
    } catch (err) {
      if (!closedUnder(err)) return { ok: false, detail: described(err) };
      t.resent.push(`${op.kind}: ${described(err)}`);
      try {
        return await send();
      } catch (again) {
        return { ok: false, detail: `${described(again)}, sent again after ${described(err)}` };
      }
    }
  };
  const client = async (n: number) => {
    for (let i = n; !stopping; i++) {
      const op = ops[i % ops.length]!;
      const t0 = performance.now();
      const result = await attempt(op);
      const ms = performance.now() - t0;
      t.requests++;
      t.byKind[op.kind] = (t.byKind[op.kind] ?? 0) + 1;
      t.slowestMs = Math.max(t.slowestMs, ms);
      if (!result.ok) t.failures.push(`${op.kind}: ${result.detail} after ${ms.toFixed(0)} ms`);
      if (!result.ok && options.pauseAfterFailureMs)
        await new Promise((r) => setTimeout(r, options.pauseAfterFailureMs));
      if (result.id && result.key) t.acknowledged.push({ id: result.id, key: result.key });
      options.onResult?.({
        kind: op.kind,
        ok: result.ok,
        detail: result.detail,
        startedAt: t0,
        endedAt: t0 + ms,
      });
    }
  };
  const running = Promise.all(Array.from({ length: clients }, (_, n) => client(n)));
  return {
    traffic: t,
    stop: async () => {
      stopping = true;
      await running;
      return t;
    },
  };
}
