// GOV.UK Notify calls Mortar back: a delivery receipt for each message sent, and each text a person
// sends to the service's inbound number. Both carry the bearer token set in Notify
// (NOTIFY_CALLBACK_TOKEN); without it set, both are refused. The answer is 204 whatever Mortar makes of
// a receipt (one for a message it no longer knows is not an error: Notify would only send it again).
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { sendProblem } from './errors.ts';
import { recordReceipt } from './outbox-receipts.ts';

const Receipt = z.object({
  id: z.string().min(1).max(100),
  reference: z.string().max(100).nullish(),
  status: z.string().min(1).max(40),
  notification_type: z.enum(['sms', 'email', 'letter']).optional(),
});

// Notify's received text: the words are in `message`.
const InboundText = z.object({
  source_number: z.string().min(5).max(30),
  message: z.string().max(2000),
});

/** The words a person can reply to stop messages, as carriers and Notify understand them. */
export const STOP_WORDS = /^\s*(stop|stopall|unsubscribe|cancel|end|quit)\b/i;

export type InboundDeps = {
  db: Database;
  config: Config;
  /** Stops messages to everyone with this number; returns how many people that was. */
  stopMessagesForPhone: (db: Database, phone: string, now: Date) => Promise<number>;
};

const refuse = (reply: FastifyReply) =>
  sendProblem(reply, 401, 'Not authorised', 'A Notify callback needs the bearer token set in Notify.');

function authorised(request: FastifyRequest, token: string | undefined): boolean {
  const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
  if (!token || !given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function registerNotifyCallbackRoutes(app: FastifyInstance, deps: InboundDeps) {
  const config = { access: 'public' as const, sessionless: true, callback: true };

  app.post('/notify/receipts', { config }, async (request, reply) => {
    if (!authorised(request, deps.config.notify.callbackToken)) return refuse(reply);
    const body = Receipt.safeParse(request.body);
    if (!body.success)
      return sendProblem(reply, 400, 'Not a delivery receipt', 'The body is not a Notify delivery receipt.');
    const outcome = await recordReceipt(deps.db, body.data, app.clock.now());
    request.log.info({ receipt: { status: body.data.status, outcome } }, 'delivery receipt');
    return reply.code(204).send();
  });

  app.post('/notify/inbound', { config }, async (request, reply) => {
    if (!authorised(request, deps.config.notify.callbackToken)) return refuse(reply);
    const body = InboundText.safeParse(request.body);
    if (!body.success)
      return sendProblem(reply, 400, 'Not a text message', 'The body is not a Notify received text message.');
    // Only a request to stop is acted on; the words of any other reply are not kept or logged.
    const stopped = STOP_WORDS.test(body.data.message)
      ? await deps.stopMessagesForPhone(deps.db, body.data.source_number, app.clock.now())
      : 0;
    request.log.info(
      { inbound: { stop: STOP_WORDS.test(body.data.message), people: stopped } },
      'text received',
    );
    return reply.code(204).send();
  });
}
