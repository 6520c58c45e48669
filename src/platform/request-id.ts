import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { trustsPeer, type TrustProxy } from './trust-proxy.ts';

// Each request's id names it in the logs and the audit trail. Behind a proxy Mortar trusts, the proxy's
// X-Request-Id is used, so one id follows a request from the proxy's log to Mortar's; from anyone else
// the header could be anything (a forged id in the audit trail, or text that breaks a log line), so an
// id is made here. Either way it is sent back in X-Request-Id.

export const REQUEST_ID_HEADER = 'x-request-id';

/** Short, and only characters that need no quoting in a log line or a header (nginx's are 32 hex). */
const SAFE_ID = /^[A-Za-z0-9._:-]{8,64}$/;

export const newRequestId = (): string => randomBytes(8).toString('hex');

/** The proxy's id when it is trusted and its id is safe; otherwise a new one. Pure but for the new id. */
export function chooseRequestId(header: string | string[] | undefined, trusted: boolean): string {
  return trusted && typeof header === 'string' && SAFE_ID.test(header) ? header : newRequestId();
}

/** Fastify's genReqId: called before routing, with the raw request. */
export function requestIdGenerator(trust: TrustProxy): (req: IncomingMessage) => string {
  const trusted = trustsPeer(trust);
  return (req) => chooseRequestId(req.headers[REQUEST_ID_HEADER], trusted(req.socket.remoteAddress));
}

/** Every answer carries its request's id, so a person reporting a problem can quote it. */
export function registerRequestIdHeader(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
}
