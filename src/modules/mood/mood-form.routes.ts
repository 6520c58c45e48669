// The mood questionnaires (PHQ-9, GAD-7) on an episode. Every route is for the service's own staff, finds
// the episode within their service (404 otherwise) and is audited.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import { notFound } from '../../platform/errors.ts';
import type { FormErrors } from '../../platform/forms.ts';
import { setFlash } from '../../platform/flash.ts';
import { formValues } from '../referrals/referral-form.ts';
import { formatDate } from '../../platform/dates.ts';
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
  type Instrument,
} from './mood.schemas.ts';
import { recordMood, serviceEpisode } from './mood.service.ts';
import { raiseSafetyTaskForUnsavedAnswers } from './safety.service.ts';

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
type FormState = { values: Record<string, unknown>; errors?: FormErrors; safetyRaised?: boolean };

const episodeId = (request: FastifyRequest) => (request.params as { id: string }).id;

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

/** The questionnaire's page, blank or as typed with its errors; showing it is an audited read. */
async function moodFormPage(
  { db, config }: Deps,
  request: FastifyRequest,
  reply: FastifyReply,
  instrument: Instrument,
  { values, errors, safetyRaised = false }: FormState,
) {
  const user = staffOf(request);
  const episode = await serviceEpisode(db, user, episodeId(request));
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
}

export function registerMoodFormRoutes(app: FastifyInstance, deps: Deps) {
  const { db } = deps;

  app.get('/episodes/:id/mood', { config: { access: SERVICE } }, async (request, reply) => {
    const instrument = instrumentFrom(request);
    const [year, month, day] = app.clock.today().split('-');
    return moodFormPage(deps, request, reply, instrument, {
      values: {
        'takenOn-day': String(Number(day)),
        'takenOn-month': String(Number(month)),
        'takenOn-year': year,
      },
    });
  });

  app.post('/episodes/:id/mood', { config: { access: SERVICE } }, async (request, reply) => {
    const user = staffOf(request);
    const instrument = instrumentFrom(request);
    const episode = await serviceEpisode(db, user, episodeId(request));
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
      return moodFormPage(deps, request, reply.code(400), instrument, {
        values: formValues(body),
        errors: read.errors,
        safetyRaised: raise,
      });
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
}
