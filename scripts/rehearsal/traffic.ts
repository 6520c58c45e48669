// The production rehearsal's traffic: a few clients, each in a loop, reading public pages and sending
// referrals to the API (each with an Idempotency-Key, as docs/api.md asks of referring systems), through
// the proxy over HTTPS, until told to stop. Every answer other than the expected one is a failure.

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
  /** Ids of the referrals answered 201, with the key each was sent with. */
  acknowledged: { id: string; key: string }[];
  slowestMs: number;
};

type Op = { kind: string; run: () => Promise<{ ok: boolean; detail: string; id?: string; key?: string }> };

function operations(origin: string, apiKey: string): Op[] {
  const page = (path: string): Op => ({
    kind: `GET ${path.split('?')[0]}`,
    run: async () => {
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
    run: async () => {
      const key = randomUUID();
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
      if (res.status !== 201) return { ok: false, detail: `${res.status} ${text.slice(0, 200)}` };
      return { ok: true, detail: '201', id: (JSON.parse(text) as { id: string }).id, key };
    },
  };
  // One referral for every two page reads.
  return [...PAGES.map(page), referral, referral];
}

/** Runs `clients` loops until `stop()` is called; the counts when they have all finished. */
export function startTraffic(origin: string, apiKey: string, clients: number) {
  const ops = operations(origin, apiKey);
  const t: Traffic = { requests: 0, byKind: {}, failures: [], acknowledged: [], slowestMs: 0 };
  let stopping = false;
  const client = async (n: number) => {
    for (let i = n; !stopping; i++) {
      const op = ops[i % ops.length]!;
      const t0 = performance.now();
      let result: Awaited<ReturnType<Op['run']>>;
      try {
        result = await op.run();
      } catch (err) {
        const cause = (err as { cause?: { code?: string } }).cause?.code;
        result = { ok: false, detail: `${(err as Error).message}${cause ? ` (${cause})` : ''}` };
      }
      const ms = performance.now() - t0;
      t.requests++;
      t.byKind[op.kind] = (t.byKind[op.kind] ?? 0) + 1;
      t.slowestMs = Math.max(t.slowestMs, ms);
      if (!result.ok) t.failures.push(`${op.kind}: ${result.detail} after ${ms.toFixed(0)} ms`);
      if (result.id && result.key) t.acknowledged.push({ id: result.id, key: result.key });
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
