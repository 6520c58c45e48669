// Webhooks through HTTP on the real database, to a real HTTP server started here that checks every
// message with the Standard Webhooks reference library (standardwebhooks), never a stand-in for Mortar's
// own sender: an administrator adds an endpoint and sees its secret once; a status change is delivered
// once, signed, thin, and readable through the API with the organisation's key; a 500 is tried again
// under the same webhook-id by the schedule; a receiver that does not answer in time is tried again; a
// rotated secret signs beside the old one for a day; an endpoint that keeps failing is switched off and
// its administrators told; one organisation never sees or receives another's.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { anonymous, signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import { addApiKey } from '../../../test/helpers/route-table.ts';
import { londonDate, type Clock } from '../../platform/clock.ts';
import { migrateJobQueue, startJobQueue, type JobQueue } from '../../platform/job-queue.ts';
import { webhookWorkQueue, type WebhookDeps } from './webhook-delivery.service.ts';
import { endpointSchema } from './webhook.schemas.ts';
import { WebhookMessageSchema } from './webhook.openapi.ts';
import { postWebhook } from '../../platform/webhook-post.ts';

// --- A receiving system ----------------------------------------------------------------------------
type Received = { headers: IncomingHttpHeaders; body: string; path: string };
type Answer = number | 'hang' | 'redirect';
const received: Received[] = [];
const answers: Answer[] = [];
let receiver: Server;
let receiverUrl: string;
const hanging = new Set<() => void>();

