import type { FastifyReply } from 'fastify';
import { sendProblem } from '../../platform/errors.ts';
import type { Invalid } from './directory-api-query.ts';

// What every open directory API route answers with: open to any origin, JSON or a problem document.

export const PUBLIC = { access: 'public' } as const;

/** Open to every origin: the data is public and the routes take no credentials. */
export function openCors(reply: FastifyReply) {
  reply.header('Access-Control-Allow-Origin', '*');
  reply.header('Cross-Origin-Resource-Policy', 'cross-origin');
  reply.header('Cache-Control', 'public, max-age=60');
}

export const sendJson = (reply: FastifyReply, body: unknown) => reply.type('application/json').send(body);

export const badRequest = (reply: FastifyReply, invalid: Invalid[], detail?: string) =>
  sendProblem(
    reply,
    400,
    'Invalid query parameter',
    detail ?? invalid.map((b) => `${b.name} ${b.reason}`).join('; '),
    { invalid_params: invalid },
  );

export const notFound = (reply: FastifyReply, what: string) =>
  sendProblem(reply, 404, `${what} not found`, `No published ${what.toLowerCase()} has this id.`);
