// Notify's per-key limit on sends (POST /v2/notifications/*), in two forms:
//   sliding-window  at most `perMinute` accepted sends in any 60 seconds: the limit as Notify's
//                   documentation states it ("3,000 messages per minute"), and the default;
//   token-bucket    what notifications-api does today (app/notifications/validators.py): a bucket of
//                   min(ceil(perMinute / 3) + 1, 1000) tokens refilled at perMinute / 60 a second, so a
//                   burst of more than about a third of the limit is refused even within the minute.
// A sender that keeps to both is safe against the real service.

export type RateLimitAlgorithm = 'sliding-window' | 'token-bucket';
const WINDOW_MS = 60_000;

export interface RateLimiter {
  /** Takes one send from the allowance at `nowMs`; false when over the limit (nothing is taken). */
  take(nowMs: number): boolean;
}

class SlidingWindow implements RateLimiter {
  readonly #limit: number;
  // Times of the accepted sends still inside the window, oldest first; `#head` skips expired ones
  // without shifting the array on every request.
  #times: number[] = [];
  #head = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  take(nowMs: number): boolean {
    while (this.#head < this.#times.length && this.#times[this.#head]! <= nowMs - WINDOW_MS) this.#head++;
    if (this.#head > 1024 && this.#head * 2 > this.#times.length) {
      this.#times = this.#times.slice(this.#head);
      this.#head = 0;
    }
    if (this.#times.length - this.#head >= this.#limit) return false;
    this.#times.push(nowMs);
    return true;
  }
}

class TokenBucket implements RateLimiter {
  readonly #max: number;
  readonly #perMs: number;
  #tokens: number;
  #at: number | undefined;

  constructor(perMinute: number) {
    this.#max = Math.min(Math.ceil(perMinute / 3) + 1, 1000);
    this.#perMs = perMinute / WINDOW_MS;
    this.#tokens = this.#max;
  }

  take(nowMs: number): boolean {
    if (this.#at !== undefined)
      this.#tokens = Math.min(this.#max, this.#tokens + Math.max(0, nowMs - this.#at) * this.#perMs);
    this.#at = nowMs;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

export function createRateLimiter(perMinute: number, algorithm: RateLimitAlgorithm): RateLimiter {
  return algorithm === 'token-bucket' ? new TokenBucket(perMinute) : new SlidingWindow(perMinute);
}

/** Notify's words when a key is over its limit (app/v2/errors.py RateLimitError, a live key). */
export const rateLimitMessage = (perMinute: number) =>
  `Exceeded rate limit for key type LIVE of ${perMinute} requests per 60 seconds`;
