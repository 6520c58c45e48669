/** What start-up does with demonstration data. */
export type DemoAtStart = 'load' | 'reset-passwords' | 'none';

/**
 * Demonstration accounts share one password that start-up prints, so they never exist in production:
 * with NODE_ENV=production nothing is loaded (config.ts refuses MORTAR_LOAD_DEMO=true there too).
 * Otherwise an empty database is loaded when asked, and by default when embedded; an embedded
 * database that has them gets this run's password.
 */
export function demoAtStart(o: {
  env: 'development' | 'production' | 'test';
  loadDemo: boolean | undefined;
  embedded: boolean;
  empty: boolean;
}): DemoAtStart {
  if (o.env === 'production') return 'none';
  if (o.empty) return (o.loadDemo ?? o.embedded) ? 'load' : 'none';
  return o.embedded && o.loadDemo !== false ? 'reset-passwords' : 'none';
}
