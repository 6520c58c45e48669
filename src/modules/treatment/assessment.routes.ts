// The pre-quit assessment page: smoking and heaviness, CO reading, vaping, what is known of the person's
// mental health, their beliefs about smoking, the return's demographic items and their goals.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Database } from '../../db/database.ts';
import type { IsoDate } from '../../platform/dates.ts';
import { staffOf } from '../../platform/access.ts';
import { optionsOf, type FormErrors } from '../../platform/forms.ts';
import { formValues } from '../referrals/referral-form.ts';
import { IN_TALKING_THERAPIES, VAPING_STATUS } from '../referrals/referral.codes.ts';
import { EPISODE_MENTAL_HEALTH } from '../episodes/episode.schemas.ts';
import { viewEpisode, type EpisodeRow } from '../episodes/episode.service.ts';
import { HEAVINESS_LABELS, heavinessLevel, TIME_TO_FIRST_CIGARETTE } from '../episodes/heaviness.ts';
import * as repo from './treatment.repository.ts';
import { BELIEFS_PROMPT, parseAssessment } from './assessment.schemas.ts';
import { saveAssessment } from './assessment.service.ts';
import { dateBoxes, MENTAL_HEALTH_BASIS } from './treatment.schemas.ts';
import { episodeDates } from './treatment.service.ts';
import {
  auditRedisplay,
  bodyOf,
  config,
  episodeForChange,
  idOf,
  refusalErrors,
  type Values,
} from './treatment-page.routes.ts';

export function registerAssessmentRoutes(app: FastifyInstance, { db }: { db: Database }) {
  const show = async (
    reply: FastifyReply,
    episode: EpisodeRow,
    values: Values,
    errors?: FormErrors,
    saved = false,
  ) => reply.page('treatment/views/assessment.njk', await assessmentPage(db, episode, values, errors, saved));

  app.get('/episodes/:id/assessment', { config }, async (request, reply) => {
    const episode = await viewEpisode(db, staffOf(request), idOf(request), request.id);
    const assessment = await repo.findAssessment(db, episode.id);
    const values = assessmentValues(assessment, episode, app.clock.today());
    const saved = (request.query as Record<string, unknown>).saved === '1';
    return show(reply, episode, values, undefined, saved);
  });

  app.post('/episodes/:id/assessment', { config }, async (request, reply) => {
    const episode = await episodeForChange(db, request);
    const body = bodyOf(request);
    const parsed = parseAssessment(body, await episodeDates(db, episode, app.clock.today()));
    if (!parsed.ok) {
      await auditRedisplay(db, request, episode);
      return show(reply.code(400), episode, formValues(body), parsed.errors);
    }
    try {
      await saveAssessment(db, staffOf(request), episode.id, parsed.data, request.id);
    } catch (err) {
      const errors = refusalErrors(err, '#assessedOn-day');
      await auditRedisplay(db, request, episode);
      return show(reply.code(409), episode, formValues(body), errors);
    }
    return reply.redirect(`/episodes/${episode.id}/assessment?saved=1`, 303);
  });
}

async function assessmentPage(
  db: Database,
  episode: EpisodeRow,
  values: Values,
  errors: FormErrors | undefined,
  saved: boolean,
) {
  const assessment = await repo.findAssessment(db, episode.id);
  const hsi =
    assessment?.heaviness_index != null
      ? `${assessment.heaviness_index} out of 6: ${HEAVINESS_LABELS[heavinessLevel(assessment.heaviness_index)]}`
      : null;
  return {
    title: 'Pre-quit assessment',
    backHref: `/episodes/${episode.id}`,
    episode,
    values,
    errors,
    saved,
    hsi,
    beliefsPrompt: BELIEFS_PROMPT,
    options: {
      timeToFirstCigarette: optionsOf(TIME_TO_FIRST_CIGARETTE, values.timeToFirstCigarette as string),
      vapingStatus: optionsOf(VAPING_STATUS, values.vapingStatus as string),
      mentalHealth: optionsOf(EPISODE_MENTAL_HEALTH, values.mentalHealth as string),
      mentalHealthBasis: optionsOf(MENTAL_HEALTH_BASIS, values.mentalHealthBasis as string),
      inTalkingTherapies: optionsOf(IN_TALKING_THERAPIES, values.inTalkingTherapies as string),
    },
  };
}

/** The form filled from what is stored; before the first assessment, dated today. */
function assessmentValues(a: repo.AssessmentRow | undefined, episode: EpisodeRow, today: IsoDate): Values {
  const values: Values = a
    ? {
        ...dateBoxes('assessedOn', a.assessed_on),
        cigarettesPerDay: a.cigarettes_per_day ?? '',
        timeToFirstCigarette: a.time_to_first_cigarette,
        pastQuitAttempts: a.past_quit_attempts ?? '',
        whatHelped: a.what_helped,
        coPpm: a.co_ppm ?? '',
        vapingStatus: a.vaping_status,
        beliefs: a.beliefs,
        goals: a.goals,
        preferences: a.preferences,
      }
    : { ...dateBoxes('assessedOn', today) };
  return {
    ...values,
    mentalHealth: episode.mental_health,
    mentalHealthBasis: episode.mental_health_basis,
    inTalkingTherapies: episode.in_talking_therapies,
  };
}