function startReceiver(): Promise<void> {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        path: req.url ?? '',
      });
      const answer = answers.shift() ?? 204;
      if (answer === 'hang') {
        hanging.add(() => res.destroy());
        return;
      }
      if (answer === 'redirect')
        return res.writeHead(307, { location: 'http://127.0.0.1:9/elsewhere' }).end();
      res.writeHead(answer).end();
    });
  });
  return new Promise((resolve) =>
    receiver.listen(0, '127.0.0.1', () => {
      receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/mortar`;
      resolve();
    }),
  );
}

/** Whether a secret signed this message: the library's signature of its id, time and body is among those sent. */
function signedWith(secret: string, m: Received): boolean {
  const ts = Number(m.headers['webhook-timestamp']);
  const theirs = new Webhook(secret).sign(String(m.headers['webhook-id']), new Date(ts * 1000), m.body);
  return String(m.headers['webhook-signature']).split(' ').includes(theirs);
}

// --- Mortar ----------------------------------------------------------------------------------------
let t: TestApp;
let nationalAdmin: HttpSession;
let councilAdmin: HttpSession;
let adviser: HttpSession;
let api: HttpSession;
let tt: string;
let council: string;
let instant: Date;
const clock: Clock = { now: () => new Date(instant), today: () => londonDate(instant) };
let queue: JobQueue;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
let deps: WebhookDeps;

const orgId = async (name: string) =>
  (await t.db.selectFrom('organisations').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;

before(async () => {
  t = await buildTestApp({ demo: true });
  instant = t.clock.now();
  await startReceiver();
  await migrateJobQueue(t.db);
  tt = await orgId('Leeds NHS Talking Therapies');
  council = await orgId('Leeds City Council Public Health');
  nationalAdmin = await signIn(t.app, 'national.admin@demo.test');
  councilAdmin = await signIn(t.app, 'admin@demo.test');
  adviser = await signIn(t.app, 'adviser@demo.test');
  api = anonymous(t.app, { authorization: `Bearer ${(await addApiKey(t.db, tt, 'webhooks test')).key}` });
  deps = {
    db: t.db,
    clock,
    publicUrl: t.config.publicUrl,
    sealKey: t.config.twoFactorKey,
    allowPrivateAddresses: true,
    // Long enough that a receiver on this machine always answers in time, however loaded the machine
    // (a stall past a short timeout turned a delivery into a retry); the test of a receiver that never
    // answers shortens it for its one try.
    timeoutMs: 10_000,
    log: quiet,
  };
  queue = await startJobQueue(t.db, quiet, {
    clock,
    intervalMs: 60_000,
    pollMs: null,
    jobs: [],
    supervise: false,
    workQueues: [webhookWorkQueue(deps)],
  });
});
after(async () => {
  for (const close of hanging) close();
  await queue?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
  await t?.close();
});

const later = (seconds: number) => {
  instant = new Date(instant.getTime() + seconds * 1000);
};

async function refer(consent: 'yes' | 'no' = 'yes'): Promise<string> {
  const res = await api.postJson('/api/v1/referrals', {
    smokingStatus: '1',
    vapingStatus: 'never',
    adviceGiven: 'yes',
    acceptsReferral: 'yes',
    givenName: 'Webhook',
    familyName: 'Personname',
    dateOfBirth: '1988-02-14',
    postcode: 'LS6 1AN',
    phone: '07700 900311',
    contactMethods: ['phone'],
    mentalHealth: 'anxiety',
    inTalkingTherapies: 'yes',
    consentShareProgress: consent,
  });
  assert.equal(res.statusCode, 201, res.body);
  return (JSON.parse(res.body) as { id: string }).id;
}

async function accept(referralId: string) {
  const res = await adviser.post(`/worklist/${referralId}/accept`, {}, { from: `/worklist/${referralId}` });
  assert.equal(res.statusCode, 303, res.body.slice(0, 300));
}

async function withdraw(referralId: string) {
  const res = await api.postJson(`/api/v1/referrals/${referralId}/withdraw`, { reason: 'Entered twice' });
  assert.equal(res.statusCode, 200, res.body);
}

const secretOn = (html: string) => /id="new-secret"[^>]*value="(whsec_[^"]+)"/.exec(html)?.[1];

async function addEndpoint(
  session: HttpSession,
  org: string,
  fields: Record<string, string | string[]>,
): Promise<{ id: string; secret: string }> {
  const res = await session.post(`/admin/organisations/${org}/webhooks`, fields, {
    from: `/admin/organisations/${org}/webhooks`,
  });
  assert.equal(res.statusCode, 200, res.body.slice(0, 500));
  const secret = secretOn(res.body);
  const id = new RegExp(`/admin/organisations/${org}/webhooks/([0-9a-f-]{36})`).exec(res.body)?.[1];
  assert.ok(secret && id, 'the new secret and a link to the endpoint are shown');
  return { id, secret };
}

const deliveries = (endpointId: string) =>
  t.db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('endpoint_id', '=', endpointId)
    .orderBy('created_at')
    .execute();

let endpoint: { id: string; secret: string };

describe('an endpoint and its first delivery', () => {
  test('the form shows each mistake in the error summary and keeps what was typed', async () => {
    const res = await nationalAdmin.post(
      `/admin/organisations/${tt}/webhooks`,
      { description: 'Case system', url: 'not a url', events: [] },
      { from: `/admin/organisations/${tt}/webhooks` },
    );
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /nhsuk-error-summary/);
    assert.match(res.body, /Enter a full web address/);
    assert.match(res.body, /Select at least one update to send/);
    assert.match(res.body, /value="Case system"/);
    assert.match(res.body, /value="not a url"/);
    // Outside development and tests, a private or plain-http address is refused by the same schema.
    const strict = endpointSchema(false);
    for (const url of [receiverUrl, 'https://127.0.0.1/hook', 'https://169.254.169.254/latest'])
      assert.equal(strict.safeParse({ description: 'x', url, events: ['accepted'] }).success, false, url);
  });

  test('the secret is shown once, on the page that answers the form', async () => {
    endpoint = await addEndpoint(nationalAdmin, tt, {
      description: 'Case system',
      url: receiverUrl,
      events: ['accepted', 'declined', 'withdrawn', 'quit_date_set'],
    });
    const list = await nationalAdmin.get(`/admin/organisations/${tt}/webhooks`);
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Case system/);
    assert.equal(secretOn(list.body), undefined);
    assert.ok(!list.body.includes(endpoint.secret));
    const page = await nationalAdmin.get(`/admin/organisations/${tt}/webhooks/${endpoint.id}`);
    assert.ok(!page.body.includes(endpoint.secret));
    const stored = await t.db
      .selectFrom('webhook_endpoints')
      .select('secret_sealed')
      .where('id', '=', endpoint.id)
      .executeTakeFirstOrThrow();
    assert.ok(!stored.secret_sealed.includes(endpoint.secret.slice(6, 30)), 'kept sealed');
  });

  test('an accepted referral is delivered once, signed, thin, and readable through the API', async () => {
    const id = await refer();
    received.length = 0;
    await accept(id);
    await queue.tick();
    assert.equal(received.length, 1);
    const m = received[0]!;
    // As a receiver would check it, with the library, against the real time (the app's clock is now).
    const payload = new Webhook(endpoint.secret).verify(m.body, m.headers as Record<string, string>) as {
      type: string;
      data: { id: string; status: string; url: string; reference: string };
    };
    assert.equal(payload.type, 'referral.accepted');
    assert.ok(WebhookMessageSchema.safeParse(payload).success, 'as the API description says');
    assert.equal(payload.data.id, id);
    assert.equal(payload.data.status, 'accepted');
    assert.match(String(m.headers['webhook-id']), /^msg_[0-9a-f-]{36}$/);
    assert.equal(m.headers['content-type'], 'application/json');
    assert.ok(!/Webhook|Personname|07700|LS6/.test(m.body), 'nothing about the person');
    assert.deepEqual(Object.keys(payload.data).sort(), ['id', 'reference', 'status', 'url']);
    const read = await api.get(new URL(payload.data.url).pathname);
    assert.equal(read.statusCode, 200);
    assert.equal((JSON.parse(read.body) as { status: string }).status, 'accepted');
    // Offered again on later turns, it is not sent again.
    later(60);
    await queue.tick();
    await queue.tick();
    assert.equal(received.length, 1);
    const [d] = await deliveries(endpoint.id);
    assert.equal(d!.status, 'delivered');
    assert.equal(d!.attempts, 1);
    assert.equal(d!.last_status_code, 204);
  });

  test('the deliveries list shows time, event, status code and tries, and nothing about the person', async () => {
    const page = await nationalAdmin.get(`/admin/organisations/${tt}/webhooks/${endpoint.id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /referral\.accepted/);
    assert.match(page.body, /Answered 204/);
    assert.match(page.body, /Delivered/);
    assert.ok(!/Personname|MOR-\d/.test(page.body), 'no person and no reference in the log');
  });

  test('an event the endpoint did not ask for, or the person did not agree to share, is not sent', async () => {
    received.length = 0;
    const noConsent = await refer('no');
    await accept(noConsent);
    const contact = await adviser.post(`/worklist/${noConsent}/contact-attempts`, { outcome: 'reached' });
    assert.equal(contact.statusCode, 303);
    await queue.tick();
    assert.equal(received.length, 0);
    // A withdrawal is the referrer's own act: sent whatever was agreed.
    const other = await refer('no');
    await withdraw(other);
    await queue.tick();
    assert.equal(received.length, 1);
    assert.equal((JSON.parse(received[0]!.body) as { type: string }).type, 'referral.withdrawn');
  });
});

