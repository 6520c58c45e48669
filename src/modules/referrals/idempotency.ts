import { createHash } from 'node:crypto';
import { HttpError } from '../../platform/errors.ts';

// An Idempotency-Key names one request (IETF draft "The Idempotency-Key HTTP Header Field"): a retry
// sends the same key with the same body and gets the first answer. The same key with another body is a
// mistake in the calling system, and answering it with the first referral would mean the second person
// is never referred, so it is refused with 422. The body is compared by a hash of its parsed JSON with
// the keys of every object in order, so a retry that writes the same JSON differently still matches.

export type Idempotency = { key: string; fingerprint: string };

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

/** A hash of a parsed JSON body that does not depend on the order of keys or on spacing. */
export function requestFingerprint(body: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(body ?? null)))
    .digest('hex');
}

export class IdempotencyKeyReused extends HttpError {
  constructor() {
    super(
      422,
      'Idempotency-Key already used for another request',
      'This Idempotency-Key was sent before with a different body, so this request was not carried out. Send a new key for a new referral.',
    );
  }
}

/** Whether a stored referral answers this request: no fingerprint means it was made before they were kept. */
export const sameRequest = (stored: string | null, idempotency: Idempotency) =>
  stored === null || stored === idempotency.fingerprint;
