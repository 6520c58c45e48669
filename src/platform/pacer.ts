// Spaces sends evenly under a rate limit (GOV.UK Notify: 3,000 a minute for a live key), so the sender
// meets the limit without being refused. Each caller takes the next free slot; after a refusal for the
// rate, every slot moves back a while. One pacer per instance: with several instances, set the rate to
// the limit divided by their number.
export type Pacer = {
  /** Resolves when this caller may send. */
  take: () => Promise<void>;
  /** The service said "too many": wait before the next slot. */
  backOff: () => void;
};

export function createPacer(
  perMinute: number,
  opts: { now?: () => number; sleep?: (ms: number) => Promise<void>; backOffMs?: number } = {},
): Pacer {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  // A little under the limit: timers fire late as often as early, and the service counts its own way.
  const interval = 60_000 / (perMinute * 0.98);
  const backOffMs = opts.backOffMs ?? 5_000;
  let next = 0;
  return {
    take: async () => {
      const t = now();
      const slot = Math.max(t, next);
      next = slot + interval;
      if (slot > t) await sleep(slot - t);
    },
    backOff: () => {
      next = Math.max(next, now() + backOffMs);
    },
  };
}