describe('retries', () => {
  test('a 500 is tried again after the scheduled wait, under the same webhook-id and body', async () => {
    received.length = 0;
    answers.push(500);
    await withdraw(await refer());
    await queue.tick();
    assert.equal(received.length, 1);
    let [d] = (await deliveries(endpoint.id)).slice(-1);
    assert.equal(d!.status, 'pending');
    assert.equal(d!.last_status_code, 500);
    assert.equal(d!.next_attempt_at!.getTime(), instant.getTime() + 5000);
    await queue.tick();
    assert.equal(received.length, 1, 'not before its time');
    later(5);
    await queue.tick();
    assert.equal(received.length, 2);
    assert.equal(received[1]!.headers['webhook-id'], received[0]!.headers['webhook-id']);
    assert.equal(received[1]!.body, received[0]!.body);
    assert.ok(received.every((m) => signedWith(endpoint.secret, m)));
    [d] = (await deliveries(endpoint.id)).slice(-1);
    assert.equal(d!.status, 'delivered');
    assert.equal(d!.attempts, 2);
  });

  test('a receiver that does not answer in time, or answers with a redirect, is tried again', async () => {
    received.length = 0;
    answers.push('hang', 'redirect');
    await withdraw(await refer());
    deps.timeoutMs = 400;
    try {
      await queue.tick();
    } finally {
      deps.timeoutMs = 10_000;
    }
    let [d] = (await deliveries(endpoint.id)).slice(-1);
    assert.equal(d!.status, 'pending');
    assert.equal(d!.last_error, 'No answer in time');
    later(5);
    await queue.tick();
    [d] = (await deliveries(endpoint.id)).slice(-1);
    assert.equal(d!.last_status_code, 307, 'the redirect is not followed');
    assert.equal(received.length, 2);
    later(300);
    await queue.tick();
    [d] = (await deliveries(endpoint.id)).slice(-1);
    assert.equal(d!.status, 'delivered');
    assert.equal(d!.attempts, 3);
    assert.equal(received.length, 3);
  });

  test('a private address is refused when the configuration does not allow it, without a request', async () => {
    received.length = 0;
    deps.allowPrivateAddresses = false;
    try {
      await withdraw(await refer());
      await queue.tick();
    } finally {
      deps.allowPrivateAddresses = true;
    }
    assert.equal(received.length, 0);
    const [d] = (await deliveries(endpoint.id)).slice(-1);
    assert.equal(d!.last_error, 'Address not allowed');
    // A name is checked on the addresses it resolves to when the connection is made, not only as typed.
    const viaName = await postWebhook(
      new URL(receiverUrl.replace('127.0.0.1', 'localhost')),
      '{}',
      {},
      {
        timeoutMs: 2000,
        allowPrivate: false,
        userAgent: 'test',
      },
    );
    assert.deepEqual(viaName, { kind: 'failed', error: 'Address not allowed' });
    assert.equal(received.length, 0);
    later(5);
    await queue.tick();
    assert.equal(received.length, 1);
  });
});

