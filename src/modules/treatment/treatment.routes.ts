// Pages for running the treatment episode: assessment, plan, sessions, four-week and local outcomes, and
// the service's diary. Each page loads the episode within the user's service (404 otherwise), every read
// and change is audited, and a form with mistakes comes back with the error summary and what was typed.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { audit, auditMany } from '../../platform/audit.ts';
import { HttpError, notFound } from '../../platform/errors.ts';
import type { FormErrors } from '../../platform/forms.ts';
import { serviceScope } from '../../platform/scope.ts';
import { formValues } from '../referrals/referral-form.ts';
import { IN_TALKING_THERAPIES, VAPING_STATUS } from '../referrals/referral.codes.ts';
import { optionsOf } from '../../platform/forms.ts';
import { addDays, daysBetween, formatDate, type IsoDate } from '../../platform/dates.ts';
import * as episodes from '../episodes/episode.service.ts';
import type { EpisodeRow } from '../episodes/episode.service.ts';
import { EPISODE_MENTAL_HEALTH } from '../episodes/episode.schemas.ts';
import { viewEpisode } from '../episodes/episode.service.ts';
import {
  decideFourWeekOutcome,
  FOUR_WEEK_RULE,
  followUpStatus,
  followUpWindow,
  OUTCOME_LABELS,
} from '../episodes/four-week-outcome.ts';
import { HEAVINESS_LABELS, heavinessLevel, TIME_TO_FIRST_CIGARETTE } from '../episodes/heaviness.ts';
import { recordFourWeekOutcome, recordLocalOutcome, storeFourWeekOutcome } from './outcome.service.ts';
import {
  AIDS,
  DEFAULT_SETTINGS,
  INTERVENTION_SESSION_TYPE_CODES,
  INTERVENTION_SESSION_TYPES,
  SESSION_MODES,
} from '../episodes/programme.ts';
import { openSafetyTaskCount } from '../mood/safety.service.ts';
import { capitalise, sessionLabel, sessionStatus, whatIsDue } from './treatment.section.ts';
import * as repo from './treatment.repository.ts';
import {
  ABSTINENCE_CONTINGENT,
  BELIEFS_PROMPT,
  dateBoxes,
  MENTAL_HEALTH_BASIS,
  parseAssessment,
  parseExtraSession,
  parseLocalOutcome,
  parseOutcome,
  parsePlan,
  parseSession,
  YES_NO,
} from './treatment.schemas.ts';
import {
  addExtraSession,
  episodeDates,
  recordSession,
  SafetyTaskOpen,
  saveAssessment,
  savePlan,
} from './treatment.service.ts';

const SERVICE = ['adviser', 'service_manager'] as const;
const config = { access: SERVICE };

type Body = Record<string, unknown>;
type Values = Record<string, unknown>;
type Deps = { db: Database; config?: Config };

/** How far ahead the diary looks, today included. */
export const DIARY_DAYS = 14;

const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;
const sessionIdOf = (request: FastifyRequest) => (request.params as { sessionId: string }).sessionId;
const bodyOf = (request: FastifyRequest) => (request.body ?? {}) as Body;

/** Options for the NHS select macro, with a first "choose" item. */
const selectItems = (list: Record<string, string>, selected: unknown, first: string) => [
  { value: '', text: first },
  ...Object.entries(list).map(([value, text]) => ({ value, text, selected: value === selected })),
];

/**
 * The error summary for a change the episode refused: an open safety task is named in the words of the
 * warning and links to it; any other refusal says why and links to the field.
 */
const conflictErrors = (err: HttpError, fieldHref: string): FormErrors => ({
  list: [
    err instanceof SafetyTaskOpen
      ? { text: err.title, href: '#safety' }
      : { text: err.message, href: fieldHref },
  ],
  fields: {},
});

