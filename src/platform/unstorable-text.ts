import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError, wantsJson } from './errors.ts';

// PostgreSQL cannot store the NUL character (U+0000), and half of a surrogate pair is not a character at
// all: text holding either failed deep inside a handler (a 500, sometimes after part of a change was
// saved). One hook refuses it before any handler runs, wherever it is: the body, the query or the path.
// An API caller gets a 400 problem document naming the fields; a form is shown again as a page that
// keeps everything that was typed, with those characters taken out and the fields marked, to check and
// send again.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** True when text holds a NUL or half of a surrogate pair. */
export const isUnstorable = (s: string): boolean => s.includes('\u0000') || !s.isWellFormed();

/** The text with every NUL and unpaired surrogate taken out. */
export const withoutUnstorable = (s: string): string =>
  s.replaceAll('\u0000', '').replace(LONE_SURROGATE, '');

type Step = { v: unknown; key: string | null; parent: Step | null };

const pathOf = (step: Step): string[] => {
  const path: string[] = [];
  for (let s: Step | null = step; s?.key != null; s = s.parent) path.push(s.key);
  return path.reverse();
};

/**
 * The paths of every string (and object key) in a parsed body, query or set of path parameters that
 * cannot be stored, in the order they were written. Walked with a stack of its own, each step pointing
 * at its parent, so deeply nested JSON cannot exhaust the call stack or copy long paths.
 */
export function unstorablePaths(value: unknown): string[][] {
  const found: string[][] = [];
  const stack: Step[] = [{ v: value, key: null, parent: null }];
  while (stack.length) {
    const step = stack.pop()!;
    const { v } = step;
    if (typeof v === 'string') {
      if (isUnstorable(v)) found.push(pathOf(step));
    } else if (v !== null && typeof v === 'object') {
      const entries = Array.isArray(v) ? v.map((item, i) => [String(i), item] as const) : Object.entries(v);
      // Last to first, so they come off the stack in order. A key that cannot be stored is reported in
      // its place (as if its value were such text); what is under it does not matter.
      for (const [k, item] of entries.reverse()) {
        const bad = isUnstorable(k);
        stack.push({ v: bad ? '\u0000' : item, key: bad ? withoutUnstorable(k) : k, parent: step });
      }
    }
  }
  return found;
}

const MESSAGE = 'must not contain the NUL character (U+0000) or half of a surrogate pair';

/** "givenName" -> "Given name", "dateOfBirth-day" -> "Date of birth day": a field's name in words. */
export function fieldWords(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_.[\]]+/g, ' ')
    .trim()
    .toLowerCase();
  return words ? `${words[0]!.toUpperCase()}${words.slice(1)}` : 'A field';
}

// Passwords are never written back into a page; the form's own checks then ask for them again.
const NOT_SHOWN = /password|^_csrf$/i;

type CheckField = { name: string; value: string; id?: string; label?: string; message?: string };

/** The form's fields for the page that shows it again: the ones to check, and the rest kept hidden. */
export function fieldsToCheck(body: Record<string, unknown>): { check: CheckField[]; keep: CheckField[] } {
  const check: CheckField[] = [];
  const keep: CheckField[] = [];
  for (const [name, raw] of Object.entries(body)) {
    if (NOT_SHOWN.test(name)) continue;
    for (const value of [raw].flat()) {
      if (typeof value !== 'string') continue;
      if (!isUnstorable(value)) {
        keep.push({ name, value });
        continue;
      }
      const id = `check-${check.length + 1}`;
      const label = fieldWords(name);
      const message = `${label} had a character that cannot be saved. We have taken it out: check it and send the form again`;
      check.push({ name, value: withoutUnstorable(value), id, label, message });
    }
  }
  return { check, keep };
}

const isJsonBody = (request: FastifyRequest) =>
  String(request.headers['content-type'] ?? '').includes('json');

function checkPage(request: FastifyRequest, reply: FastifyReply, body: Record<string, unknown>) {
  const { check, keep } = fieldsToCheck(body);
  return reply.code(400).page('check-input.njk', {
    title: 'Check what you entered',
    action: request.url,
    check,
    keep,
    errors: {
      list: check.map((f) => ({ text: f.message, href: `#${f.id}` })),
      fields: {},
    },
  });
}

export function registerUnstorableTextGuard(app: FastifyInstance) {
  // A preHandler, registered after the CSRF check: the page that shows a form again carries a fresh
  // token, so it must only ever answer a form this site showed.
  app.addHook('preHandler', async (request, reply) => {
    const where = [
      ...unstorablePaths(request.params).map((p) => ['(path)', ...p]),
      ...unstorablePaths(request.query).map((p) => ['(query)', ...p]),
      ...unstorablePaths(request.body),
    ];
    if (!where.length) return;
    // How many, never what: the text is the person's.
    request.log.info({ unstorableFields: where.length }, 'refused text that cannot be stored');
    const body = request.body;
    const formPost =
      !wantsJson(request) &&
      !isJsonBody(request) &&
      where.every((p) => p[0] !== '(path)' && p[0] !== '(query)' && p.length <= 2) &&
      unstorablePaths(Object.keys(body ?? {})).length === 0 &&
      typeof body === 'object' &&
      body !== null &&
      !Array.isArray(body);
    if (formPost) return checkPage(request, reply, body as Record<string, unknown>);
    const forProgram = wantsJson(request) || isJsonBody(request);
    throw new HttpError(
      400,
      'Your request has errors',
      forProgram
        ? `Text ${MESSAGE}.`
        : 'What you sent has a character that cannot be saved. Go back, check what you entered and try again.',
      { errors: where.map((p) => ({ path: p.join('.') || '(body)', message: `Text ${MESSAGE}` })) },
    );
  });
}
