// Node's CPU profile (--cpu-prof), summed over a window: self time by package and by function.

type CallFrame = { functionName: string; url: string; lineNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame };
type CpuProfile = {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
};

export type CpuSummary = {
  busyMs: number;
  byPackage: [string, number][];
  byFunction: [string, number][];
};

const IDLE = new Set(['(idle)', '(root)']);

/** Where a frame's code lives: a package, Node itself, a file of Mortar, or V8's own work. */
export function packageOf(f: CallFrame): string {
  if (!f.url) return f.functionName; // (garbage collector), (program)
  const nm = f.url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = f.url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (f.url.startsWith('node:')) return 'node (built-in)';
  const src = f.url.indexOf('/src/');
  return src >= 0 ? f.url.slice(src + 1) : f.url;
}

/**
 * Self time per package and per function for samples taken between `from` and `to` (process.hrtime
 * nanoseconds: the profile's timestamps are microseconds on the same monotonic clock).
 */
export function summariseCpuProfile(text: string, from: bigint, to: bigint): CpuSummary {
  const p = JSON.parse(text) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n.callFrame]));
  const lo = Number(from / 1000n);
  const hi = Number(to / 1000n);
  const pkg = new Map<string, number>();
  const fn = new Map<string, number>();
  let t = p.startTime;
  let busy = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const delta = p.timeDeltas[i] ?? 0;
    t += delta;
    if (t < lo || t > hi) continue;
    const f = byId.get(p.samples[i]!);
    if (!f || IDLE.has(f.functionName)) continue;
    const ms = delta / 1000;
    busy += ms;
    const where = packageOf(f);
    pkg.set(where, (pkg.get(where) ?? 0) + ms);
    const name = `${f.functionName || '(anonymous)'} ${where}${f.url ? `:${f.lineNumber + 1}` : ''}`;
    fn.set(name, (fn.get(name) ?? 0) + ms);
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return { busyMs: busy, byPackage: sorted(pkg), byFunction: sorted(fn) };
}
