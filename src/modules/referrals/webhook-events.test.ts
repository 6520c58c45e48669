// Which status changes go to which endpoint, what the message says, when a failed one is tried again, when
// an endpoint is switched off, and which secrets sign during a rotation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { STATUS_KINDS, NOTE_KINDS, referrerTimeline, type EventKind } from './referral-status.ts';
import {
  disableAfterLastFailure,
  eventsForEndpoint,
  MAX_ATTEMPTS,
  nextAttemptAt,
  RETRY_DELAYS_SECONDS,
  secretsToSignWith,
  WEBHOOK_EVENTS,
  webhookBody,
  isDelivered,
} from './webhook-events.ts';
import { WebhookMessageSchema } from './webhook.openapi.ts';

const ALL_KINDS: EventKind[] = [...STATUS_KINDS, ...NOTE_KINDS];
const everything = { events: [...WEBHOOK_EVENTS], active: true };

test('with consent, every status change the endpoint asked for is sent; notes and "received" never', () => {
  const appended = ALL_KINDS.map((kind, id) => ({ id, kind }));
  const sent = eventsForEndpoint(appended, { consentShareProgress: true }, everything).map((e) => e.kind);
  assert.deepEqual(sent, [
    'contacted',
    'accepted',
    'declined',
    'unable_to_contact',
    'quit_date_set',
    'outcome_recorded',
    'withdrawn',
  ]);
  const some = { events: ['accepted', 'declined'], active: true };
  assert.deepEqual(
    eventsForEndpoint(appended, { consentShareProgress: true }, some).map((e) => e.kind),
    ['accepted', 'declined'],
  );
});

test('without consent only a withdrawal is sent, and nothing to an endpoint that is switched off', () => {
  const appended = ALL_KINDS.map((kind, id) => ({ id, kind }));
  assert.deepEqual(
    eventsForEndpoint(appended, { consentShareProgress: false }, everything).map((e) => e.kind),
    ['withdrawn'],
  );
  assert.deepEqual(
    eventsForEndpoint(appended, { consentShareProgress: true }, { ...everything, active: false }),
    [],
  );
});

test('a webhook never tells the referrer of a status the referral API would not show them', () => {
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(...ALL_KINDS), { maxLength: 12 }),
      fc.boolean(),
      fc.subarray([...WEBHOOK_EVENTS]),
      (kinds, consent, asked) => {
        const events = kinds.map((kind, i) => ({ id: i, kind, occurredAt: new Date(i * 1000) }));
        const visible = new Set(referrerTimeline(events, consent).map((t) => t.status as string));
        for (const e of eventsForEndpoint(
          events,
          { consentShareProgress: consent },
          { events: asked, active: true },
        )) {
          assert.ok(visible.has(e.kind), `${e.kind} sent but not visible`);
          assert.ok(asked.includes(e.kind));
        }
      },
    ),
    { seed: 23 },
  );
});

test('the body is thin: type, time, and the referral id, reference, status and API link only', () => {
  const body = JSON.parse(
    webhookBody({
      event: 'accepted',
      occurredAt: new Date('2027-06-10T10:00:00Z'),
      referral: { id: '0b7c8a52-6f1e-4c39-9d0e-2f4a1b3c5d6e', reference: 'MOR-000123' },
      apiBase: 'https://mortar.example.nhs.uk/',
    }),
  );
  assert.deepEqual(body, {
    type: 'referral.accepted',
    timestamp: '2027-06-10T10:00:00.000Z',
    data: {
      id: '0b7c8a52-6f1e-4c39-9d0e-2f4a1b3c5d6e',
      reference: 'MOR-000123',
      status: 'accepted',
      url: 'https://mortar.example.nhs.uk/api/v1/referrals/0b7c8a52-6f1e-4c39-9d0e-2f4a1b3c5d6e',
    },
  });
});

test('retries: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h after each failure, then no more (8 tries)', () => {
  const at = new Date('2027-06-10T10:00:00Z');
  const waits = [];
  for (let n = 1; nextAttemptAt(n, at); n++)
    waits.push((nextAttemptAt(n, at)!.getTime() - at.getTime()) / 1000);
  assert.deepEqual(waits, [5, 300, 1800, 7200, 18000, 36000, 36000]);
  assert.equal(MAX_ATTEMPTS, 8);
  assert.equal(nextAttemptAt(8, at), null);
  // Each wait is longer than or as long as the one before, and all of them together are over a day.
  assert.ok(RETRY_DELAYS_SECONDS.every((d, i) => i === 0 || d >= RETRY_DELAYS_SECONDS[i - 1]!));
  assert.ok(RETRY_DELAYS_SECONDS.reduce((a, b) => a + b) > 24 * 3600);
});

test('only 2xx is delivered; a redirect is a failure', () => {
  assert.deepEqual([199, 200, 204, 299, 301, 302, 307, 400, 410, 500].map(isDelivered), [
    false,
    true,
    true,
    true,
    false,
    false,
    false,
    false,
    false,
    false,
  ]);
});

test('an endpoint is switched off after a last failure only when nothing reached it since that message began', () => {
  const first = new Date('2027-06-10T10:00:00Z');
  assert.equal(disableAfterLastFailure({ firstAttemptAt: first, lastSuccessAt: null }), true);
  assert.equal(
    disableAfterLastFailure({ firstAttemptAt: first, lastSuccessAt: new Date('2027-06-10T09:59:59Z') }),
    true,
  );
  assert.equal(
    disableAfterLastFailure({ firstAttemptAt: first, lastSuccessAt: new Date('2027-06-10T12:00:00Z') }),
    false,
  );
});

test('after a rotation both secrets sign until the overlap ends, then only the new one', () => {
  const until = new Date('2027-06-11T10:00:00Z');
  const e = { current: 'new', previous: 'old', previousUntil: until };
  assert.deepEqual(secretsToSignWith(e, new Date('2027-06-11T09:59:59Z')), ['new', 'old']);
  assert.deepEqual(secretsToSignWith(e, until), ['new']);
  assert.deepEqual(secretsToSignWith({ current: 'only', previous: null, previousUntil: null }, until), [
    'only',
  ]);
});

test("every event's body matches the schema the API description publishes", () => {
  for (const event of WEBHOOK_EVENTS) {
    const body = webhookBody({
      event,
      occurredAt: new Date('2027-06-10T10:00:00Z'),
      referral: { id: '0b7c8a52-6f1e-4c39-9d0e-2f4a1b3c5d6e', reference: 'MOR-000123' },
      apiBase: 'http://127.0.0.1:3000',
    });
    const parsed = WebhookMessageSchema.safeParse(JSON.parse(body));
    assert.ok(parsed.success, `${event}: ${parsed.error?.message}`);
  }
});
