import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NotifyClient } from 'notifications-node-client';
import { parseApiKey, signToken } from './fake-notify-auth.ts';
import { FakeNotify, type FakeNotifyOptions } from './fake-notify.ts';

// The fake is driven only as Mortar will drive the real service: through the official client, or with
// raw HTTP for what the client cannot send (a bad token) and for the callbacks Notify makes to us.

const SERVICE_ID = '26785a09-ab16-4eb0-8407-a37497a57506';
const SECRET = '3d844edf-8d35-48ac-975b-e847b4f122b0';
const API_KEY = `mortar_test-${SERVICE_ID}-${SECRET}`;
const SMS = 'b1a7c3d2-0000-4000-8000-000000000001';
const EMAIL = 'b1a7c3d2-0000-4000-8000-000000000002';
const TEMPLATES: FakeNotifyOptions['templates'] = [
  {
    id: SMS,
    type: 'sms',
    body: 'Your appointment is on ((date)) at ((Time)). ((late??Running late? Call us.))',
  },
  {
    id: EMAIL,
    type: 'email',
    subject: 'Referral ((reference))',
    body: 'Dear ((name)),\n\nWe have your referral.',
    version: 3,
  },
];
const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);

/** What a rejected client call carries: axios's response. */
type ClientError = { response: { status: number; data: unknown } };
const rejection = async (p: Promise<unknown>): Promise<ClientError['response']> => {
  try {
    await p;
  } catch (err) {
    return (err as ClientError).response;
  }
  assert.fail('expected the client to reject');
};

