import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { FONT_FILES } from './platform/assets.ts';
import { parseTrustProxy, type TrustProxy } from './platform/trust-proxy.ts';
import { isDomainName } from './platform/secure-email.ts';
import { ssoProvidersOf, type SsoProvider } from './platform/sso-config.ts';
import { ConfigError } from './config-error.ts';
import { notifyConfig, type NotifyConfig } from './notify-config.ts';

export { ConfigError } from './config-error.ts';
export {
  NOTIFY_TEMPLATE_VARIABLES,
  type NotifyConfig,
  type NotifyTemplateIds,
  type TemplateName,
} from './notify-config.ts';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export type MoodThresholds = {
  /** "At caseness": a total at or above this on either measure. */
  caseness: { phq9: number; gad7: number };
  /** A fall (or rise) of at least this much is larger than the measure's own week-to-week noise. */
  reliableChange: { phq9: number; gad7: number };
};

/**
 * NHS Talking Therapies thresholds: caseness at PHQ-9 10 or more or GAD-7 8 or more, reliable change a
 * fall or rise of 6 on PHQ-9 and 4 on GAD-7 (the Talking Therapies manual's values, as NHS Digital's
 * outcome measures use them). The mood rules (modules/mood/mood.ts) take
 * them as configuration all the same; they are defined here so that configuration depends on no module.
 */
export const DEFAULT_MOOD_THRESHOLDS: MoodThresholds = {
  caseness: { phq9: 10, gad7: 8 },
  reliableChange: { phq9: 6, gad7: 4 },
};

// Outside production a database outlives a start, so its two-factor secrets need a key that does too;
// this one is public, which is why production requires TWO_FACTOR_KEY.
const DEVELOPMENT_TWO_FACTOR_KEY = 'mortar-development-two-factor-key-not-secret';
// Anyone could sign tokens with this published key, so production never falls back to it.
const DEVELOPMENT_OAUTH_TOKEN_KEY = 'mortar-development-oauth-token-key-not-secret';

