import type { FastifyInstance, FastifyReply } from 'fastify';
import { STATIC_PREFIXES } from './access.ts';

// What may be kept by a browser's history and cache, or a shared one. A page shown to someone signed in
// can hold a person's health record, and Back after signing out must not show it again; an API answer
// to a key holder can hold a person's details; the answer to a form shows back what was typed. None of
// these is stored. Public pages and the static assets keep whatever caching they set.

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** For a public page that nonetheless shows something of one person (a self-referral's confirmation). */
export const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

export function registerCachePolicy(app: FastifyInstance) {
  app.addHook('onSend', async (request, reply, payload) => {
    const route = request.routeOptions.url ?? '';
    if (STATIC_PREFIXES.some((p) => route.startsWith(p))) return payload;
    if (request.user || request.apiClient || !SAFE_METHODS.has(request.method)) noStore(reply);
    return payload;
  });
}
