import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { preferredEncodings, type AssetTable } from './assets.ts';

// The files in the asset table (assets.ts), from memory. A fingerprinted URL names its content, so it is
// kept for a year and never checked again; a plain URL (a page cached before a release) is kept for ten
// minutes, then checked against its ETag.
export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const SHORT = 'public, max-age=600';

export function registerAssetRoutes(app: FastifyInstance, table: AssetTable): void {
  const options = {
    // No session is looked up for a file, and files are not counted against the address's request
    // limit: one page is several files, and many staff can share one address behind a trust's proxy.
    config: { access: 'public', sessionless: true, rateLimit: false },
    // Compressed once and kept (assets.ts), not again on every request.
    compress: false,
  } as const;
  const serve = (request: FastifyRequest, reply: FastifyReply) => serveAsset(table, request, reply);
  app.get('/static/*', options, serve);
  app.get('/assets/*', options, serve);
}

async function serveAsset(table: AssetTable, request: FastifyRequest, reply: FastifyReply) {
  const found = table.lookup(request.url.split('?')[0] ?? '');
  if (!found) return reply.callNotFound();
  const { asset, fingerprinted } = found;
  const etag = `W/"${asset.hash}"`;
  reply
    .type(asset.type)
    .header('cache-control', fingerprinted ? IMMUTABLE : SHORT)
    .header('etag', etag);
  if (asset.compressible) reply.header('vary', 'Accept-Encoding');
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch?.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*'))
    return reply.code(304).send();
  for (const encoding of preferredEncodings(request.headers['accept-encoding'])) {
    const body = await asset.encoded(encoding);
    if (body) return reply.header('content-encoding', encoding).send(body);
  }
  return reply.send(asset.body);
}