// Every variable the product reads is here, so that a bad value stops start-up with its name.
const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  // A streaming replica for read-heavy pages (docs/operations-replica.md); only beside DATABASE_URL.
  READ_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  REPLICA_LAG_NOTICE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  REPLICA_MAX_LAG_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  MORTAR_DATA_DIR: z.string().min(1).default('.data/pglite'),
  MORTAR_DEMO_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  MORTAR_LOAD_DEMO: bool.optional(),
  // Several instances: migrations run once, by `migrate` on deploy, and `serve` only checks them.
  MIGRATE_ON_START: bool.default(true),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(12),
  SESSION_MAX_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(24),
  // The address people reach Mortar at, for links in emails; never taken from a request's Host header.
  PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .transform((v) => v.replace(/\/+$/, ''))
    .optional(),
  COOKIE_SECURE: bool.optional(),
  COOKIE_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  // Seals two-factor secrets in the database (platform/secret-box.ts); changing it turns everyone's off.
  TWO_FACTOR_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  // Signs OAuth access tokens for the FHIR and referral APIs (platform/oauth-tokens.ts); unset in production: OAuth off.
  OAUTH_TOKEN_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  // Only a deployment that holds the Frutiger licence (NHS England's) has the files; without them pages use
  // Arial, as the design system documents, and ask for no font at all.
  FONTS_DIR: z
    .string()
    .trim()
    .min(1)
    .optional()
    .superRefine((dir, ctx) => {
      const missing = dir ? FONT_FILES.filter((f) => !existsSync(join(dir, f))) : [];
      if (missing.length) ctx.addIssue({ code: 'custom', message: `must hold ${missing.join(', ')}` });
    }),
  // Stopping (platform/shutdown.ts): how long requests in flight may take, and how long to stay up
  // answering 503 from /readyz before the listener closes, so a proxy notices first.
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(25_000),
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(120_000).default(0),
  // /metrics answers only this bearer token; unset, there is no /metrics (platform/metrics.ts).
  METRICS_TOKEN: z.string().trim().min(32, 'must be at least 32 characters').max(200).optional(),
  METRICS_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Webhook endpoints may be http and on local or private addresses (development and tests only).
  WEBHOOKS_ALLOW_PRIVATE_ADDRESSES: bool.optional(),
  // How long a webhook's receiver has to answer before the try counts as failed.
  WEBHOOK_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(30).default(10),
  MAX_FAILED_CONTACT_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
  // Wrong passwords slow sign-in down (src/platform/sign-in-throttle.ts); they never lock an account.
  SIGN_IN_FREE_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  SIGN_IN_BACKOFF_MAX_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  SIGN_IN_ACCOUNT_BACKOFF_MAX_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(300),
  SIGN_IN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((v, ctx): TrustProxy => {
      const parsed = parseTrustProxy(v);
      if (typeof parsed !== 'string') return parsed;
      ctx.addIssue({ code: 'custom', message: parsed });
      return z.NEVER;
    }),
  // The public self-referral form: stored referrals per address per window, and the promised reply time.
  SELF_REFERRAL_RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(5),
  SELF_REFERRAL_RATE_LIMIT_WINDOW_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(10),
  SELF_REFERRAL_CONTACT_WORKING_DAYS: z.coerce.number().int().min(1).max(20).default(3),
  // Messages to people (src/platform/notify.ts): logged, or sent through GOV.UK Notify or SMTP.
  NOTIFY_TRANSPORT: z.enum(['log', 'notify', 'smtp']).default('log'),
  NOTIFY_API_KEY: z
    .string()
    .trim()
    .regex(/-[0-9a-f-]{36}-[0-9a-f-]{36}$/, 'must be a GOV.UK Notify API key (name-serviceid-secret)')
    .optional(),
  NOTIFY_TEMPLATE_SELF_REFERRAL_EMAIL: z.uuid().optional(),
  NOTIFY_TEMPLATE_SELF_REFERRAL_SMS: z.uuid().optional(),
  NOTIFY_TEMPLATE_PASSWORD_RESET_EMAIL: z.uuid().optional(),
  NOTIFY_TEMPLATE_APPOINTMENT_REMINDER_EMAIL: z.uuid().optional(),
  NOTIFY_TEMPLATE_APPOINTMENT_REMINDER_SMS: z.uuid().optional(),
  NOTIFY_TEMPLATE_FOUR_WEEK_PROMPT_EMAIL: z.uuid().optional(),
  NOTIFY_TEMPLATE_FOUR_WEEK_PROMPT_SMS: z.uuid().optional(),
  NOTIFY_TEMPLATE_CHECK_IN_EMAIL: z.uuid().optional(),
  NOTIFY_TEMPLATE_CHECK_IN_SMS: z.uuid().optional(),
  NOTIFY_TEMPLATE_REFERRER_UPDATE_EMAIL: z.uuid().optional(),
  NOTIFY_TEMPLATE_SELF_REFERRAL_LINK_EMAIL: z.uuid().optional(),
  NOTIFY_TEMPLATE_SELF_REFERRAL_LINK_SMS: z.uuid().optional(),
  NOTIFY_TEMPLATE_WEBHOOK_DISABLED_EMAIL: z.uuid().optional(),
  // Notify's delivery receipts and replies to texts reach Mortar with this bearer token (docs/notify.md).
  NOTIFY_CALLBACK_TOKEN: z.string().trim().min(32).max(200).optional(),
  // Sends to Notify are paced under this many a minute (Notify's limit for a live key is 3,000).
  NOTIFY_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(3000).default(3000),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  SMTP_FROM: z.string().trim().min(3).max(200).optional(),
  // Letters and notes to clinicians by secure email (docs/letters.md): an NHSmail account's SMTP submission.
  LETTERS_SMTP_HOST: z.string().trim().min(1).max(253).optional(),
  LETTERS_SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  LETTERS_SMTP_USER: z.string().trim().min(1).max(254).optional(),
  LETTERS_SMTP_PASSWORD: z.string().min(1).max(1000).optional(),
  LETTERS_SMTP_FROM: z.email().max(254).optional(),
  LETTERS_SMTP_SECURITY: z.enum(['starttls', 'tls', 'none']).default('starttls'),
  LETTERS_SECURE_DOMAINS: z
    .string()
    .default('nhs.net')
    .transform((v, ctx) => {
      const domains = v
        .split(',')
        .map((d) => d.trim().toLowerCase())
        .filter(Boolean);
      const bad = domains.filter((d) => !isDomainName(d));
      if (!domains.length || bad.length)
        ctx.addIssue({
          code: 'custom',
          message: `must be domain names separated by commas (${bad.join(', ')})`,
        });
      return domains;
    }),
  // NHS Talking Therapies thresholds (docs/domain.md, PHQ-9 and GAD-7, still to be checked against the
  // manual): configuration, not code.
  MOOD_CASENESS_PHQ9: z.coerce.number().int().min(1).max(27).default(DEFAULT_MOOD_THRESHOLDS.caseness.phq9),
  MOOD_CASENESS_GAD7: z.coerce.number().int().min(1).max(21).default(DEFAULT_MOOD_THRESHOLDS.caseness.gad7),
  MOOD_RELIABLE_CHANGE_PHQ9: z.coerce
    .number()
    .int()
    .min(1)
    .max(27)
    .default(DEFAULT_MOOD_THRESHOLDS.reliableChange.phq9),
  MOOD_RELIABLE_CHANGE_GAD7: z.coerce
    .number()
    .int()
    .min(1)
    .max(21)
    .default(DEFAULT_MOOD_THRESHOLDS.reliableChange.gad7),
  // The service's own safety protocol for PHQ-9 item 9, as steps separated by "|"; unset: the default steps.
  MOOD_SAFETY_PROTOCOL: z
    .string()
    .trim()
    .max(4000)
    .optional()
    .transform((v) =>
      v
        ? v
            .split('|')
            .map((s) => s.trim())
            .filter(Boolean)
        : undefined,
    ),
});

