// Whether an error means "the database cannot be reached just now" (so the answer is 503 and the
// request can be tried again), as opposed to a fault in Mortar (500). Drivers report an outage in many
// shapes: a socket error, a PostgreSQL SQLSTATE, or only a message, sometimes wrapped in another error.

/** Socket errors while connecting to, or talking with, the server. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** SQLSTATEs outside class 08 that mean the server is going away, starting or full. */
const SERVER_CODES = new Set([
  '57P01', // admin_shutdown: server stopped, or pg_terminate_backend
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up, or in recovery
  '57P05', // idle_session_timeout
  '53300', // too_many_connections
]);

/** Errors pg, pg-pool, Kysely and PGlite raise with no code. */
const MESSAGES = [
  /^Connection terminated( unexpectedly| due to connection timeout)?$/,
  /^timeout exceeded when trying to connect$/,
  /^Client has encountered a connection error and is not queryable$/,
  /^Client was closed and is not queryable$/,
  /^Cannot use a pool after calling end on the pool$/,
  /^driver has already been destroyed$/,
  /^PGlite is clos(ed|ing)$/,
];

export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!(err instanceof Error) || depth > 5) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || SERVER_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
  }
  if (MESSAGES.some((m) => m.test(err.message))) return true;
  // A refused connection to a name with several addresses is an AggregateError of one per address.
  if (err instanceof AggregateError && err.errors.some((e) => isDatabaseUnavailable(e, depth + 1)))
    return true;
  return err.cause !== undefined && isDatabaseUnavailable(err.cause, depth + 1);
}
