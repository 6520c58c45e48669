import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyCsrf from '@fastify/csrf-protection';

// Form protection: a secret in a signed cookie, and a token made from it in every form. The token is
// read from the form's body or from a header, never from the query string: a URL ends up in browser
// history, proxy logs and Referer headers, and a token there would be a token anyone could reuse.

const CSRF_COOKIE = 'mortar_csrf';

export async function registerCsrf(app: FastifyInstance, cookieSecure: boolean): Promise<void> {
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: CSRF_COOKIE,
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', secure: cookieSecure, path: '/' },
    getToken: (req) => {
      const body = req.body as Record<string, unknown> | undefined;
      const token = body?._csrf ?? req.headers['x-csrf-token'];
      return typeof token === 'string' ? token : '';
    },
  });

  // Every state-changing request from a browser carries the form's token; API calls use keys instead, and
  // other systems' callbacks their own bearer token (checked by the route).
  app.addHook('preHandler', (request, reply, done) => {
    const unsafe = request.method !== 'GET' && request.method !== 'HEAD' && request.method !== 'OPTIONS';
    const config = request.routeOptions.config;
    if (!unsafe || config?.access === 'api' || config?.callback) return done();
    app.csrfProtection(request, reply, done);
  });
}

/**
 * A new secret, set on this response. Called when someone signs in, so that a token someone else
 * obtained before (planted in the browser, or read from a page served before sign-in) is worthless.
 */
export function rotateCsrfSecret(request: FastifyRequest, reply: FastifyReply): void {
  delete request.cookies[CSRF_COOKIE];
  reply.generateCsrf();
}
