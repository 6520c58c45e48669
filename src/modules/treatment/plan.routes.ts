// The quit date and plan page: the quit date, the type of support, where it is given, and a supply of a
// medicine or vape. The quit date can be set only after the assessment, and changed only until the
// four-week follow-up window opens.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { daysBetween, formatDate, type IsoDate } from '../../platform/dates.ts';
import type { FormErrors } from '../../platform/forms.ts';
import { formValues } from '../referrals/referral-form.ts';
import { viewEpisode, type EpisodeRow } from '../episodes/episode.service.ts';
import { followUpWindow } from '../episodes/four-week-outcome.ts';
import {
  AIDS,
  DEFAULT_SETTINGS,
  INTERVENTION_SESSION_TYPE_CODES,
  INTERVENTION_SESSION_TYPES,
} from '../episodes/programme.ts';
import { openSafetyTaskCount } from '../mood/safety.service.ts';
import * as repo from './treatment.repository.ts';
import { parsePlan } from './plan.schemas.ts';
import { savePlan } from './plan.service.ts';
import { ABSTINENCE_CONTINGENT, dateBoxes } from './treatment.schemas.ts';
import { episodeDates } from './treatment.service.ts';
import {
  auditRedisplay,
  bodyOf,
  config,
  episodeForChange,
  idOf,
  refusalErrors,
  selectItems,
  type Values,
} from './treatment-page.routes.ts';

export function registerPlanRoutes(app: FastifyInstance, { db }: { db: Database }) {
  const show = async (reply: FastifyReply, episode: EpisodeRow, values: Values, errors?: FormErrors) =>
    reply.page('treatment/views/plan.njk', await planPage(db, episode, values, errors, app.clock.today()));

  app.get('/episodes/:id/plan', { config }, async (request, reply) => {
    const episode = await viewEpisode(db, staffOf(request), idOf(request), request.id);
    return show(reply, episode, {
      ...dateBoxes('quitDate', episode.quit_date),
      interventionType: episode.intervention_type,
      setting: episode.setting,
    });
  });

  app.post('/episodes/:id/plan', { config }, async (request, reply) => {
    const episode = await episodeForChange(db, request);
    const body = bodyOf(request);
    const values = formValues(body);
    const assessment = await repo.findAssessment(db, episode.id);
    if (!assessment) {
      await auditRedisplay(db, request, episode);
      return show(reply.code(409), episode, values, {
        list: [
          { text: 'Record the pre-quit assessment before setting a quit date', href: '#assessment-first' },
        ],
        fields: {},
      });
    }
    const dates = await episodeDates(db, episode, app.clock.today());
    const parsed = parsePlan(body, { ...dates, assessedOn: assessment.assessed_on });
    if (!parsed.ok) {
      await auditRedisplay(db, request, episode);
      return show(reply.code(400), episode, values, parsed.errors);
    }
    try {
      await savePlan(
        db,
        staffOf(request),
        episode.id,
        parsed.data,
        { today: dates.today, now: app.clock.now() },
        request.id,
      );
    } catch (err) {
      const errors = refusalErrors(err, '#quitDate-day');
      await auditRedisplay(db, request, episode);
      return show(reply.code(409), episode, values, errors);
    }
    return reply.redirect(`/episodes/${episode.id}#treatment`, 303);
  });
}

async function planPage(
  db: Database,
  episode: EpisodeRow,
  values: Values,
  errors: FormErrors | undefined,
  today: IsoDate,
) {
  const [assessment, aids, outcome, openSafetyTasks] = await Promise.all([
    repo.findAssessment(db, episode.id),
    repo.listAids(db, episode.id),
    repo.findOutcome(db, episode.id),
    openSafetyTaskCount(db, episode.id),
  ]);
  return {
    title: 'Quit date and plan',
    backHref: `/episodes/${episode.id}`,
    episode,
    values,
    errors,
    assessment,
    openSafetyTasks,
    quitDateFixed: whyQuitDateIsFixed(episode.quit_date, !!outcome, today),
    firstQuitDate: !episode.quit_date,
    abstinenceContingent: ABSTINENCE_CONTINGENT,
    aids: aids.map((a) => ({
      label: AIDS[a.aid as keyof typeof AIDS] ?? a.aid,
      suppliedOn: formatDate(a.supplied_on),
      supply: a.supply,
    })),
    options: {
      interventionType: INTERVENTION_SESSION_TYPE_CODES.map((code) => ({
        value: code,
        text: INTERVENTION_SESSION_TYPES[code],
        checked: values.interventionType === code,
      })),
      setting: selectItems(DEFAULT_SETTINGS, values.setting, 'Choose where'),
      aid: selectItems(AIDS, values.aid, 'None this time'),
    },
  };
}

/** Why the quit date can no longer change, said before anyone tries (savePlan refuses it too). */
function whyQuitDateIsFixed(quitDate: IsoDate | null, outcomeRecorded: boolean, today: IsoDate) {
  if (quitDate && outcomeRecorded)
    return 'The four-week outcome has been recorded, so the quit date can no longer change.';
  if (quitDate && daysBetween(followUpWindow(quitDate).opens, today) >= 0)
    return 'The four-week follow-up window has opened, so the quit date can no longer change.';
  return null;
}
