// The page a message's one-time link opens, for the person, with no sign-in and no JavaScript: "How are
// things going?" for a check-in, and "Stop these messages" for any message. It is never kept by a browser
// (no-store): it belongs to whoever got the message. An unknown, expired or used link says so, with the
// service's number when the link is known, and nothing personal.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { noStore } from '../../platform/caching.ts';
import type { FormErrors } from '../../platform/forms.ts';
import {
  answerCheckIn,
  isAnswer,
  linkState,
  stopFromLink,
  type Answer,
  type LinkState,
  type Service,
} from './check-in.service.ts';

// Loading the composers registers them with the outbox: the links this page answers are made by them.
import { LINK_PATH } from './message-kinds.service.ts';

const PUBLIC = { access: 'public' } as const;
const VIEW = 'messages/views/check-in.njk';

type Shown =
  LinkState | { state: 'thanks'; answer: Answer; service: Service } | { state: 'stopped'; service: Service };

const TITLES: Record<Shown['state'], string> = {
  unknown: 'This link does not work',
  expired: 'This link has expired',
  answered: 'You have already answered',
  open: 'How are things going?',
  thanks: 'Thank you for letting us know',
  stopped: 'You will not get any more messages',
};

const tokenOf = (request: FastifyRequest) => (request.params as { token: string }).token;

function show(reply: FastifyReply, shown: Shown, token: string, errors?: FormErrors) {
  noStore(reply);
  reply.header('x-robots-tag', 'noindex');
  if (shown.state === 'unknown') reply.code(404);
  else if (shown.state === 'expired') reply.code(410);
  return reply.page(VIEW, {
    title: shown.state === 'open' && !shown.checkIn ? 'Stop these messages' : TITLES[shown.state],
    shown,
    action: `${LINK_PATH}${encodeURIComponent(token)}`,
    errors,
  });
}

export function registerCheckInRoutes(app: FastifyInstance, { db }: { db: Database }) {
  app.get(`${LINK_PATH}:token`, { config: PUBLIC }, async (request, reply) => {
    const token = tokenOf(request);
    return show(reply, await linkState(db, token, app.clock.now()), token);
  });

  app.post(`${LINK_PATH}:token`, { config: PUBLIC }, async (request, reply) => {
    const token = tokenOf(request);
    const answer = ((request.body ?? {}) as Record<string, unknown>).answer;
    if (!isAnswer(answer)) {
      const state = await linkState(db, token, app.clock.now());
      if (state.state !== 'open' || !state.checkIn) return show(reply, state, token);
      return show(reply.code(400), state, token, {
        list: [{ text: 'Select how things are going', href: '#answer' }],
        fields: { answer: { text: 'Select how things are going' } },
      });
    }
    return show(reply, await answerCheckIn(db, token, answer, app.clock.now()), token);
  });

  app.post(`${LINK_PATH}:token/stop`, { config: PUBLIC }, async (request, reply) => {
    const token = tokenOf(request);
    return show(reply, await stopFromLink(db, token, app.clock.now()), token);
  });
}