/** What an adviser is asked to do, step by step, when PHQ-9 item 9 is answered above "Not at all". */
export const DEFAULT_SAFETY_PROTOCOL: readonly string[] = [
  'Ask them directly, today, whether they are having thoughts of suicide or of harming themselves.',
  'If they are at immediate risk, call 999 or help them get to A&E now.',
  'Otherwise, arrange urgent contact the same day with their GP, or with NHS 111 (choose option 2 for a mental health crisis).',
  'If they have an NHS Talking Therapies therapist, tell the therapist.',
  'Record below what you did and who you contacted.',
];

/** Variables that no longer exist: set, they stop start-up with what replaced them. */
const REPLACED: Record<string, string> = {
  SIGN_IN_MAX_FAILURES:
    'replaced by SIGN_IN_FREE_FAILURES: wrong passwords now slow sign-in down instead of locking the account',
  SIGN_IN_LOCKOUT_MINUTES:
    'replaced by SIGN_IN_BACKOFF_MAX_MINUTES and SIGN_IN_ACCOUNT_BACKOFF_MAX_SECONDS: accounts are no longer locked',
};

type EnvVars = z.infer<typeof EnvSchema>;
export type Config = {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  databaseUrl: string | undefined;
  /** Read-heavy pages read here when set (READ_DATABASE_URL); never without a server primary. */
  readReplica: ReadReplicaConfig | null;
  dataDir: string;
  demoPassword: string | undefined;
  /** Load demonstration data: by default on an empty embedded database, on a server only when asked; never in production. */
  loadDemo: boolean | undefined;
  /** `serve` applies migrations itself; false: it refuses to start while any is not applied. */
  migrateOnStart: boolean;
  /** How long a sign-in lasts without activity. */
  sessionTtlMs: number;
  /** How long a sign-in lasts at most, however active. */
  sessionMaxMs: number;
  /** The address people reach Mortar at, without a trailing slash (links in emails). */
  publicUrl: string;
  cookieSecure: boolean;
  cookieSecret: string | undefined;
  /** Seals two-factor secrets; a fixed, published key outside production unless set. */
  twoFactorKey: string;
  /** Webhooks to referring systems: may they reach private addresses (never in production), and their deadline. */
  webhooks: { allowPrivateAddresses: boolean; timeoutMs: number };
  /** Signs OAuth access tokens; null (OAuth off, API keys only) in production unless set. */
  oauthTokenKey: string | null;
  logLevel: string;
  /** The folder of the Frutiger web fonts Mortar serves at /static/fonts/, or null: no fonts, Arial. */
  fontsDir: string | null;
  /** Stopping: requests in flight get timeoutMs to finish, after drainMs answering 503 from /readyz. */
  shutdown: { timeoutMs: number; drainMs: number };
  /** /metrics: its bearer token (null: no /metrics), and how long counts of work waiting are reused. */
  metrics: { token: string | null; cacheMs: number };
  maxFailedContactAttempts: number;
  signInThrottle: { freeFailures: number; maxWaitMs: number; accountMaxWaitMs: number };
  rateLimitPerMinute: number;
  signInRateLimitPerMinute: number;
  trustProxy: TrustProxy;
  selfReferral: { rateLimitMax: number; rateLimitWindowMs: number; contactWorkingDays: number };
  notify: NotifyConfig;
  letters: LettersConfig;
  /** Caseness and reliable change thresholds for PHQ-9 and GAD-7. */
  moodThresholds: MoodThresholds;
  /** The steps of the service's safety protocol, shown when PHQ-9 item 9 needs a safety response. */
  safetyProtocol: readonly string[];
  /** Identity providers for single sign-on (SSO_PROVIDERS; docs/sso.md). */
  ssoProviders: readonly SsoProvider[];
};

