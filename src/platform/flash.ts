import type { FastifyInstance, FastifyReply } from 'fastify';

// A one-time success message carried across a redirect (post, redirect, get) in a short-lived signed
// cookie, and shown by the layout's success banner on the next page (`flash` in reply.locals).
// app.ts registers the hook once for every page.

const FLASH_COOKIE = 'mortar_flash';
const MAX_LENGTH = 300;

declare module 'fastify' {
  interface FastifyReply {
    locals?: Record<string, unknown>;
  }
}

export function setFlash(reply: FastifyReply, message: string): void {
  reply.setCookie(FLASH_COOKIE, message.slice(0, MAX_LENGTH), {
    signed: true,
    httpOnly: true,
    sameSite: 'lax',
    secure: reply.request.protocol === 'https',
    path: '/',
    maxAge: 120,
  });
}

/** Moves a waiting message into the next page's context and forgets it. */
export function registerFlash(app: FastifyInstance): void {
  app.addHook('preHandler', async (request, reply) => {
    const raw = request.cookies?.[FLASH_COOKIE];
    if (raw === undefined || request.method !== 'GET') return;
    reply.clearCookie(FLASH_COOKIE, { path: '/' });
    const unsigned = request.unsignCookie(raw);
    if (!unsigned.valid || !unsigned.value) return;
    reply.locals = { ...reply.locals, flash: unsigned.value.slice(0, MAX_LENGTH) };
  });
}
