import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../db/database-errors.ts';

/** An error whose status and words are safe to show: everything else becomes a plain 500. */
export class HttpError extends Error {
  readonly status: number;
  readonly title: string;
  readonly extra: Record<string, unknown> | undefined;
  constructor(status: number, title: string, message?: string, extra?: Record<string, unknown>) {
    super(message ?? title);
    this.status = status;
    this.title = title;
    this.extra = extra;
  }
}

export const notFound = (what = 'Page not found') => new HttpError(404, what);
export const forbidden = () =>
  new HttpError(403, 'You do not have access to this page', 'Your role does not allow this.');

export function wantsJson(request: FastifyRequest): boolean {
  // The JSON API and the FHIR API (which turns problem documents into OperationOutcomes) speak to programs.
  if (request.url.startsWith('/api/') || /^\/fhir(\/|\?|$)/.test(request.url)) return true;
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

/** RFC 9457 problem document. */
export function sendProblem(
  reply: FastifyReply,
  status: number,
  title: string,
  detail?: string,
  extra?: Record<string, unknown>,
) {
  return reply
    .code(status)
    .type('application/problem+json')
    .send({ type: 'about:blank', title, status, ...(detail ? { detail } : {}), ...extra });
}

const PAGE_TITLES: Record<number, string> = {
  400: 'Sorry, there is a problem with this request',
  401: 'You need to sign in',
  403: 'You do not have access to this page',
  404: 'Page not found',
  413: 'What you sent is too large',
  415: 'Sorry, there is a problem with this request',
  429: 'Too many requests',
  500: 'Sorry, there is a problem with the service',
  503: 'Sorry, the service is unavailable',
};

/** What a person is told while the database cannot be reached; the request can simply be tried again. */
export const DATABASE_UNAVAILABLE_DETAIL = 'Mortar cannot reach its database at the moment.';
/** Seconds a client is asked to wait before trying again while the database is unavailable. */
const RETRY_AFTER_SECONDS = 30;

async function sendErrorPage(request: FastifyRequest, reply: FastifyReply, status: number, detail?: string) {
  const title = PAGE_TITLES[status] ?? (status >= 500 ? PAGE_TITLES[500]! : PAGE_TITLES[400]!);
  reply.code(status);
  try {
    // Through page() so the header still shows who is signed in.
    return await reply.page('error.njk', { title, status, detail });
  } catch (err) {
    request.log.error({ err }, 'error page failed to render');
    return reply.type('text/plain').send(title);
  }
}

export function registerErrorHandling(app: FastifyInstance) {
  app.setNotFoundHandler(async (request, reply) => {
    if (wantsJson(request)) return sendProblem(reply, 404, 'Not found');
    return sendErrorPage(request, reply, 404);
  });

  app.setErrorHandler(async (error: FastifyError | HttpError, request, reply) => {
    let status: number;
    let title: string;
    let detail: string | undefined;
    let extra: Record<string, unknown> | undefined;
    if (error instanceof HttpError) {
      status = error.status;
      title = error.title;
      detail = error.message !== error.title ? error.message : undefined;
      extra = error.extra;
    } else if (isDatabaseUnavailable(error)) {
      // An outage, not a fault in Mortar: 503, so people and systems know to try again.
      status = 503;
      title = PAGE_TITLES[503]!;
      detail = DATABASE_UNAVAILABLE_DETAIL;
      reply.header('retry-after', String(RETRY_AFTER_SECONDS));
      request.log.warn(
        { err: { type: error.name, code: (error as { code?: unknown }).code, message: error.message } },
        'database unavailable',
      );
    } else if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      // Fastify's own client errors (bad JSON, wrong content type, body too large, CSRF, rate limit).
      status = error.statusCode;
      title = PAGE_TITLES[status] ?? 'Bad request';
      detail =
        error.code === 'FST_CSRF_INVALID_TOKEN' || error.code?.startsWith('FST_CSRF')
          ? 'The form has expired. Go back, refresh the page and try again.'
          : error.message;
    } else {
      status = 500;
      title = PAGE_TITLES[500]!;
      // Logged with the request id only: no body, no personal data.
      request.log.error(
        { err: { type: error.name, message: error.message, stack: error.stack } },
        'unhandled error',
      );
    }
    if (status >= 400 && status < 500)
      request.log.info({ status, code: (error as FastifyError).code }, title);
    if (wantsJson(request)) return sendProblem(reply, status, title, detail, extra);
    return sendErrorPage(request, reply, status, status < 500 || status === 503 ? detail : undefined);
  });
}
