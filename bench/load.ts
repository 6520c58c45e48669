// The closed-loop load every HTTP benchmark uses, so their figures are measured the same way.

export const now = () => performance.now();

/** A whole-number setting from the environment, refused outside its range. */
export function intEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${name} must be a whole number from ${min} to ${max}`);
  return n;
}

/** The p-th percentile of an ascending list (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * Runs `concurrency` workers for a warm-up, then for a measured window that ends after `measureMs` or
 * `maxOps` operations, whichever comes first. Only operations started in the window count; `seconds` runs
 * from the window's start to the last of them finishing.
 */
export async function closedLoop<T>(
  opts: { concurrency: number; warmupMs: number; measureMs: number; maxOps: number },
  op: (i: number) => Promise<T>,
): Promise<{ measured: T[]; seconds: number; warmupOps: number }> {
  const windowStart = now() + opts.warmupMs;
  const windowEnd = windowStart + opts.measureMs;
  let started = 0;
  let startedInWindow = 0;
  let warmupOps = 0;
  let lastEnd = windowStart;
  const measured: T[] = [];
  const worker = async () => {
    for (;;) {
      const t = now();
      if (t >= windowEnd) return;
      const inWindow = t >= windowStart;
      if (inWindow) {
        if (startedInWindow >= opts.maxOps) return;
        startedInWindow++;
      }
      const r = await op(started++);
      if (inWindow) {
        measured.push(r);
        lastEnd = Math.max(lastEnd, now());
      } else warmupOps++;
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  return { measured, seconds: (lastEnd - windowStart) / 1000, warmupOps };
}
