// The session page: what happened at a session, and at the four-week follow-up the day 15 to 28 question
// that records the outcome.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { addDays, daysBetween, formatDate, type IsoDate } from '../../platform/dates.ts';
import { notFound } from '../../platform/errors.ts';
import { optionsOf, type FormErrors } from '../../platform/forms.ts';
import { formValues } from '../referrals/referral-form.ts';
import { viewEpisode, type EpisodeRow } from '../episodes/episode.service.ts';
import { FOUR_WEEK_RULE, followUpStatus } from '../episodes/four-week-outcome.ts';
import { AIDS, SESSION_MODES } from '../episodes/programme.ts';
import { openSafetyTaskCount } from '../mood/safety.service.ts';
import * as repo from './treatment.repository.ts';
import { parseSession } from './session.schemas.ts';
import { recordSession } from './session.service.ts';
import { sessionWarnings } from './appointment.service.ts';
import { storeFourWeekOutcome } from './outcome.service.ts';
import { capitalise, sessionLabel, sessionStatus, whatIsDue } from './treatment.section.ts';
import { ABSTINENCE_CONTINGENT, dateBoxes, YES_NO } from './treatment.schemas.ts';
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

type Session = NonNullable<Awaited<ReturnType<typeof repo.findSession>>>;
type Outcome = Awaited<ReturnType<typeof repo.findOutcome>>;

const sessionIdOf = (request: FastifyRequest) => (request.params as { sessionId: string }).sessionId;

export function registerSessionRoutes(app: FastifyInstance, { db }: { db: Database }) {
  const show = async (
    reply: FastifyReply,
    episode: EpisodeRow,
    session: Session,
    values: Values,
    errors?: FormErrors,
  ) =>
    reply.page(
      'treatment/views/session.njk',
      await sessionPage(db, episode, session, values, errors, app.clock.today()),
    );

  const loadSession = async (episodeId: string, sessionId: string) => {
    const session = await repo.findSession(db, episodeId, sessionId);
    if (!session) throw notFound('Session not found');
    return session;
  };

  app.get('/episodes/:id/sessions/:sessionId', { config }, async (request, reply) => {
    const episode = await viewEpisode(db, staffOf(request), idOf(request), request.id);
    const session = await loadSession(episode.id, sessionIdOf(request));
    return show(reply, episode, session, sessionValues(session, app.clock.today()));
  });

  app.post('/episodes/:id/sessions/:sessionId', { config }, async (request, reply) => {
    const episode = await episodeForChange(db, request);
    const session = await loadSession(episode.id, sessionIdOf(request));
    const body = bodyOf(request);
    const values = formValues(body);
    const dates = await episodeDates(db, episode, app.clock.today());
    const outcome = await repo.findOutcome(db, episode.id);
    const parsed = parseSession(body, {
      ...dates,
      quitDate: episode.quit_date,
      asksFourWeekOutcome: asksFourWeekOutcome(session, episode.quit_date, outcome),
    });
    if (!parsed.ok) {
      await auditRedisplay(db, request, episode);
      return show(reply.code(400), episode, session, values, parsed.errors);
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
      const errors = refusalErrors(err, '#attended');
      await auditRedisplay(db, request, episode);
      return show(reply.code(409), episode, session, values, errors);
    }
    return reply.redirect(await whereAfterSaving(db, episode.id, session.id), 303);
  });
}

/** A warning is shown once the session is saved, on its own page: it never stops the saving. */
async function whereAfterSaving(db: Database, episodeId: string, sessionId: string): Promise<string> {
  const saved = await repo.findSession(db, episodeId, sessionId);
  const warned = !!saved && (await sessionWarnings(db, episodeId, saved)).length > 0;
  return warned ? `/episodes/${episodeId}/sessions/${sessionId}?saved=1` : `/episodes/${episodeId}#sessions`;
}

/** The four-week follow-up, with no outcome yet (or one a job marked lost): the day 15 to 28 question is asked. */
const asksFourWeekOutcome = (session: Session, quitDate: IsoDate | null, outcome: Outcome) =>
  session.kind === 'four_week_follow_up' &&
  !!quitDate &&
  (!outcome || outcome.outcome === 'lost_to_follow_up');

/** The form filled from what is stored; a session not yet recorded is dated its day, or today if that is later. */
function sessionValues(session: Session, today: IsoDate): Values {
  const yn = (v: boolean | null) => (v === null ? undefined : v ? 'yes' : 'no');
  if (session.attended === null)
    return {
      ...dateBoxes('heldOn', daysBetween(session.scheduled_on, today) >= 0 ? session.scheduled_on : today),
    };
  return {
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
}

async function sessionPage(
  db: Database,
  episode: EpisodeRow,
  session: Session,
  values: Values,
  errors: FormErrors | undefined,
  today: IsoDate,
) {
  const [outcome, openSafetyTasks, warnings] = await Promise.all([
    repo.findOutcome(db, episode.id),
    openSafetyTaskCount(db, episode.id),
    sessionWarnings(db, episode.id, session),
  ]);
  const quitDate = episode.quit_date;
  const asksOutcome = asksFourWeekOutcome(session, quitDate, outcome);
  return {
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
    warnings,
    appointmentHref:
      session.attended === null ? `/episodes/${episode.id}/sessions/${session.id}/appointment` : null,
    quitDate: quitDate ? formatDate(quitDate) : null,
    asksFourWeekOutcome: asksOutcome,
    followUp:
      asksOutcome && quitDate
        ? {
            status: followUpStatus(quitDate, today).message,
            day15: formatDate(addDays(quitDate, FOUR_WEEK_RULE.abstinenceFromDay)),
            day28: formatDate(addDays(quitDate, FOUR_WEEK_RULE.dueDay)),
          }
        : null,
    abstinenceContingent: ABSTINENCE_CONTINGENT,
    options: sessionOptions(values),
  };
}

function sessionOptions(values: Values) {
  return {
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
  };
}
