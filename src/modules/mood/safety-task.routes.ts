// The safety task PHQ-9 item 9 raises: what to do, and recording what was done. Every route is for the
// service's own staff, finds the episode within their service (404 otherwise) and is audited.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { HttpError } from '../../platform/errors.ts';
import { formErrors, type FormErrors } from '../../platform/forms.ts';
import { setFlash } from '../../platform/flash.ts';
import { formatDate } from '../../platform/dates.ts';
import { ANSWER_OPTIONS } from './mood.ts';
import { SafetyCompletionSchema } from './mood.schemas.ts';
import { serviceEpisode } from './mood.service.ts';
import { completeSafetyTask, viewSafetyTask } from './safety.service.ts';

const SERVICE = ['adviser', 'service_manager'] as const;

type Deps = { db: Database; config: Config };
type Params = { id: string; taskId?: string };

/** The task's page, with the completion form blank or as typed with its errors. */
async function safetyTaskPage(
  { db, config }: Deps,
  request: FastifyRequest,
  reply: FastifyReply,
  values: Record<string, unknown> = {},
  errors?: FormErrors,
) {
  const user = staffOf(request);
  const { id, taskId } = request.params as Params;
  const task = await viewSafetyTask(db, user, id, taskId ?? '', request.id);
  const episode = await serviceEpisode(db, user, id);
  return reply.page('mood/views/safety-task.njk', {
    title: `Safety response: ${episode.given_name} ${episode.family_name}`,
    backHref: `/episodes/${episode.id}`,
    episode,
    task: {
      ...task,
      measureTakenOn: task.measure_taken_on ? formatDate(task.measure_taken_on) : null,
      item9Answer: ANSWER_OPTIONS.find((o) => o.value === task.measure_items?.[8])?.label ?? null,
      actionTaken: (task.action_taken ?? '').split(/\n{2,}/).filter(Boolean),
    },
    protocol: config.safetyProtocol,
    values,
    errors,
  });
}

export function registerSafetyTaskRoutes(app: FastifyInstance, deps: Deps) {
  const { db } = deps;

  app.get('/episodes/:id/safety-tasks/:taskId', { config: { access: SERVICE } }, (request, reply) =>
    safetyTaskPage(deps, request, reply),
  );

  app.post(
    '/episodes/:id/safety-tasks/:taskId/complete',
    { config: { access: SERVICE } },
    async (request, reply) => {
      const user = staffOf(request);
      const { id, taskId } = request.params as Params;
      const body = (request.body ?? {}) as Record<string, unknown>;
      // Kept whole (not cut to formValues' length), so a too-long answer comes back as typed to be shortened.
      const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, 20_000) : '');
      const values = { actionTaken: text(body.actionTaken), contacted: text(body.contacted) };
      const parsed = SafetyCompletionSchema.safeParse(body);
      if (!parsed.success)
        return safetyTaskPage(deps, request, reply.code(400), values, formErrors(parsed.error));
      try {
        await completeSafetyTask(db, user, id, taskId ?? '', parsed.data, request.id);
      } catch (err) {
        if (err instanceof HttpError && err.status === 409) {
          return safetyTaskPage(deps, request, reply.code(409), values, {
            list: [{ text: `${err.title}. ${err.message}`, href: '#actionTaken' }],
            fields: {},
          });
        }
        throw err;
      }
      setFlash(reply, 'Safety response recorded.');
      return reply.redirect(`/episodes/${id}#safety-history`, 303);
    },
  );
}
