import type { FastifyInstance } from 'fastify';
import fastifyCompress from '@fastify/compress';
import { COMPRESS_THRESHOLD } from './assets.ts';

// Pages, problem documents, CSV and JSON go compressed when the browser asks (brotli, else gzip), from
// COMPRESS_THRESHOLD up; static files are compressed once and kept by the asset routes instead. Only text
// is compressed (the plugin's default types, which leave out text/event-stream): PDFs, PNGs and fonts are
// compressed already. Register before any route: the plugin attaches itself to routes as they are added.
//
// BREACH (a network attacker who can make the browser send requests learns a secret in a compressed,
// encrypted page from its length, when the page also shows text the attacker chose):
// - the form token in every page is @fastify/csrf's salt plus a hash of the secret with that salt, a new
//   salt each time it is made, so no two pages carry the same token and there is nothing stable to
//   recover; the secret itself is only in a cookie, and headers are not compressed by this;
// - session cookies are never in a body;
// - a secret shown once (a new API key, webhook secret, recovery codes) is in one response only; the
//   two-factor set-up page shows the same secret on every load until it is confirmed, so its routes turn
//   compression off (`compress: false`).
export async function registerCompression(app: FastifyInstance): Promise<void> {
  await app.register(fastifyCompress, {
    encodings: ['br', 'gzip'],
    threshold: COMPRESS_THRESHOLD,
    // Quality 4 is the plugin's default for answers made per request: nearly gzip's speed, smaller.
    // Request bodies are not inflated: a small compressed body could otherwise unpack past bodyLimit.
    globalDecompression: false,
  });
  // The plugin says Vary only when it compresses; a shared cache that kept a page sent whole to a client
  // that did not ask would then give everyone the whole page. Said for every text answer instead.
  app.addHook('onSend', async (_request, reply, payload) => {
    const type = String(reply.getHeader('content-type') ?? '');
    const vary = String(reply.getHeader('vary') ?? '');
    if (TEXT.test(type) && !/accept-encoding/i.test(vary))
      reply.header('vary', vary ? `${vary}, accept-encoding` : 'accept-encoding');
    return payload;
  });
}

const TEXT = /^text\/(?!event-stream)|[+/](?:json|xml|text)(?:;|$)/;
