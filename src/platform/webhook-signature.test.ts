// Mortar's signatures against the Standard Webhooks reference library (standardwebhooks, pinned as a
// development dependency): for any message and secret, the library computes the same "v1," signature.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { newWebhookSecret, signMessage, webhookHeaders } from './webhook-signature.ts';

test('the specification example: a known secret, id, time and body give the published signature', () => {
  // The test vector of the Standard Webhooks reference libraries.
  assert.equal(
    signMessage(
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      1614265330,
      '{"test": 2432232314}',
    ),
    'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
  );
});

test('for any message and secret, the reference library computes the same signature', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 24, maxLength: 64 }),
      fc.string({ minLength: 1, maxLength: 40 }),
      fc.integer({ min: 0, max: 4_000_000_000 }),
      fc.string({ unit: 'grapheme', maxLength: 300 }),
      (key, id, seconds, body) => {
        const secret = `whsec_${Buffer.from(key).toString('base64')}`;
        const theirs = new Webhook(secret).sign(id, new Date(seconds * 1000), body);
        assert.equal(signMessage(secret, id, seconds, body), theirs);
      },
    ),
    { seed: 1414 },
  );
});

test('headers carry the id, the time in whole seconds, and one signature per secret, current first', () => {
  const current = newWebhookSecret();
  const previous = newWebhookSecret();
  const at = new Date('2027-06-10T10:00:00.900Z');
  const h = webhookHeaders({ id: 'msg_1', at, body: '{}', secrets: [current, previous] });
  assert.equal(h['webhook-id'], 'msg_1');
  assert.equal(h['webhook-timestamp'], String(Math.floor(at.getTime() / 1000)));
  const [first, second] = h['webhook-signature'].split(' ');
  const wh = (s: string) =>
    new Webhook(s).sign('msg_1', new Date(Math.floor(at.getTime() / 1000) * 1000), '{}');
  assert.equal(first, wh(current));
  assert.equal(second, wh(previous));
  assert.throws(() => webhookHeaders({ id: 'msg_1', at, body: '{}', secrets: [] }));
});

test('a new secret is whsec_ and 32 random bytes, different every time', () => {
  const a = newWebhookSecret();
  assert.match(a, /^whsec_[A-Za-z0-9+/]{43}=$/);
  assert.equal(Buffer.from(a.slice(6), 'base64').length, 32);
  assert.notEqual(a, newWebhookSecret());
  assert.throws(() => signMessage('whsec_c2hvcnQ=', 'msg', 1, ''), /at least 24 bytes/);
});