/** A tiny HTTP listener standing in for Mortar's callback routes. */
async function listener() {
  const received: { path: string; headers: IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
  const server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      received.push({
        path: req.url ?? '',
        headers: req.headers,
        body: JSON.parse(data) as Record<string, unknown>,
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { received, url, close: () => new Promise((r) => server.close(r)) };
}

function clock(start = T0) {
  const c = { t: start, now: () => c.t };
  return c;
}

describe('the fake GOV.UK Notify, through the official client', () => {
  let fake: FakeNotify;
  let client: NotifyClient;
  const c = clock();
  before(async () => {
    fake = await FakeNotify.start({ templates: TEMPLATES, apiKeys: [API_KEY], now: c.now });
    client = new NotifyClient(fake.baseUrl, API_KEY);
  });
  after(() => fake.close());

  test('sends a text message and answers with Notify’s body', async () => {
    const res = await client.sendSms(SMS, '07700 900123', {
      personalisation: { date: '3 March', time: '10am', late: 'yes' },
      reference: 'appt-1',
    });
    assert.equal(res.status, 201);
    const id = res.data.id;
    assert.match(id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(res.data, {
      id,
      reference: 'appt-1',
      uri: `${fake.baseUrl}/v2/notifications/${id}`,
      template: { id: SMS, version: 1, uri: `${fake.baseUrl}/services/${SERVICE_ID}/templates/${SMS}` },
      scheduled_for: null,
      content: {
        body: 'Your appointment is on 3 March at 10am. Running late? Call us.',
        from_number: 'GOVUK',
      },
    });
    const got = await client.getNotificationById(id);
    assert.equal(got.data.status, 'created');
    assert.equal(got.data.phone_number, '07700 900123');
    assert.equal(got.data.type, 'sms');
    assert.equal(got.data.created_at, '2026-03-02T09:00:00.000000Z');
    assert.equal(got.data.sent_at, null);
    assert.equal(got.data.is_cost_data_ready, false);
  });

  test('sends an email with its subject; placeholders match whatever their case', async () => {
    const res = await client.sendEmail(EMAIL, 'sam.person@example.com', {
      personalisation: { Reference: 'MOR-000042', NAME: 'Sam' },
    });
    assert.equal(res.status, 201);
    assert.deepEqual(res.data.content, {
      from_email: 'mortar@notifications.service.gov.uk',
      body: 'Dear Sam,\n\nWe have your referral.',
      subject: 'Referral MOR-000042',
      one_click_unsubscribe_url: null,
    });
    assert.equal(res.data.reference, null);
    assert.equal(res.data.template.version, 3);
  });

  test('a missing placeholder: the client rejects with Notify’s 400 body, and nothing is stored', async () => {
    const before = fake.notifications.length;
    const err = await rejection(client.sendSms(SMS, '07700900123', { personalisation: { date: '3 March' } }));
    assert.equal(err.status, 400);
    assert.deepEqual(err.data, {
      status_code: 400,
      errors: [{ error: 'BadRequestError', message: 'Missing personalisation: Time, late' }],
    });
    assert.equal(fake.notifications.length, before);
  });

  test('recipients and templates are checked with Notify’s words', async () => {
    const p = { date: 'x', time: 'y', late: 'no' };
    const cases: [Promise<unknown>, number, { error: string; message: string }[]][] = [
      [
        client.sendSms(SMS, '0113 496 0000', { personalisation: p }),
        400,
        [{ error: 'InvalidPhoneError', message: 'Not a UK mobile number' }],
      ],
      [
        client.sendSms(SMS, '07700 9001', { personalisation: p }),
        400,
        [{ error: 'ValidationError', message: 'phone_number Not enough digits' }],
      ],
      [
        client.sendSms(SMS, '077009001234', { personalisation: p }),
        400,
        [{ error: 'ValidationError', message: 'phone_number Too many digits' }],
      ],
      [
        client.sendSms(SMS, '07700 9OO123', { personalisation: p }),
        400,
        [{ error: 'ValidationError', message: 'phone_number Must not contain letters or symbols' }],
      ],
      [
        client.sendSms(SMS, '+33 6 12 34 56 78', { personalisation: p }),
        400,
        [{ error: 'BadRequestError', message: 'Cannot send to international mobile numbers' }],
      ],
      [
        client.sendEmail(EMAIL, 'sam@example', {}),
        400,
        [{ error: 'ValidationError', message: 'email_address Not a valid email address' }],
      ],
      [
        client.sendSms('not-a-uuid', '07700900123', {}),
        400,
        [{ error: 'ValidationError', message: 'template_id is not a valid UUID' }],
      ],
      [
        client.sendSms('b1a7c3d2-0000-4000-8000-0000000000ff', '07700900123', {}),
        400,
        [{ error: 'BadRequestError', message: 'Template not found' }],
      ],
      [
        client.sendSms(EMAIL, '07700900123', {}),
        400,
        [{ error: 'BadRequestError', message: 'email template is not suitable for sms notification' }],
      ],
    ];
    for (const [call, status, errors] of cases) {
      const err = await rejection(call);
      assert.deepEqual(err, { ...err, status, data: { status_code: status, errors } });
    }
    // Every way people write a UK mobile is the same recipient.
    for (const to of ['+44 7700 900124', '447700900124', '(07700) 900-124', '0044 7700 900124'])
      await client.sendSms(SMS, to, { personalisation: p, reference: 'same-person' });
    assert.equal(fake.byRecipient('07700900124').length, 4);
  });

  test('a key it does not know, or a token it cannot read: 403 AuthError; no token: 401', async () => {
    const wrong = new NotifyClient(
      fake.baseUrl,
      `mortar_test-${SERVICE_ID}-${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`,
    );
    const err = await rejection(wrong.sendSms(SMS, '07700900123', {}));
    assert.deepEqual(err.status, 403);
    assert.deepEqual(err.data, {
      status_code: 403,
      errors: [{ error: 'AuthError', message: 'Invalid token: API key not found' }],
    });
    const other = new NotifyClient(
      fake.baseUrl,
      `x-${'1'.repeat(8)}-1111-4111-8111-${'1'.repeat(12)}-${SECRET}`,
    );
    assert.deepEqual((await rejection(other.getNotifications())).data, {
      status_code: 403,
      errors: [{ error: 'AuthError', message: 'Invalid token: service not found' }],
    });
    const none = await fetch(`${fake.baseUrl}/v2/notifications`);
    assert.equal(none.status, 401);
    assert.deepEqual(await none.json(), {
      status_code: 401,
      errors: [{ error: 'AuthError', message: 'Unauthorized: authentication token must be provided' }],
    });
    const garbled = await fetch(`${fake.baseUrl}/v2/notifications`, {
      headers: { authorization: 'Bearer abc' },
    });
    assert.equal(garbled.status, 403);
    assert.match(
      ((await garbled.json()) as { errors: { message: string }[] }).errors[0]!.message,
      /^Invalid token: make sure/,
    );
  });

  test('the injected 500 answers as Notify’s own error; a 503 is not JSON; then all is well again', async () => {
    fake.failNext(1, 500);
    const p = { personalisation: { date: 'x', time: 'y', late: 'no' } };
    const err = await rejection(client.sendSms(SMS, '07700900125', p));
    assert.deepEqual(err.data, {
      status_code: 500,
      errors: [{ error: 'Exception', message: 'Internal server error' }],
    });
    assert.equal(fake.byRecipient('07700900125').length, 0, 'nothing was sent');
    fake.failNext(1, 503);
    const unavailable = await rejection(client.sendSms(SMS, '07700900125', p));
    assert.equal(unavailable.status, 503);
    assert.equal(typeof unavailable.data, 'string');
    assert.equal((await client.sendSms(SMS, '07700900125', p)).status, 201);
    assert.equal(fake.byRecipient('07700900125').length, 1);
  });

  test('a 500 after Notify accepted the message: a look-up by reference finds it', async () => {
    fake.failNext(1, 500, { afterProcessing: true });
    const p = { personalisation: { date: 'x', time: 'y', late: 'no' }, reference: 'reminder-77' };
    assert.equal((await rejection(client.sendSms(SMS, '07700900126', p))).status, 500);
    const found = await client.getNotifications(undefined, undefined, 'reminder-77');
    assert.equal(found.data.notifications.length, 1);
    assert.equal(found.data.notifications[0]!.reference, 'reminder-77');
  });

  test('a hung request is handled when released, even after the sender stopped waiting', async () => {
    fake.hangNext(1);
    const p = { personalisation: { date: 'x', time: 'y', late: 'no' }, reference: 'hung-1' };
    const pending = client.sendSms(SMS, '07700900127', p);
    while (fake.hungRequests === 0) await new Promise((r) => setImmediate(r));
    assert.equal(fake.byReference('hung-1').length, 0);
    fake.releaseHung();
    assert.equal((await pending).status, 201);
    assert.equal(fake.byReference('hung-1').length, 1);
  });

  test('the list of notifications: by reference, type and status, newest first, with Notify’s links', async () => {
    const p = { personalisation: { date: 'x', time: 'y', late: 'no' }, reference: 'listed' };
    const first = await client.sendSms(SMS, '07700900128', p);
    const second = await client.sendSms(SMS, '07700900128', p);
    await fake.deliver(first.data.id);
    const all = await client.getNotifications('sms', undefined, 'listed');
    assert.deepEqual(
      all.data.notifications.map((n) => n.id),
      [second.data.id, first.data.id],
    );
    assert.equal(
      all.data.links.current,
      `${fake.baseUrl}/v2/notifications?template_type=sms&reference=listed`,
    );
    assert.equal(
      all.data.links.next,
      `${fake.baseUrl}/v2/notifications?template_type=sms&reference=listed&older_than=${first.data.id}`,
    );
    const delivered = await client.getNotifications(undefined, 'delivered', 'listed');
    assert.deepEqual(
      delivered.data.notifications.map((n) => n.id),
      [first.data.id],
    );
    assert.equal((await client.getNotifications('email', undefined, 'listed')).data.notifications.length, 0);
    const older = await client.getNotifications(undefined, undefined, 'listed', second.data.id);
    assert.deepEqual(
      older.data.notifications.map((n) => n.id),
      [first.data.id],
    );
    assert.deepEqual(fake.duplicateReferences().get('listed'), 2);
    const missing = await rejection(client.getNotificationById('b1a7c3d2-0000-4000-8000-0000000000aa'));
    assert.deepEqual(missing, {
      ...missing,
      status: 404,
      data: { status_code: 404, errors: [{ error: 'NoResultFound', message: 'No result found' }] },
    });
  });
});

describe('requests the client would not make', () => {
  test('a body that is not JSON, a letter, an unknown path; a timed hang passes by itself', async () => {
    const fake = await FakeNotify.start({ templates: TEMPLATES, apiKeys: [API_KEY] });
    try {
      const auth = () => `Bearer ${signToken(parseApiKey(API_KEY), Math.floor(Date.now() / 1000))}`;
      const post = (path: string, body: string) =>
        fetch(`${fake.baseUrl}${path}`, { method: 'POST', headers: { authorization: auth() }, body });
      const notJson = await post('/v2/notifications/sms', '{"template_id":');
      assert.deepEqual(await notJson.json(), {
        status_code: 400,
        errors: [{ error: 'BadRequestError', message: 'Invalid JSON supplied in POST data' }],
      });
      const letter = await post('/v2/notifications/letter', JSON.stringify({ template_id: SMS }));
      assert.equal(letter.status, 400);
      assert.equal((await fetch(`${fake.baseUrl}/v2/nothing-here`)).status, 404);
      fake.hangNext(1, { ms: 1 });
      const body = JSON.stringify({
        template_id: SMS,
        phone_number: '07700900123',
        personalisation: { date: 'x', time: 'y', late: 'no' },
      });
      assert.equal((await post('/v2/notifications/sms', body)).status, 201);
      assert.deepEqual(
        fake.refused.map((r) => [r.status, r.error]),
        [
          [400, 'BadRequestError'],
          [400, 'BadRequestError'],
        ],
      );
    } finally {
      await fake.close();
    }
  });
});

describe('the rate limit', () => {
  test('the 3,001st send in 60 seconds is refused with 429; the window slides', async () => {
    const c = clock();
    const fake = await FakeNotify.start({ templates: TEMPLATES, apiKeys: [API_KEY], now: c.now });
    try {
      const client = new NotifyClient(fake.baseUrl, API_KEY);
      const p = { personalisation: { date: 'x', time: 'y', late: 'no' } };
      // 3,000 sends spread over 30 seconds, 20 at a time.
      for (let i = 0; i < 150; i++) {
        await Promise.all(Array.from({ length: 20 }, () => client.sendSms(SMS, '07700900123', p)));
        c.t += 200;
      }
      assert.equal(fake.stats.accepted, 3000);
      const err = await rejection(client.sendSms(SMS, '07700900123', p));
      assert.equal(err.status, 429);
      assert.deepEqual(err.data, {
        status_code: 429,
        errors: [
          {
            error: 'RateLimitError',
            message: 'Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds',
          },
        ],
      });
      assert.equal(fake.rateLimited.length, 1);
      // Look-ups are not sends: they are never limited.
      assert.equal((await client.getNotifications()).status, 200);
      // A minute after the first 20, exactly 20 more fit.
      c.t = T0 + 60_000;
      await Promise.all(Array.from({ length: 20 }, () => client.sendSms(SMS, '07700900123', p)));
      assert.equal((await rejection(client.sendSms(SMS, '07700900123', p))).status, 429);
      c.t = T0 + 120_000;
      assert.equal((await client.sendSms(SMS, '07700900123', p)).status, 201);
      assert.equal(fake.stats.accepted, 3021);
      assert.equal(fake.rateLimited.length, 2);
    } finally {
      await fake.close();
    }
  });

  test('token-bucket, as notifications-api counts today: a burst of a third of the limit, then a steady rate', async () => {
    const c = clock();
    const fake = await FakeNotify.start({
      templates: TEMPLATES,
      apiKeys: [API_KEY],
      now: c.now,
      rateLimit: 30,
      rateLimitAlgorithm: 'token-bucket',
    });
    try {
      const client = new NotifyClient(fake.baseUrl, API_KEY);
      const p = { personalisation: { date: 'x', time: 'y', late: 'no' } };
      for (let i = 0; i < 11; i++) await client.sendSms(SMS, '07700900123', p);
      const err = await rejection(client.sendSms(SMS, '07700900123', p));
      assert.equal(
        (err.data as { errors: { message: string }[] }).errors[0]!.message,
        'Exceeded rate limit for key type LIVE of 30 requests per 60 seconds',
      );
      c.t += 2_000; // 30 a minute: one token every 2 seconds
      assert.equal((await client.sendSms(SMS, '07700900123', p)).status, 201);
      assert.equal((await rejection(client.sendSms(SMS, '07700900123', p))).status, 429);
    } finally {
      await fake.close();
    }
  });
});

describe('tokens', () => {
  test('a token signed more than 30 seconds from the server’s clock, or not with HS256, is refused', async () => {
    const fake = await FakeNotify.start({ templates: TEMPLATES, apiKeys: [API_KEY], tokenClock: () => T0 });
    try {
      const key = parseApiKey(API_KEY);
      const get = (token: string) =>
        fetch(`${fake.baseUrl}/v2/notifications`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal((await get(signToken(key, T0 / 1000 - 30))).status, 200);
      assert.equal((await get(signToken(key, T0 / 1000 + 30))).status, 200);
      for (const iat of [T0 / 1000 - 31, T0 / 1000 + 31]) {
        const res = await get(signToken(key, iat));
        assert.equal(res.status, 403);
        assert.deepEqual(await res.json(), {
          status_code: 403,
          errors: [
            { error: 'AuthError', message: 'Error: Your system clock must be accurate to within 30 seconds' },
          ],
        });
      }
      const hs512 = await get(signToken(key, T0 / 1000, 'HS512'));
      assert.deepEqual(((await hs512.json()) as { errors: unknown[] }).errors, [
        { error: 'AuthError', message: 'Invalid token: algorithm used is not HS256' },
      ]);
    } finally {
      await fake.close();
    }
  });
});

describe('callbacks to the service', () => {
  test('delivery receipts reach the callback URL with the bearer token, delivered or failed', async () => {
    const hook = await listener();
    const c = clock();
    const fake = await FakeNotify.start({
      templates: TEMPLATES,
      apiKeys: [API_KEY],
      now: c.now,
      deliveryReceipts: { url: `${hook.url}/notify/receipts`, bearerToken: 'receipt-token-123' },
    });
    try {
      const client = new NotifyClient(fake.baseUrl, API_KEY);
      fake.failRecipient('+447700900999', 'permanent-failure');
      const p = { personalisation: { date: 'x', time: 'y', late: 'no' } };
      const ok = await client.sendSms(SMS, '07700900123', { ...p, reference: 'r-ok' });
      const bad = await client.sendSms(SMS, '07700 900999', { ...p, reference: 'r-bad' });
      assert.equal(hook.received.length, 0, 'manual delivery: nothing until the test says');
      c.t += 1_000;
      fake.markSending(ok.data.id);
      c.t += 1_000;
      assert.equal(await fake.deliverAll(), 2);
      assert.equal(hook.received.length, 2);
      const byId = new Map(hook.received.map((r) => [r.body.id, r]));
      const receipt = byId.get(ok.data.id)!;
      assert.equal(receipt.path, '/notify/receipts');
      assert.equal(receipt.headers.authorization, 'Bearer receipt-token-123');
      assert.equal(receipt.headers['content-type'], 'application/json');
      assert.deepEqual(receipt.body, {
        id: ok.data.id,
        reference: 'r-ok',
        to: '07700900123',
        status: 'delivered',
        created_at: '2026-03-02T09:00:00.000000Z',
        completed_at: '2026-03-02T09:00:02.000000Z',
        sent_at: '2026-03-02T09:00:01.000000Z',
        notification_type: 'sms',
        template_id: SMS,
        template_version: 1,
      });
      assert.equal(byId.get(bad.data.id)!.body.status, 'permanent-failure');
      const got = await client.getNotificationById(bad.data.id);
      assert.equal(got.data.status, 'permanent-failure');
      assert.equal(got.data.completed_at, '2026-03-02T09:00:02.000000Z');
      assert.deepEqual(
        fake.callbacks.map((r) => r.status),
        [204, 204],
      );
    } finally {
      await fake.close();
      await hook.close();
    }
  });

  test('immediate delivery posts each receipt as soon as the message is accepted', async () => {
    const hook = await listener();
    const fake = await FakeNotify.start({
      templates: TEMPLATES,
      apiKeys: [API_KEY],
      delivery: 'immediate',
      deliveryReceipts: { url: hook.url, bearerToken: 'receipt-token-123' },
    });
    try {
      const client = new NotifyClient(fake.baseUrl, API_KEY);
      await client.sendEmail(EMAIL, 'temp-fail@simulator.notify', {
        personalisation: { reference: 'R', name: 'N' },
      });
      await fake.settled();
      assert.equal(hook.received.length, 1);
      assert.equal(hook.received[0]!.body.status, 'temporary-failure');
      assert.equal(hook.received[0]!.body.notification_type, 'email');
    } finally {
      await fake.close();
      await hook.close();
    }
  });

  test('a text from a person reaches the inbound callback URL with the bearer token', async () => {
    const hook = await listener();
    const fake = await FakeNotify.start({
      templates: TEMPLATES,
      apiKeys: [API_KEY],
      now: () => T0,
      inboundNumber: '07700900555',
      inboundSms: { url: `${hook.url}/notify/inbound`, bearerToken: 'inbound-token-456' },
    });
    try {
      const record = await fake.receiveText('447700900123', 'STOP');
      assert.equal(record?.status, 204);
      assert.equal(hook.received.length, 1);
      const [got] = hook.received;
      assert.equal(got!.path, '/notify/inbound');
      assert.equal(got!.headers.authorization, 'Bearer inbound-token-456');
      assert.deepEqual(got!.body, {
        id: got!.body.id,
        source_number: '447700900123',
        destination_number: '07700900555',
        message: 'STOP',
        date_received: '2026-03-02T09:00:00.000000Z',
      });
      assert.match(String(got!.body.id), /^[0-9a-f-]{36}$/);
    } finally {
      await fake.close();
      await hook.close();
    }
  });
});
