import type { ColumnType, Generated } from 'kysely';
import type { Opt, Timestamp } from './columns.ts';

// Sign-in, sessions, rate limits, password resets, one-time form tokens and job runs (joined in ../schema.ts).

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  last_seen_at: Timestamp;
  /** The identity provider that made the session, and its ID token for signing out there (migration 0040). */
  sso_provider_id: Opt<string | null>;
  sso_id_token: Opt<string | null>;
}

/** A count of @fastify/rate-limit's, shared by every instance (migration 0014). */
export interface RateLimitCountersTable {
  key: string;
  hits: number;
  expires_at: Timestamp;
}

/** Wrong passwords for one key (an account, an address, or both), by its hash (migration 0014). */
export interface SignInThrottleTable {
  key: string;
  failures: Generated<number>;
  last_failure_at: Timestamp | null;
  forget_at: Timestamp;
}

/** A one-time link to reset a password; the token only as its hash (migration 0014). */
export interface PasswordResetsTable {
  id: Generated<string>;
  user_id: string;
  token_hash: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

/** A form's one-time token, claimed by the submission that made its record (migration 0019). */
export interface FormTokensTable {
  token_hash: string;
  form: string;
  user_id: string | null;
  location: string | null;
  /** What the first answer also gave the browser (a self-referral's confirmation), to give it again. */
  detail: string | null;
  used_at: ColumnType<Date, Date | undefined, Date>;
}

export interface JobRunsTable {
  id: Generated<number>;
  job: string;
  started_at: Timestamp;
  finished_at: Date | null;
  affected: number | null;
  error: string | null;
}

/** A member of staff's TOTP secret, sealed; enabled once a code confirmed it (migration 0036). */
export interface UserTwoFactorTable {
  user_id: string;
  secret_sealed: string;
  created_at: Timestamp;
  enabled_at: Timestamp | null;
  /** The 30-second step of the last code accepted: no code at or before it is accepted again. */
  last_time_step: ColumnType<string | null, number | string | null, number | string | null>;
}

/** A recovery code, only as its hash; used once (migration 0036). */
export interface TwoFactorRecoveryCodesTable {
  id: Generated<string>;
  user_id: string;
  code_hash: string;
  used_at: Timestamp | null;
}

/** A right password still owing its second step, by the hash of its cookie's token (migration 0036). */
export interface SignInChallengesTable {
  token_hash: string;
  user_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  /** A single sign-on still owing a code: its provider and ID token, for the session (migration 0040). */
  sso_provider_id: Opt<string | null>;
  sso_id_token: Opt<string | null>;
}