/** The replica and its lag limits, in seconds (src/db/replica-rules.ts). */
export type ReadReplicaConfig = { url: string; noticeSeconds: number; maxSeconds: number };

/** Letters by secure email: the SMTP account they are sent through (null: not set up) and the secure domains. */
export type LettersConfig = {
  smtp: {
    host: string;
    port: number;
    /** STARTTLS required, TLS from the start, or neither (refused in production). */
    security: 'starttls' | 'tls' | 'none';
    auth: { user: string; pass: string } | null;
    from: string;
  } | null;
  secureDomains: readonly string[];
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  const replaced = Object.keys(REPLACED).filter((name) => env[name] !== undefined);
  if (!parsed.success || replaced.length) {
    const lines = [
      ...(parsed.error?.issues ?? []).map((i) => `  ${i.path.join('.')}: ${i.message}`),
      ...replaced.map((name) => `  ${name}: ${REPLACED[name]}`),
    ];
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  for (const name of ['COOKIE_SECRET', 'PUBLIC_URL', 'TWO_FACTOR_KEY'] as const) {
    if (e.NODE_ENV === 'production' && !e[name]) {
      throw new ConfigError(`Invalid configuration:\n  ${name}: required when NODE_ENV=production`);
    }
  }
  // Server-side request forgery: production never calls local or private addresses (platform/outbound-address.ts).
  if (e.NODE_ENV === 'production' && e.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES === true) {
    throw new ConfigError(
      'Invalid configuration:\n  WEBHOOKS_ALLOW_PRIVATE_ADDRESSES: webhooks never go to private addresses when NODE_ENV=production',
    );
  }
  // Demonstration accounts share a password printed at start-up: never in production.
  if (e.NODE_ENV === 'production' && e.MORTAR_LOAD_DEMO === true) {
    throw new ConfigError(
      'Invalid configuration:\n  MORTAR_LOAD_DEMO: demonstration data is never loaded when NODE_ENV=production',
    );
  }
  const readReplica = readReplicaConfig(e);
  const notify = notifyConfig(e);
  const letters = lettersConfig(e);
  const sso = ssoProvidersOf(env, e.NODE_ENV === 'production');
  if (sso.problems.length) throw new ConfigError(`Invalid configuration:\n  ${sso.problems.join('\n  ')}`);
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    readReplica,
    dataDir: e.MORTAR_DATA_DIR,
    demoPassword: e.MORTAR_DEMO_PASSWORD,
    loadDemo: e.NODE_ENV === 'production' ? false : e.MORTAR_LOAD_DEMO,
    migrateOnStart: e.MIGRATE_ON_START,
    sessionTtlMs: e.SESSION_TTL_HOURS * 3600_000,
    sessionMaxMs: e.SESSION_MAX_HOURS * 3600_000,
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    cookieSecure: e.COOKIE_SECURE ?? e.NODE_ENV === 'production',
    cookieSecret: e.COOKIE_SECRET,
    twoFactorKey: e.TWO_FACTOR_KEY ?? DEVELOPMENT_TWO_FACTOR_KEY,
    webhooks: {
      allowPrivateAddresses: e.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES ?? e.NODE_ENV !== 'production',
      timeoutMs: e.WEBHOOK_TIMEOUT_SECONDS * 1000,
    },
    oauthTokenKey: e.OAUTH_TOKEN_KEY ?? (e.NODE_ENV === 'production' ? null : DEVELOPMENT_OAUTH_TOKEN_KEY),
    logLevel: e.LOG_LEVEL,
    fontsDir: e.FONTS_DIR ?? null,
    shutdown: { timeoutMs: e.SHUTDOWN_TIMEOUT_MS, drainMs: e.SHUTDOWN_DRAIN_MS },
    metrics: { token: e.METRICS_TOKEN ?? null, cacheMs: e.METRICS_CACHE_SECONDS * 1000 },
    maxFailedContactAttempts: e.MAX_FAILED_CONTACT_ATTEMPTS,
    signInThrottle: {
      freeFailures: e.SIGN_IN_FREE_FAILURES,
      maxWaitMs: e.SIGN_IN_BACKOFF_MAX_MINUTES * 60_000,
      accountMaxWaitMs: e.SIGN_IN_ACCOUNT_BACKOFF_MAX_SECONDS * 1000,
    },
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    signInRateLimitPerMinute: e.SIGN_IN_RATE_LIMIT_PER_MINUTE,
    trustProxy: e.TRUST_PROXY,
    selfReferral: {
      rateLimitMax: e.SELF_REFERRAL_RATE_LIMIT_MAX,
      rateLimitWindowMs: e.SELF_REFERRAL_RATE_LIMIT_WINDOW_MINUTES * 60_000,
      contactWorkingDays: e.SELF_REFERRAL_CONTACT_WORKING_DAYS,
    },
    notify,
    letters,
    moodThresholds: {
      caseness: { phq9: e.MOOD_CASENESS_PHQ9, gad7: e.MOOD_CASENESS_GAD7 },
      reliableChange: { phq9: e.MOOD_RELIABLE_CHANGE_PHQ9, gad7: e.MOOD_RELIABLE_CHANGE_GAD7 },
    },
    safetyProtocol: e.MOOD_SAFETY_PROTOCOL ?? DEFAULT_SAFETY_PROTOCOL,
    ssoProviders: sso.providers,
  };
}

