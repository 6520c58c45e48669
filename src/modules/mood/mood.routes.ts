// Mood questionnaires (PHQ-9, GAD-7) and the safety tasks PHQ-9 item 9 raises. Every route is for the
// service's own staff, finds the episode within their service (404 otherwise) and is audited.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import { HttpError, notFound } from '../../platform/errors.ts';
import { formErrors, type FormErrors } from '../../platform/forms.ts';
import type { StaffUser } from '../../platform/roles.ts';
import { serviceScope } from '../../platform/scope.ts';
import { setFlash } from '../../platform/flash.ts';
import { formValues } from '../referrals/referral-form.ts';
import { formatDate } from '../../platform/dates.ts';
import { findEpisode } from '../episodes/episode.service.ts';
import { ANSWER_OPTIONS, needsSafetyResponse, SAFETY_RESPONSE_PROMPT } from './mood.ts';
import * as repo from './mood.repository.ts';
import {
  answerRadios,
  answersOf,
  bandLabel,
  instrumentOf,
  INSTRUMENT_INFO,
  itemField,
  readMoodForm,
  SafetyCompletionSchema,
  type Instrument,
} from './mood.schemas.ts';
import { recordMood } from './mood.service.ts';
import { completeSafetyTask, raiseSafetyTaskForUnsavedAnswers, viewSafetyTask } from './safety.service.ts';

const SERVICE = ['adviser', 'service_manager'] as const;

const SESSION_KIND_LABELS: Record<string, string> = {
  pre_quit_assessment: 'Pre-quit assessment',
  quit_date: 'Quit date',
  week_1: 'One week after the quit date',
  week_2: 'Two weeks after the quit date',
  week_3: 'Three weeks after the quit date',
  four_week_follow_up: 'Four-week follow-up',
  extra: 'Extra session',
  twelve_week_follow_up: '12-week follow-up',
  fifty_two_week_follow_up: '52-week follow-up',
};

type Deps = { db: Database; config: Config };
type Params = { id: string; taskId?: string };

async function episodeFor(db: Database, user: StaffUser, id: string) {
  const episode = await findEpisode(db, serviceScope(user), id);
  if (!episode) throw notFound('Episode not found');
  return episode;
}

/** The instrument asked for; none means PHQ-9, anything unknown is a page that does not exist. */
function instrumentFrom(request: FastifyRequest): Instrument {
  const q = (request.query ?? {}) as Record<string, unknown>;
  const body = (request.body ?? {}) as Record<string, unknown>;
  const asked = q.instrument ?? body.instrument;
  if (asked === undefined || asked === '') return 'phq9';
  const instrument = instrumentOf(asked);
  if (!instrument) throw notFound();
  return instrument;
}

export function registerMoodRoutes(app: FastifyInstance, deps: Deps) {
  const { db, config } = deps;

  const showMoodForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    instrument: Instrument,
    values: Record<string, unknown>,
    errors?: FormErrors,
    safetyRaised = false,
  ) => {
    const user = staffOf(request);
    const episode = await episodeFor(db, user, (request.params as Params).id);
    const sessions = await repo.sessionsOfEpisode(db, episode.id);
    await audit(
      db,
      user,
      {
        action: 'view',
        entityType: 'episode',
        entityId: episode.id,
        detail: `${INSTRUMENT_INFO[instrument].name} form`,
      },
      request.id,
    );
    const info = INSTRUMENT_INFO[instrument];
    const other: Instrument = instrument === 'phq9' ? 'gad7' : 'phq9';
    return reply.page('mood/views/mood-form.njk', {
      title: `${info.title}: ${episode.given_name} ${episode.family_name}`,
      backHref: `/episodes/${episode.id}`,
      episode,
      instrument,
      info,
      other: { instrument: other, title: INSTRUMENT_INFO[other].title },
      values,
      errors,
      safetyRaised,
      safetyPrompt: SAFETY_RESPONSE_PROMPT,
      protocol: config.safetyProtocol,
      answerOptions: ANSWER_OPTIONS,
      questions: info.items.map((text, i) => ({
        number: i + 1,
        name: itemField(i + 1),
        text,
        radios: answerRadios(values[itemField(i + 1)]),
        error: errors?.fields[itemField(i + 1)],
      })),
      sessionOptions: [
        { value: '', text: 'Not linked to a session', selected: !values.sessionId },
        ...sessions.map((s) => ({
          value: s.id,
          text: `${SESSION_KIND_LABELS[s.kind] ?? s.kind}, ${formatDate(s.held_on ?? s.scheduled_on)}`,
          selected: values.sessionId === s.id,
        })),
      ],
      hasSessions: sessions.length > 0,
    });
  };

  app.get('/episodes/:id/mood', { config: { access: SERVICE } }, async (request, reply) => {
    const instrument = instrumentFrom(request);
    const [year, month, day] = app.clock.today().split('-');
    return showMoodForm(request, reply, instrument, {
      'takenOn-day': String(Number(day)),
      'takenOn-month': String(Number(month)),
      'takenOn-year': year,
    });
  });

  app.post('/episodes/:id/mood', { config: { access: SERVICE } }, async (request, reply) => {
    const user = staffOf(request);
    const instrument = instrumentFrom(request);
    const episode = await episodeFor(db, user, (request.params as Params).id);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const sessions = await repo.sessionsOfEpisode(db, episode.id);
    const read = readMoodForm(instrument, body, {
      today: app.clock.today(),
      sessionIds: sessions.map((s) => s.id),
    });

    if (!read.ok) {
      // Item 9 answered above 0 needs a response even though the form cannot be saved yet.
      const raise = instrument === 'phq9' && needsSafetyResponse(answersOf('phq9', body));
      if (raise) await raiseSafetyTaskForUnsavedAnswers(db, user, episode.id, request.id);
      return showMoodForm(request, reply.code(400), instrument, formValues(body), read.errors, raise);
    }

    const saved = await recordMood(db, user, episode.id, read.value, request.id);
    const name = INSTRUMENT_INFO[instrument].name;
    const summary = `${name} saved: ${read.value.total}, ${bandLabel(instrument, read.value.total)}.`;
    if (saved.safetyTaskId) {
      setFlash(
        reply,
        `${summary} The answer to question 9 needs a safety response today: follow the steps below.`,
      );
      return reply.redirect(`/episodes/${episode.id}#safety`, 303);
    }
    setFlash(reply, summary);
    return reply.redirect(`/episodes/${episode.id}#mood`, 303);
  });

  const showTask = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, unknown> = {},
    errors?: FormErrors,
  ) => {
    const user = staffOf(request);
    const { id, taskId } = request.params as Params;
    const task = await viewSafetyTask(db, user, id, taskId ?? '', request.id);
    const episode = await episodeFor(db, user, id);
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
  };

  app.get('/episodes/:id/safety-tasks/:taskId', { config: { access: SERVICE } }, (request, reply) =>
    showTask(request, reply),
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
      if (!parsed.success) return showTask(request, reply.code(400), values, formErrors(parsed.error));
      try {
        await completeSafetyTask(db, user, id, taskId ?? '', parsed.data, request.id);
      } catch (err) {
        if (err instanceof HttpError && err.status === 409) {
          return showTask(request, reply.code(409), values, {
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