export function registerTreatmentRoutes(app: FastifyInstance, deps: Deps) {
  const { db } = deps;

  /** For a form that was sent: the episode within the user's service, or 404. Its change is audited later. */
  const episodeForChange = async (request: FastifyRequest): Promise<EpisodeRow> => {
    const episode = await episodes.findEpisode(db, serviceScope(staffOf(request)), idOf(request));
    if (!episode) throw notFound('Episode not found');
    return episode;
  };

  /** Showing a sent form again shows the person's record: that is a read like any other. */
  const auditRedisplay = (request: FastifyRequest, episode: EpisodeRow) =>
    audit(db, staffOf(request), { action: 'view', entityType: 'episode', entityId: episode.id }, request.id);

  // --- Assessment --------------------------------------------------------------------------------------

  const showAssessment = async (
    reply: FastifyReply,
    episode: EpisodeRow,
    values: Values,
    errors?: FormErrors,
    saved = false,
  ) => {
    const assessment = await repo.findAssessment(db, episode.id);
    const hsi =
      assessment?.heaviness_index != null
        ? `${assessment.heaviness_index} out of 6: ${HEAVINESS_LABELS[heavinessLevel(assessment.heaviness_index)]}`
        : null;
    return reply.page('treatment/views/assessment.njk', {
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
    });
  };

  app.get('/episodes/:id/assessment', { config }, async (request, reply) => {
    const episode = await viewEpisode(db, staffOf(request), idOf(request), request.id);
    const a = await repo.findAssessment(db, episode.id);
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
      : { ...dateBoxes('assessedOn', app.clock.today()) };
    Object.assign(values, {
      mentalHealth: episode.mental_health,
      mentalHealthBasis: episode.mental_health_basis,
      inTalkingTherapies: episode.in_talking_therapies,
    });
    const saved = (request.query as Record<string, unknown>).saved === '1';
    return showAssessment(reply, episode, values, undefined, saved);
  });

  app.post('/episodes/:id/assessment', { config }, async (request, reply) => {
    const episode = await episodeForChange(request);
    const body = bodyOf(request);
    const parsed = parseAssessment(body, await episodeDates(db, episode, app.clock.today()));
    if (!parsed.ok) {
      await auditRedisplay(request, episode);
      return showAssessment(reply.code(400), episode, formValues(body), parsed.errors);
    }
    try {
      await saveAssessment(db, staffOf(request), episode.id, parsed.data, request.id);
    } catch (err) {
      if (!(err instanceof HttpError) || err.status !== 409) throw err;
      await auditRedisplay(request, episode);
      return showAssessment(
        reply.code(409),
        episode,
        formValues(body),
        conflictErrors(err, '#assessedOn-day'),
      );
    }
    return reply.redirect(`/episodes/${episode.id}/assessment?saved=1`, 303);
  });

  // --- Plan --------------------------------------------------------------------------------------------

  const showPlan = async (reply: FastifyReply, episode: EpisodeRow, values: Values, errors?: FormErrors) => {
    const today = app.clock.today();
    const [assessment, aids, outcome, openSafetyTasks] = await Promise.all([
      repo.findAssessment(db, episode.id),
      repo.listAids(db, episode.id),
      repo.findOutcome(db, episode.id),
      openSafetyTaskCount(db, episode.id),
    ]);
    let quitDateFixed: string | null = null;
    if (episode.quit_date && outcome)
      quitDateFixed = 'The four-week outcome has been recorded, so the quit date can no longer change.';
    else if (episode.quit_date && daysBetween(followUpWindow(episode.quit_date).opens, today) >= 0) {
      quitDateFixed = 'The four-week follow-up window has opened, so the quit date can no longer change.';
    }
    return reply.page('treatment/views/plan.njk', {
      title: 'Quit date and plan',
      backHref: `/episodes/${episode.id}`,
      episode,
      values,
      errors,
      assessment,
      openSafetyTasks,
      quitDateFixed,
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
    });
  };

  app.get('/episodes/:id/plan', { config }, async (request, reply) => {
    const episode = await viewEpisode(db, staffOf(request), idOf(request), request.id);
    return showPlan(reply, episode, {
      ...dateBoxes('quitDate', episode.quit_date),
      interventionType: episode.intervention_type,
      setting: episode.setting,
    });
  });

  app.post('/episodes/:id/plan', { config }, async (request, reply) => {
    const episode = await episodeForChange(request);
    const body = bodyOf(request);
    const values = formValues(body);
    const assessment = await repo.findAssessment(db, episode.id);
    if (!assessment) {
      await auditRedisplay(request, episode);
      return showPlan(reply.code(409), episode, values, {
        list: [
          { text: 'Record the pre-quit assessment before setting a quit date', href: '#assessment-first' },
        ],
        fields: {},
      });
    }
    const dates = await episodeDates(db, episode, app.clock.today());
    const parsed = parsePlan(body, { ...dates, assessedOn: assessment.assessed_on });
    if (!parsed.ok) {
      await auditRedisplay(request, episode);
      return showPlan(reply.code(400), episode, values, parsed.errors);
    }
    try {
      await savePlan(db, staffOf(request), episode.id, parsed.data, dates.today, request.id);
    } catch (err) {
      if (!(err instanceof HttpError) || err.status !== 409) throw err;
      await auditRedisplay(request, episode);
      return showPlan(reply.code(409), episode, values, conflictErrors(err, '#quitDate-day'));
    }
    return reply.redirect(`/episodes/${episode.id}#treatment`, 303);
  });

  // --- Sessions ------------------------------------------------------------------------------------------

  const showSession = async (
    reply: FastifyReply,
    episode: EpisodeRow,
    session: NonNullable<Awaited<ReturnType<typeof repo.findSession>>>,
    values: Values,
    errors?: FormErrors,
  ) => {
    const today = app.clock.today();
    const [outcome, openSafetyTasks] = await Promise.all([
      repo.findOutcome(db, episode.id),
      openSafetyTaskCount(db, episode.id),
    ]);
    const quitDate = episode.quit_date;
    const asksFourWeekOutcome =
      session.kind === 'four_week_follow_up' &&
      !!quitDate &&
      (!outcome || outcome.outcome === 'lost_to_follow_up');
    return reply.page('treatment/views/session.njk', {
      title: sessionLabel(session.kind),
      backHref: `/episodes/${episode.id}`,
      episode,
      session: {
        ...session,
        label: sessionLabel(session.kind),
        due: formatDate(session.scheduled_on),
        status: sessionStatus(session, today),
        whatIsDue: capitalise(whatIsDue(session.kind, quitDate, today)),
      },
      values,
      errors,
      openSafetyTasks,
      quitDate: quitDate ? formatDate(quitDate) : null,
      asksFourWeekOutcome,
      followUp:
        asksFourWeekOutcome && quitDate
          ? {
              status: followUpStatus(quitDate, today).message,
              day15: formatDate(addDays(quitDate, FOUR_WEEK_RULE.abstinenceFromDay)),
              day28: formatDate(addDays(quitDate, FOUR_WEEK_RULE.dueDay)),
            }
          : null,
      abstinenceContingent: ABSTINENCE_CONTINGENT,
      options: {
        attended: optionsOf(
          { yes: 'Yes, it took place', no: 'No, they did not attend' },
          values.attended as string,
        ),
        mode: optionsOf(SESSION_MODES, values.mode as string),
        smokedSinceLast: optionsOf(YES_NO, values.smokedSinceLast as string),
        smokedDays15to28: optionsOf(YES_NO, values.smokedDays15to28 as string),
        cravings: ['0', '1', '2', '3', '4', '5'].map((v) => ({
          value: v,
          text: v,
          checked: values.cravings === v,
        })),
        aid: selectItems(AIDS, values.aid, 'None at this session'),
      },
    });
  };

  const loadSession = async (episodeId: string, sessionId: string) => {
    const session = await repo.findSession(db, episodeId, sessionId);
    if (!session) throw notFound('Session not found');
    return session;
  };

  // Registered before /:sessionId so "new" is never read as an id.
  app.get('/episodes/:id/sessions/new', { config }, async (request, reply) => {
    const episode = await viewEpisode(db, staffOf(request), idOf(request), request.id);
    return reply.page('treatment/views/session.njk', {
      title: 'Add an extra session',
      backHref: `/episodes/${episode.id}`,
      episode,
      extra: true,
      values: {},
    });
  });

  app.post('/episodes/:id/sessions', { config }, async (request, reply) => {
    const episode = await episodeForChange(request);
    const body = bodyOf(request);
    const parsed = parseExtraSession(body, await episodeDates(db, episode, app.clock.today()));
    const showExtra = (code: number, errors: FormErrors) =>
      reply.code(code).page('treatment/views/session.njk', {
        title: 'Add an extra session',
        backHref: `/episodes/${episode.id}`,
        episode,
        extra: true,
        values: formValues(body),
        errors,
      });
    if (!parsed.ok) {
      await auditRedisplay(request, episode);
      return showExtra(400, parsed.errors);
    }
    try {
      await addExtraSession(db, staffOf(request), episode.id, parsed.data.scheduledOn, request.id);
    } catch (err) {
      if (!(err instanceof HttpError) || err.status !== 409) throw err;
      await auditRedisplay(request, episode);
      return showExtra(409, conflictErrors(err, '#extraOn-day'));
    }
    return reply.redirect(`/episodes/${episode.id}#sessions`, 303);
  });

  app.get('/episodes/:id/sessions/:sessionId', { config }, async (request, reply) => {
    const episode = await viewEpisode(db, staffOf(request), idOf(request), request.id);
    const session = await loadSession(episode.id, sessionIdOf(request));
    const today = app.clock.today();
    const yn = (v: boolean | null) => (v === null ? undefined : v ? 'yes' : 'no');
    const values: Values =
      session.attended === null
        ? {
            ...dateBoxes(
              'heldOn',
              daysBetween(session.scheduled_on, today) >= 0 ? session.scheduled_on : today,
            ),
          }
        : {
            attended: yn(session.attended),
            ...dateBoxes('heldOn', session.held_on),
            mode: session.mode,
            coPpm: session.co_ppm ?? '',
            smokedSinceLast: yn(session.smoked_since_last),
            smokedDays15to28: yn(session.smoked_days_15_to_28),
            cravings: session.cravings === null ? undefined : String(session.cravings),
            withdrawal: session.withdrawal,
            notes: session.notes,
          };
    return showSession(reply, episode, session, values);
  });

  app.post('/episodes/:id/sessions/:sessionId', { config }, async (request, reply) => {
    const episode = await episodeForChange(request);
    const session = await loadSession(episode.id, sessionIdOf(request));
    const body = bodyOf(request);
    const values = formValues(body);
    const dates = await episodeDates(db, episode, app.clock.today());
    const outcome = await repo.findOutcome(db, episode.id);
    const parsed = parseSession(body, {
      ...dates,
      quitDate: episode.quit_date,
      asksFourWeekOutcome:
        session.kind === 'four_week_follow_up' &&
        !!episode.quit_date &&
        (!outcome || outcome.outcome === 'lost_to_follow_up'),
    });
    if (!parsed.ok) {
      await auditRedisplay(request, episode);
      return showSession(reply.code(400), episode, session, values, parsed.errors);
    }
    try {
      await recordSession(
        db,
        staffOf(request),
        episode.id,
        session.id,
        parsed.data,
        dates.today,
        storeFourWeekOutcome,
        request.id,
      );
    } catch (err) {
      if (!(err instanceof HttpError) || err.status !== 409) throw err;
      await auditRedisplay(request, episode);
      return showSession(reply.code(409), episode, session, values, conflictErrors(err, '#attended'));
    }
    return reply.redirect(`/episodes/${episode.id}#sessions`, 303);
  });

  // --- Outcomes ------------------------------------------------------------------------------------------

  const showOutcome = async (
    reply: FastifyReply,
    episode: EpisodeRow,
    values: Values,
    errors?: FormErrors,
  ) => {
    const today = app.clock.today();
    const quitDate = episode.quit_date;
    const [outcome, locals, openSafetyTasks] = await Promise.all([
      repo.findOutcome(db, episode.id),
      repo.listLocalOutcomes(db, episode.id),
      openSafetyTaskCount(db, episode.id),
    ]);
    let status = null;
    if (quitDate) {
      const window = followUpWindow(quitDate);
      const s = followUpStatus(quitDate, today);
      const decision = decideFourWeekOutcome({ quitDate, followUp: null, today });
      status = {
        ...s,
        opens: formatDate(window.opens),
        due: formatDate(window.due),
        closes: formatDate(window.closes),
        day15: formatDate(addDays(quitDate, FOUR_WEEK_RULE.abstinenceFromDay)),
        day28: formatDate(addDays(quitDate, FOUR_WEEK_RULE.dueDay)),
        decision: { ...decision, label: OUTCOME_LABELS[decision.outcome] },
      };
    }
    return reply.page('treatment/views/outcome.njk', {
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
      options: {
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
      },
    });
  };

  const needsQuitDate = async (
    request: FastifyRequest,
    reply: FastifyReply,
    episode: EpisodeRow,
    values: Values,
  ) => {
    await auditRedisplay(request, episode);
    return showOutcome(reply.code(409), episode, values, {
      list: [{ text: 'Set a quit date first', href: '#status' }],
      fields: {},
    });
  };

  app.get('/episodes/:id/outcome', { config }, async (request, reply) => {
    const episode = await viewEpisode(db, staffOf(request), idOf(request), request.id);
    return showOutcome(reply, episode, {});
  });

  app.post('/episodes/:id/outcome', { config }, async (request, reply) => {
    const episode = await episodeForChange(request);
    const body = bodyOf(request);
    const values = { ...formValues(body), form: 'four-week' };
    if (!episode.quit_date) return needsQuitDate(request, reply, episode, values);
    const today = app.clock.today();
    const parsed = parseOutcome(body, { quitDate: episode.quit_date, today });
    if (!parsed.ok) {
      await auditRedisplay(request, episode);
      return showOutcome(reply.code(400), episode, values, parsed.errors);
    }
    try {
      await recordFourWeekOutcome(db, staffOf(request), episode.id, parsed.data, today, request.id);
    } catch (err) {
      if (!(err instanceof HttpError) || err.status !== 409) throw err;
      await auditRedisplay(request, episode);
      return showOutcome(reply.code(409), episode, values, conflictErrors(err, '#status'));
    }
    return reply.redirect(`/episodes/${episode.id}/outcome`, 303);
  });

  app.post('/episodes/:id/local-outcomes', { config }, async (request, reply) => {
    const episode = await episodeForChange(request);
    const body = bodyOf(request);
    const values = { ...formValues(body), form: 'local' };
    if (!episode.quit_date) return needsQuitDate(request, reply, episode, values);
    const parsed = parseLocalOutcome(body, { quitDate: episode.quit_date, today: app.clock.today() });
    if (!parsed.ok) {
      await auditRedisplay(request, episode);
      return showOutcome(reply.code(400), episode, values, parsed.errors);
    }
    try {
      await recordLocalOutcome(db, staffOf(request), episode.id, parsed.data, request.id);
    } catch (err) {
      if (!(err instanceof HttpError) || err.status !== 409) throw err;
      await auditRedisplay(request, episode);
      return showOutcome(reply.code(409), episode, values, conflictErrors(err, '#local'));
    }
    return reply.redirect(`/episodes/${episode.id}/outcome#local`, 303);
  });

  // --- Diary -----------------------------------------------------------------------------------------------

  app.get('/diary', { config }, async (request, reply) => {
    const user = staffOf(request);
    const today = app.clock.today();
    const to = addDays(today, DIARY_DAYS - 1);
    const rows = await repo.diary(db, serviceScope(user), to);
    await auditMany(db, user, 'list', 'episode', [...new Set(rows.map((r) => r.episode_id))], request.id);
    const groups: { key: string; heading: string; overdue: boolean; items: unknown[] }[] = [];
    for (const r of rows) {
      const overdue = daysBetween(today, r.scheduled_on) < 0;
      const key = overdue ? 'overdue' : r.scheduled_on;
      let group = groups.find((g) => g.key === key);
      if (!group) {
        const heading = overdue ? 'Overdue' : dayHeading(r.scheduled_on, today);
        group = { key, heading, overdue, items: [] };
        groups.push(group);
      }
      group.items.push({
        href: `/episodes/${r.episode_id}/sessions/${r.id}`,
        episodeHref: `/episodes/${r.episode_id}`,
        name: `${r.given_name} ${r.family_name}`,
        phone: r.phone,
        label: sessionLabel(r.kind),
        due: capitalise(whatIsDue(r.kind, r.quit_date, today)),
        scheduledOn: formatDate(r.scheduled_on, today),
        adviser: r.adviser_name,
      });
    }
    return reply.page('treatment/views/diary.njk', {
      title: 'Diary',
      groups,
      count: rows.length,
      from: formatDate(today),
      to: formatDate(to),
      days: DIARY_DAYS,
    });
  });
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function dayHeading(d: IsoDate, today: IsoDate): string {
  const weekday = WEEKDAYS[new Date(`${d}T00:00:00Z`).getUTCDay()]!;
  const when = daysBetween(today, d) === 0 ? 'Today, ' : daysBetween(today, d) === 1 ? 'Tomorrow, ' : '';
  return `${when}${weekday} ${formatDate(d, today)}`;
}
