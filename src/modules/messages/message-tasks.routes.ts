// A task from a message, on a page of its own: what it is, what to do, and marking it done with a note.
// The service's advisers and managers only, within their service; audited.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { HttpError } from '../../platform/errors.ts';
import { setFlash } from '../../platform/flash.ts';
import type { FormErrors } from '../../platform/forms.ts';
import { completeTask, viewTask } from './message-tasks.service.ts';

const config = { access: ['adviser', 'service_manager'] as const };
const NOTE_MAX = 1000;
type Params = { id: string; taskId: string };

async function taskPage(
  db: Database,
  request: FastifyRequest,
  reply: FastifyReply,
  note = '',
  errors?: FormErrors,
) {
  const { id, taskId } = request.params as Params;
  const { episode, task } = await viewTask(db, staffOf(request), id, taskId, request.id);
  return reply.page('messages/views/message-task.njk', {
    title: `${task.label}: ${episode.given_name} ${episode.family_name}`,
    backHref: `/episodes/${episode.id}`,
    episode,
    task,
    values: { note },
    errors,
  });
}

const noteError = (text: string): FormErrors => ({
  list: [{ text, href: '#note' }],
  fields: { note: { text } },
});

export function registerMessageTaskRoutes(app: FastifyInstance, { db }: { db: Database }) {
  app.get('/episodes/:id/message-tasks/:taskId', { config }, (request, reply) =>
    taskPage(db, request, reply),
  );

  app.post('/episodes/:id/message-tasks/:taskId/done', { config }, async (request, reply) => {
    const { id, taskId } = request.params as Params;
    const raw = ((request.body ?? {}) as Record<string, unknown>).note;
    // Kept whole (up to a limit well past the maximum), so a too-long note comes back to be shortened.
    const note = typeof raw === 'string' ? raw.slice(0, 20_000).trim() : '';
    if (note === '') return taskPage(db, request, reply.code(400), note, noteError('Enter what you did'));
    if (note.length > NOTE_MAX)
      return taskPage(
        db,
        request,
        reply.code(400),
        note,
        noteError(`The note must be ${NOTE_MAX} characters or fewer`),
      );
    try {
      await completeTask(db, staffOf(request), id, taskId, note, app.clock.now(), request.id);
    } catch (err) {
      if (!(err instanceof HttpError) || err.status !== 409) throw err;
      return taskPage(db, request, reply.code(409), note, noteError(err.message));
    }
    setFlash(reply, 'Task done.');
    return reply.redirect(`/episodes/${id}#message-tasks`, 303);
  });
}
