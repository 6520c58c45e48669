// Signatures of the Standard Webhooks specification (https://www.standardwebhooks.com/): the receiver
// checks `webhook-signature`, an HMAC-SHA256 under the shared secret of `${webhook-id}.${webhook-timestamp}.${body}`,
// base64 and prefixed "v1,". Several signatures may be sent, separated by spaces: while a secret is being
// rotated Mortar signs with both, so a receiver holding either accepts the message.
import { createHmac, randomBytes } from 'node:crypto';

export const SECRET_PREFIX = 'whsec_';

/** A new signing secret, as the specification writes it: "whsec_" and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

function keyOf(secret: string): Buffer {
  const key = Buffer.from(
    secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret,
    'base64',
  );
  if (key.length < 24) throw new Error('A webhook secret must hold at least 24 bytes');
  return key;
}

/** One "v1,<base64>" signature of a message. `timestamp` is in whole seconds since 1970. */
export function signMessage(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', keyOf(secret))
    .update(`${id}.${timestamp}.${body}`, 'utf8')
    .digest('base64');
  return `v1,${mac}`;
}

export type WebhookHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/** The three headers of a message, signed with each secret given (the current one first). */
export function webhookHeaders(m: {
  id: string;
  at: Date;
  body: string;
  secrets: readonly string[];
}): WebhookHeaders {
  if (m.secrets.length === 0) throw new Error('A webhook needs a secret to be signed with');
  const timestamp = Math.floor(m.at.getTime() / 1000);
  return {
    'webhook-id': m.id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': m.secrets.map((s) => signMessage(s, m.id, timestamp, m.body)).join(' '),
  };
}
