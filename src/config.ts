import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

// Every variable the product reads is here, so that a bad value stops start-up with its name.
const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  MORTAR_DATA_DIR: z.string().min(1).default('.data/pglite'),
  MORTAR_DEMO_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  MORTAR_LOAD_DEMO: bool.optional(),
  SESSION_TTL_HOURS: z.coerce.number().positive().max(24 * 30).default(12),
  COOKIE_SECURE: bool.optional(),
  COOKIE_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MAX_FAILED_CONTACT_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
  SIGN_IN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  SIGN_IN_LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(300),
  SIGN_IN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  TRUST_PROXY: bool.default(false),
});

export type Config = {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  demoPassword: string | undefined;
  /** Load demonstration data: always on an empty embedded database, on a server only when asked. */
  loadDemo: boolean | undefined;
  sessionTtlMs: number;
  cookieSecure: boolean;
  cookieSecret: string | undefined;
  logLevel: string;
  maxFailedContactAttempts: number;
  signInMaxFailures: number;
  signInLockoutMs: number;
  rateLimitPerMinute: number;
  signInRateLimitPerMinute: number;
  trustProxy: boolean;
};

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && !e.COOKIE_SECRET) {
    throw new ConfigError('Invalid configuration:\n  COOKIE_SECRET: required when NODE_ENV=production');
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.MORTAR_DATA_DIR,
    demoPassword: e.MORTAR_DEMO_PASSWORD,
    loadDemo: e.MORTAR_LOAD_DEMO,
    sessionTtlMs: e.SESSION_TTL_HOURS * 3600_000,
    cookieSecure: e.COOKIE_SECURE ?? e.NODE_ENV === 'production',
    cookieSecret: e.COOKIE_SECRET,
    logLevel: e.LOG_LEVEL,
    maxFailedContactAttempts: e.MAX_FAILED_CONTACT_ATTEMPTS,
    signInMaxFailures: e.SIGN_IN_MAX_FAILURES,
    signInLockoutMs: e.SIGN_IN_LOCKOUT_MINUTES * 60_000,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    signInRateLimitPerMinute: e.SIGN_IN_RATE_LIMIT_PER_MINUTE,
    trustProxy: e.TRUST_PROXY,
  };
}
