// The outcome page: the national four-week outcome (decided only by decideFourWeekOutcome) and the local
// 12- and 52-week follow-ups, which need a quit date first.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { addDays, formatDate, type IsoDate } from '../../platform/dates.ts';
import { optionsOf, type FormErrors } from '../../platform/forms.ts';
import { formValues } from '../referrals/referral-form.ts';
import { viewEpisode, type EpisodeRow } from '../episodes/episode.service.ts';
import {
  decideFourWeekOutcome,
  FOUR_WEEK_RULE,
  followUpStatus,
  followUpWindow,
  OUTCOME_LABELS,
} from '../episodes/four-week-outcome.ts';
import { SESSION_MODES } from '../episodes/programme.ts';
import { openSafetyTaskCount } from '../mood/safety.service.ts';
import * as repo from './treatment.repository.ts';
import { parseLocalOutcome, parseOutcome } from './outcome.schemas.ts';
import { recordFourWeekOutcome, recordLocalOutcome } from './outcome.service.ts';
import { YES_NO } from './treatment.schemas.ts';
import {
  auditRedisplay,
  bodyOf,
  config,
  episodeForChange,
  idOf,
  refusalErrors,
  type Values,
} from './treatment-page.routes.ts';

const NEEDS_QUIT_DATE: FormErrors = {
  list: [{ text: 'Set a quit date first', href: '#status' }],
  fields: {},
};

export function registerOutcomeRoutes(app: FastifyInstance, { db }: { db: Database }) {
  const show = async (reply: FastifyReply, episode: EpisodeRow, values: Values, errors?: FormErrors) =>
    reply.page(
      'treatment/views/outcome.njk',
      await outcomePage(db, episode, values, errors, app.clock.today()),
    );

  /** A sent form shown again, with its mistakes or why it was refused: that is a read like any other. */
  const showAgain = async (
    request: FastifyRequest,
    reply: FastifyReply,
    episode: EpisodeRow,
    values: Values,
    errors: FormErrors,
  ) => {
    await auditRedisplay(db, request, episode);
    return show(reply, episode, values, errors);
  };

  app.get('/episodes/:id/outcome', { config }, async (request, reply) => {
    const episode = await viewEpisode(db, staffOf(request), idOf(request), request.id);
    return show(reply, episode, {});
  });

  app.post('/episodes/:id/outcome', { config }, async (request, reply) => {
    const episode = await episodeForChange(db, request);
    const body = bodyOf(request);
    const values = { ...formValues(body), form: 'four-week' };
    if (!episode.quit_date) return showAgain(request, reply.code(409), episode, values, NEEDS_QUIT_DATE);
    const today = app.clock.today();
    const parsed = parseOutcome(body, { quitDate: episode.quit_date, today });
    if (!parsed.ok) return showAgain(request, reply.code(400), episode, values, parsed.errors);
    try {
      await recordFourWeekOutcome(db, staffOf(request), episode.id, parsed.data, today, request.id);
    } catch (err) {
      return showAgain(request, reply.code(409), episode, values, refusalErrors(err, '#status'));
    }
    return reply.redirect(`/episodes/${episode.id}/outcome`, 303);
  });

  app.post('/episodes/:id/local-outcomes', { config }, async (request, reply) => {
    const episode = await episodeForChange(db, request);
    const body = bodyOf(request);
    const values = { ...formValues(body), form: 'local' };
    if (!episode.quit_date) return showAgain(request, reply.code(409), episode, values, NEEDS_QUIT_DATE);
    const parsed = parseLocalOutcome(body, { quitDate: episode.quit_date, today: app.clock.today() });
    if (!parsed.ok) return showAgain(request, reply.code(400), episode, values, parsed.errors);
    try {
      await recordLocalOutcome(db, staffOf(request), episode.id, parsed.data, request.id);
    } catch (err) {
      return showAgain(request, reply.code(409), episode, values, refusalErrors(err, '#local'));
    }
    return reply.redirect(`/episodes/${episode.id}/outcome#local`, 303);
  });
}

async function outcomePage(
  db: Database,
  episode: EpisodeRow,
  values: Values,
  errors: FormErrors | undefined,
  today: IsoDate,
) {
  const quitDate = episode.quit_date;
  const [outcome, locals, openSafetyTasks] = await Promise.all([
    repo.findOutcome(db, episode.id),
    repo.listLocalOutcomes(db, episode.id),
    openSafetyTaskCount(db, episode.id),
  ]);
  const status = quitDate ? followUpView(quitDate, today) : null;
  return {
    title: 'Four-week outcome',
    backHref: `/episodes/${episode.id}`,
    episode,
    values,
    errors,
    quitDate: quitDate ? formatDate(quitDate) : null,
    status,
    openSafetyTasks,
    coVerifiedBelow: FOUR_WEEK_RULE.coVerifiedBelowPpm,
    outcome: outcome
      ? {
          ...outcome,
          label: OUTCOME_LABELS[outcome.outcome],
          followUpOn: outcome.follow_up_on ? formatDate(outcome.follow_up_on) : null,
          byJob: outcome.recorded_by === null,
        }
      : null,
    canRecord:
      !!quitDate &&
      (!outcome || outcome.outcome === 'lost_to_follow_up') &&
      status?.phase !== 'before_window',
    locals: locals.map((l) => ({ ...l, contactOnText: formatDate(l.contact_on) })),
    options: outcomeOptions(values),
  };
}

/** Where the four-week follow-up stands for a quit date, and what the rule would decide today with no answer. */
function followUpView(quitDate: IsoDate, today: IsoDate) {
  const window = followUpWindow(quitDate);
  const decision = decideFourWeekOutcome({ quitDate, followUp: null, today });
  return {
    ...followUpStatus(quitDate, today),
    opens: formatDate(window.opens),
    due: formatDate(window.due),
    closes: formatDate(window.closes),
    day15: formatDate(addDays(quitDate, FOUR_WEEK_RULE.abstinenceFromDay)),
    day28: formatDate(addDays(quitDate, FOUR_WEEK_RULE.dueDay)),
    decision: { ...decision, label: OUTCOME_LABELS[decision.outcome] },
  };
}

function outcomeOptions(values: Values) {
  return {
    smokedDays15to28: optionsOf(YES_NO, values.smokedDays15to28 as string),
    mode: optionsOf(SESSION_MODES, values.mode as string),
    weeks: optionsOf(
      { '12': '12 weeks after the quit date', '52': '52 weeks after the quit date' },
      values.weeks as string,
    ),
    abstinent: optionsOf(
      { yes: 'Yes, still not smoking', no: 'No, smoking again' },
      values.abstinent as string,
    ),
  };
}