describe('changing an endpoint', () => {
  const change = (events: string[]) =>
    nationalAdmin.post(
      `/admin/organisations/${tt}/webhooks/${endpoint.id}`,
      { description: 'Case system', url: receiverUrl, events },
      { from: `/admin/organisations/${tt}/webhooks/${endpoint.id}` },
    );

  test('an event unticked while its message waits to be tried again is not sent', async () => {
    received.length = 0;
    answers.push(500);
    await withdraw(await refer());
    await queue.tick();
    assert.equal(received.length, 1);
    const bad = await change([]);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Select at least one update to send/);
    assert.equal((await change(['accepted', 'declined', 'quit_date_set'])).statusCode, 303);
    later(5);
    await queue.tick();
    assert.equal(received.length, 1);
    const [d] = (await deliveries(endpoint.id)).slice(-1);
    assert.equal(d!.status, 'cancelled');
    assert.equal(d!.last_error, 'Event no longer asked for');
    assert.equal((await change(['accepted', 'declined', 'withdrawn', 'quit_date_set'])).statusCode, 303);
  });
});

describe('rotating the secret', () => {
  test('both secrets sign for a day, then only the new one; the new one is shown once', async () => {
    const res = await nationalAdmin.post(
      `/admin/organisations/${tt}/webhooks/${endpoint.id}/rotate-secret`,
      {},
      { from: `/admin/organisations/${tt}/webhooks/${endpoint.id}` },
    );
    assert.equal(res.statusCode, 200);
    const rotated = secretOn(res.body)!;
    assert.ok(rotated && rotated !== endpoint.secret);
    received.length = 0;
    await withdraw(await refer());
    await queue.tick();
    assert.equal(received.length, 1);
    assert.ok(signedWith(endpoint.secret, received[0]!), 'the old secret still signs');
    assert.ok(signedWith(rotated, received[0]!), 'the new secret signs');
    later(24 * 3600 + 1);
    await withdraw(await refer());
    await queue.tick();
    assert.equal(received.length, 2);
    assert.ok(signedWith(rotated, received[1]!));
    assert.ok(!signedWith(endpoint.secret, received[1]!), 'the old secret no longer signs');
    endpoint = { ...endpoint, secret: rotated };
  });
});

