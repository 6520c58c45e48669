import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { setFlash } from '../../platform/flash.ts';
import type { FormErrors } from '../../platform/forms.ts';
import { markCheck, PASS_MARK, QUESTIONS } from './vba-check.ts';
import { CHECK, contentsItems, MODULE_PATH, PAGES } from './vba-pages.ts';
import { STAFF } from './vba-module.routes.ts';
import { latestResult, recordAttempt } from './vba-training.service.ts';

// The module's knowledge check: five questions on one form (works without JavaScript), marked by the
// pure rule in vba-check.ts. A question left out shows the error summary and keeps the other answers;
// a marked attempt is stored and the result page explains every answer. Retakes are always allowed.

type Deps = { db: Database };
const V = (name: string) => `vba-training/views/${name}.njk`;
const CHECK_PATH = `${MODULE_PATH}/${CHECK.slug}`;
const RESULT_PATH = `${MODULE_PATH}/result`;

function checkForm(reply: FastifyReply, values: Record<string, string>, errors?: FormErrors) {
  if (errors) reply.code(400);
  return reply.page(V('check'), {
    title: CHECK.title,
    contents: contentsItems(CHECK.slug),
    backHref: `${MODULE_PATH}/${PAGES.at(-1)!.slug}`,
    passMark: PASS_MARK,
    questions: QUESTIONS.map((q, i) => ({
      id: q.id,
      legend: `${i + 1}. ${q.text}`,
      items: q.options.map((o) => ({ value: o.value, text: o.text, checked: values[q.id] === o.value })),
      error: errors?.fields[q.id],
    })),
    errors,
  });
}

/** The answers as sent, kept as text so the form can show them again. */
const answersOf = (body: unknown): Record<string, string> => {
  const b = (body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    QUESTIONS.map((q) => [q.id, typeof b[q.id] === 'string' ? (b[q.id] as string) : '']),
  );
};

export function registerVbaCheckRoutes(app: FastifyInstance, { db }: Deps) {
  app.get(CHECK_PATH, { config: { access: STAFF } }, async (_request, reply) => checkForm(reply, {}));

  app.post(CHECK_PATH, { config: { access: STAFF } }, async (request, reply) => {
    const user = staffOf(request);
    const values = answersOf(request.body);
    const result = markCheck(values);
    if (result.kind === 'unanswered') {
      const list = result.missing.map((id) => {
        const n = QUESTIONS.findIndex((q) => q.id === id) + 1;
        return { id, text: `Select an answer to question ${n}`, href: `#${id}` };
      });
      const errors = {
        list: list.map(({ text, href }) => ({ text, href })),
        fields: Object.fromEntries(list.map(({ id, text }) => [id, { text }])),
      };
      return checkForm(reply, values, errors);
    }
    const { recordedAt } = await recordAttempt(db, user, result, app.clock.today(), request.id);
    if (recordedAt.length)
      setFlash(
        reply,
        `Your training has been recorded. It counts towards the trained staff of ${recordedAt.map((r) => r.partnerName).join(' and ')}.`,
      );
    return reply.redirect(RESULT_PATH, 303);
  });

  app.get(RESULT_PATH, { config: { access: STAFF } }, async (request, reply) => {
    const user = staffOf(request);
    const result = await latestResult(db, user);
    if (!result) return reply.redirect(CHECK_PATH, 303);
    return reply.page(V('result'), {
      title: result.passed ? 'You passed' : 'You did not pass this time',
      result,
      passMark: PASS_MARK,
      checkHref: CHECK_PATH,
      isReferrer: user.role === 'referrer',
    });
  });
}