/** The replica, refused without a server primary: the embedded database has no replica to read from. */
function readReplicaConfig(e: EnvVars): ReadReplicaConfig | null {
  if (!e.READ_DATABASE_URL) return null;
  if (!e.DATABASE_URL)
    throw new ConfigError(
      'Invalid configuration:\n  READ_DATABASE_URL: needs DATABASE_URL (the embedded database has no replica)',
    );
  return {
    url: e.READ_DATABASE_URL,
    noticeSeconds: e.REPLICA_LAG_NOTICE_SECONDS,
    maxSeconds: e.REPLICA_MAX_LAG_SECONDS,
  };
}

/** The letters' SMTP account, checked whole: a half-configured account stops start-up with what is missing. */
function lettersConfig(e: EnvVars): LettersConfig {
  const fail = (name: string, why: string) => new ConfigError(`Invalid configuration:\n  ${name}: ${why}`);
  const secureDomains = e.LETTERS_SECURE_DOMAINS;
  if (!e.LETTERS_SMTP_HOST) {
    const set = (['LETTERS_SMTP_USER', 'LETTERS_SMTP_PASSWORD', 'LETTERS_SMTP_FROM'] as const).find(
      (n) => e[n],
    );
    if (set) throw fail('LETTERS_SMTP_HOST', `required when ${set} is set`);
    return { smtp: null, secureDomains };
  }
  if (!e.LETTERS_SMTP_FROM) throw fail('LETTERS_SMTP_FROM', 'required when LETTERS_SMTP_HOST is set');
  if (!e.LETTERS_SMTP_USER !== !e.LETTERS_SMTP_PASSWORD)
    throw fail('LETTERS_SMTP_PASSWORD', 'LETTERS_SMTP_USER and LETTERS_SMTP_PASSWORD are set together');
  // Letters hold health details: in production they never cross the network unencrypted.
  if (e.NODE_ENV === 'production' && e.LETTERS_SMTP_SECURITY === 'none')
    throw fail('LETTERS_SMTP_SECURITY', 'must be starttls or tls when NODE_ENV=production');
  return {
    smtp: {
      host: e.LETTERS_SMTP_HOST,
      port: e.LETTERS_SMTP_PORT,
      security: e.LETTERS_SMTP_SECURITY,
      auth:
        e.LETTERS_SMTP_USER && e.LETTERS_SMTP_PASSWORD
          ? { user: e.LETTERS_SMTP_USER, pass: e.LETTERS_SMTP_PASSWORD }
          : null,
      from: e.LETTERS_SMTP_FROM,
    },
    secureDomains,
  };
}
