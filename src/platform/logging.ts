import type { FastifyRequest } from 'fastify';

// Structured JSON logs. Query strings are dropped and credentials redacted, so a log line never holds a
// person's details or a secret.
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
        return { id: req.id, method: req.method, path: req.url.split('?')[0], ip: req.ip };
      },
    },
  };
}
