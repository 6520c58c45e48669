import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { Database, DatabaseHandle } from '../../src/db/database.ts';
import type { Reader } from '../../src/db/read-replica.ts';
import { loadDemoData } from '../../src/demo/demo-data.ts';
import { PostcodeLookup } from '../../src/platform/postcode-lookup.ts';
import type { Notifier } from '../../src/platform/notify.ts';
import { fixedClock, type Clock } from '../../src/platform/clock.ts';
import { createTestDatabase } from './test-db.ts';

/** The password of every demonstration account in tests. */
export const DEMO_PASSWORD = 'demo-password-123';

/** Fixed, so signed cookies are reproducible between apps in one test. */
const TEST_COOKIE_SECRET = 'test-cookie-secret-0123456789abcdef';

/**
 * The configuration tests run with, built by the product's own loader so the same validation applies.
 * The process environment is deliberately not read: a developer's DATABASE_URL or LOG_LEVEL must not
 * change what a test sees (the database is chosen by createTestDatabase instead).
 */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    MORTAR_DEMO_PASSWORD: DEMO_PASSWORD,
    COOKIE_SECRET: TEST_COOKIE_SECRET,
    // Tests send hundreds of requests a minute from one address; the limiter has tests of its own.
    RATE_LIMIT_PER_MINUTE: '1000000',
    ...env,
  });
}

// The look-up is read-only, so one per process serves every app a test file builds.
let postcodesLoading: Promise<PostcodeLookup> | undefined;
export function testPostcodes(): Promise<PostcodeLookup> {
  postcodesLoading ??= PostcodeLookup.load();
  return postcodesLoading;
}

export type TestApp = {
  app: FastifyInstance;
  db: Database;
  handle: DatabaseHandle;
  postcodes: PostcodeLookup;
  config: Config;
  /** The app's clock: pinned for the life of the app, and the day its demonstration data was built from. */
  clock: Clock;
  close: () => Promise<void>;
};

export type TestAppOptions = {
  /** Load the demonstration organisations, accounts (password DEMO_PASSWORD) and referrals. */
  demo?: boolean;
  /** Environment variables on top of the test defaults, e.g. { SIGN_IN_FREE_FAILURES: '3' }. */
  env?: Record<string, string>;
  /** Adds routes or hooks before the app is made ready (a route that throws, to test error pages). */
  extend?: (app: FastifyInstance) => void | Promise<void>;
  /** Messages to people (default: the log transport, silent); pass a LogNotifier to read its outbox. */
  notifier?: Notifier;
  /**
   * The instant the app's clock stands at (default: the instant the app is built, so the database's
   * own timestamps agree with it). Pin a day when what a test checks depends on where in the month or
   * quarter it falls; demonstration data is then built from that day.
   */
  now?: Date | string;
  /** Where read-heavy pages read, given the test's primary (default: the primary); closed with the app. */
  reader?: (primary: Database) => Reader | Promise<Reader>;
};

/** The real app on a database of its own. Call close() in an `after` hook. */
export async function buildTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const config = testConfig(opts.env);
  const clock = fixedClock(opts.now ?? new Date());
  const [handle, postcodes] = await Promise.all([createTestDatabase(), testPostcodes()]);
  let app: FastifyInstance | undefined;
  let reader: Reader | undefined;
  try {
    reader = await opts.reader?.(handle.db);
    if (opts.demo) await loadDemoData(handle.db, postcodes, DEMO_PASSWORD, { clock });
    app = await buildApp({
      config,
      db: handle.db,
      postcodes,
      clock,
      ...(opts.notifier ? { notifier: opts.notifier } : {}),
      ...(reader ? { reader } : {}),
    });
    await opts.extend?.(app);
    await app.ready();
    const ready = app;
    const readerOf = reader;
    return {
      app: ready,
      db: handle.db,
      handle,
      postcodes,
      config,
      clock,
      close: async () => {
        await ready.close();
        await readerOf?.close();
        await handle.close();
      },
    };
  } catch (err) {
    await app?.close().catch(() => undefined);
    await reader?.close();
    await handle.close();
    throw err;
  }
}
