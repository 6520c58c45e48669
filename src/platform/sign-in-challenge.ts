import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { challengedUser, createChallenge, endChallenge, type ChallengedUser } from './two-factor.service.ts';
import type { SecondStep } from './two-factor.ts';
import type { SsoSession } from './sessions.ts';

// Between a right password and the second step there is no session: only this short-lived cookie, good
// for the second-step pages alone (its path), naming a sign_in_challenges row.

export const CHALLENGE_COOKIE = 'mortar_sign_in';
const PATH = '/sign-in';

export const SECOND_STEP_PATHS = { code: '/sign-in/code', 'set-up': '/sign-in/set-up' } as const;

/** Sends someone whose password was right on to the step they owe, with where they were going. */
export async function startChallenge(
  reply: FastifyReply,
  db: Database,
  config: Config,
  userId: string,
  step: Exclude<SecondStep, 'none'>,
  returnTo: string,
  now: Date,
  sso?: SsoSession,
): Promise<FastifyReply> {
  const token = await createChallenge(db, userId, now, sso);
  reply.setCookie(CHALLENGE_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.cookieSecure,
    path: PATH,
    maxAge: 600,
  });
  return reply.redirect(`${SECOND_STEP_PATHS[step]}?returnTo=${encodeURIComponent(returnTo)}`, 303);
}

/** The account whose second step this browser is on, or null (no cookie, or it has ended). */
export async function challengeOf(
  db: Database,
  request: FastifyRequest,
  now: Date,
): Promise<ChallengedUser | null> {
  const token = request.cookies[CHALLENGE_COOKIE];
  return token ? challengedUser(db, token, now) : null;
}

export async function finishChallenge(db: Database, request: FastifyRequest, reply: FastifyReply) {
  const token = request.cookies[CHALLENGE_COOKIE];
  if (token) await endChallenge(db, token);
  reply.clearCookie(CHALLENGE_COOKIE, { path: PATH });
}