describe('an endpoint that keeps failing', () => {
  test('is switched off after a message fails every try, and its administrators are emailed', async () => {
    const admin = await t.db
      .insertInto('users')
      .values({
        email: 'it.admin@tt.example',
        name: 'Ira Admin',
        role: 'administrator',
        organisation_id: tt,
        password_hash: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    received.length = 0;
    later(60);
    answers.push(...Array<Answer>(8).fill(503));
    await withdraw(await refer());
    for (let i = 0; i < 8; i++) {
      await queue.tick();
      const [d] = (await deliveries(endpoint.id)).slice(-1);
      if (d!.next_attempt_at) instant = new Date(d!.next_attempt_at);
    }
    assert.equal(received.length, 8);
    const [d] = (await deliveries(endpoint.id)).slice(-1);
    assert.equal(d!.status, 'failed');
    assert.equal(d!.attempts, 8);
    const w = await t.db
      .selectFrom('webhook_endpoints')
      .select(['disabled_at', 'disabled_reason'])
      .where('id', '=', endpoint.id)
      .executeTakeFirstOrThrow();
    assert.equal(w.disabled_reason, 'failing');
    const notices = await t.db
      .selectFrom('outbound_messages')
      .select(['recipient_user_id', 'channel'])
      .where('kind', '=', 'webhook_disabled')
      .execute();
    assert.deepEqual(notices, [{ recipient_user_id: admin.id, channel: 'email' }]);
    const page = await nationalAdmin.get(`/admin/organisations/${tt}/webhooks/${endpoint.id}`);
    assert.match(page.body, /Mortar has switched this endpoint off/);
    // While it is off, new events are not planned for it.
    await withdraw(await refer());
    await queue.tick();
    assert.equal(received.length, 8);
  });

  test('switched back on by the administrator, it gets new events again', async () => {
    const res = await nationalAdmin.post(
      `/admin/organisations/${tt}/webhooks/${endpoint.id}/switch-on`,
      {},
      { from: `/admin/organisations/${tt}/webhooks/${endpoint.id}` },
    );
    assert.equal(res.statusCode, 303);
    received.length = 0;
    await withdraw(await refer());
    await queue.tick();
    assert.equal(received.length, 1);
  });
});

describe('one organisation, its own endpoints', () => {
  test("another organisation's administrator can neither see nor change them; other roles are refused", async () => {
    const own = await addEndpoint(councilAdmin, council, {
      description: 'Council system',
      url: `${receiverUrl}/council`,
      events: ['accepted'],
    });
    const theirs = await councilAdmin.get(`/admin/organisations/${tt}/webhooks`);
    assert.equal(theirs.statusCode, 404);
    for (const path of ['', '/rotate-secret', '/switch-off', '/remove']) {
      const url = `/admin/organisations/${council}/webhooks/${endpoint.id}${path}`;
      const res = path
        ? await councilAdmin.post(url, {}, { from: `/admin/organisations/${council}/webhooks` })
        : await councilAdmin.get(url);
      assert.equal(res.statusCode, 404, url);
    }
    const list = await councilAdmin.get(`/admin/organisations/${council}/webhooks`);
    assert.match(list.body, /Council system/);
    assert.ok(!list.body.includes('Case system'));
    const ttList = await nationalAdmin.get(`/admin/organisations/${tt}/webhooks`);
    assert.ok(!ttList.body.includes('Council system'));
    const referrer = await signIn(t.app, 'referrer@demo.test');
    assert.equal((await referrer.get(`/admin/organisations/${tt}/webhooks`)).statusCode, 403);
    // The Talking Therapies referral's acceptance goes to its endpoint only, never the council's.
    received.length = 0;
    const id = await refer();
    await accept(id);
    await queue.tick();
    assert.deepEqual(
      received.map((m) => m.path),
      ['/hooks/mortar'],
    );
    assert.equal((await deliveries(own.id)).length, 0);
  });
});
