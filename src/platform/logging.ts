import Fastify, { type FastifyBaseLogger, type FastifyRequest } from 'fastify';

// Structured JSON logs. Query strings are dropped and credentials redacted, so a log line never holds a
// person's details or a secret; so is the token of a message's one-time link (/m/:token), which answers for
// the person who got it.
export function loggerOptions(level: string) {
  return {
    level,
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'req.headers["x-api-key"]',
        'res.headers["set-cookie"]',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req(req: FastifyRequest) {
        const path = req.url.split('?')[0]!.replace(/^\/m\/[^/]+/, '/m/[token]');
        return { id: req.id, method: req.method, path, ip: req.ip };
      },
    },
  };
}

/**
 * The logger `serve` makes before the app, so that its start-up (migrations, demonstration data, where to
 * open Mortar) is written as JSON lines like everything after, and the app then logs through the same one.
 * pino is Fastify's own: a Fastify instance that never listens makes it with Fastify's defaults.
 */
export function createLogger(level: string): FastifyBaseLogger {
  return Fastify({ logger: loggerOptions(level) }).log;
}
