// What the episode page shows of treatment: the assessment, the plan, the schedule and sessions, aids,
// the four-week outcome and local follow-ups, and links to do the next thing. Also the words for
// sessions that the diary and the session page share.
import type { Database } from '../../db/database.ts';
import { SESSION_KINDS } from '../episodes/programme.ts';
import { labelOf } from '../../platform/forms.ts';
import { daysBetween, formatDate, type IsoDate } from '../../platform/dates.ts';
import type { EpisodeRow } from '../episodes/episode.service.ts';
import {
  decideFourWeekOutcome,
  followUpStatus,
  followUpWindow,
  OUTCOME_LABELS,
  FOUR_WEEK_RULE,
} from '../episodes/four-week-outcome.ts';
import { HEAVINESS_LABELS, heavinessLevel, TIME_TO_FIRST_CIGARETTE } from '../episodes/heaviness.ts';
import {
  AIDS,
  DEFAULT_SETTINGS,
  INTERVENTION_SESSION_TYPES,
  SESSION_MODES,
  standardSchedule,
} from '../episodes/programme.ts';
import { openSafetyTaskCount } from '../mood/safety.service.ts';
import * as repo from './treatment.repository.ts';

export const SESSION_KIND_LABELS: Record<string, string> = {
  ...Object.fromEntries(standardSchedule('2000-01-01', '2000-01-01').map((s) => [s.kind, s.label])),
  extra: 'Extra session',
  twelve_week_follow_up: '12-week follow-up (local, not national)',
  fifty_two_week_follow_up: '52-week follow-up (local, not national)',
};

export const sessionLabel = (kind: string) => SESSION_KIND_LABELS[kind] ?? kind;

export const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export type Status = { text: string; colour: string };

export function sessionStatus(
  s: { attended: boolean | null; held_on: string | null; scheduled_on: string },
  today: IsoDate,
): Status {
  if (s.attended === true)
    return { text: s.held_on ? `Held ${formatDate(s.held_on, today)}` : 'Held', colour: 'green' };
  if (s.attended === false) return { text: 'Did not attend', colour: 'orange' };
  const days = daysBetween(today, s.scheduled_on);
  if (days < 0) return { text: 'Overdue', colour: 'red' };
  if (days === 0) return { text: 'Due today', colour: 'blue' };
  return { text: 'Booked', colour: 'grey' };
}

/** What the adviser needs to do at a session, in a few words, for the diary. */
export function whatIsDue(kind: string, quitDate: IsoDate | null, today: IsoDate): string {
  switch (kind) {
    case 'pre_quit_assessment':
      return 'pre-quit assessment: smoking, CO reading, beliefs about smoking and mood, choice of medicine or vape';
    case 'quit_date':
      return 'quit date: CO reading, first supply, explain the "not a puff" rule';
    case 'week_1':
    case 'week_2':
    case 'week_3':
      return 'weekly support: CO reading, any smoking since the last session (not a puff), cravings, withdrawal, supply';
    case 'four_week_follow_up':
      return quitDate
        ? `four-week follow-up: window closes ${formatDate(followUpWindow(quitDate).closes, today)}`
        : 'four-week follow-up';
    case 'twelve_week_follow_up':
      return '12-week follow-up (local): still not smoking? CO reading if you can';
    case 'fifty_two_week_follow_up':
      return '52-week follow-up (local): still not smoking? CO reading if you can';
    default:
      return 'extra support session: CO reading, mood, any smoking since the last session';
  }
}

export async function treatmentSection(
  db: Database,
  episode: EpisodeRow,
  today: string,
): Promise<Record<string, unknown>> {
  const [assessment, sessions, aids, outcome, locals, openSafetyTasks] = await Promise.all([
    repo.findAssessment(db, episode.id),
    repo.listSessions(db, episode.id),
    repo.listAids(db, episode.id),
    repo.findOutcome(db, episode.id),
    repo.listLocalOutcomes(db, episode.id),
    openSafetyTaskCount(db, episode.id),
  ]);
  const quitDate = episode.quit_date;
  const base = `/episodes/${episode.id}`;
  const closed = !!episode.closed_at;

  let followUp: { message: string; detail: string } | null = null;
  if (quitDate && !outcome) {
    const status = followUpStatus(quitDate, today);
    followUp = {
      message: status.message,
      detail: decideFourWeekOutcome({ quitDate, followUp: null, today }).reason,
    };
  }

  return {
    base,
    closed,
    today,
    openSafetyTasks,
    assessment: assessment ? assessmentSummary(assessment) : null,
    plan: {
      quitDate: quitDate ? formatDate(quitDate) : null,
      interventionType: episode.intervention_type
        ? labelOf(INTERVENTION_SESSION_TYPES, episode.intervention_type)
        : null,
      setting: episode.setting ? labelOf(DEFAULT_SETTINGS, episode.setting) : null,
    },
    sessions: sessions.map((s) => sessionRow(s, episode, today)),
    aids: aids.map((a) => ({
      label: labelOf(AIDS, a.aid),
      suppliedOn: formatDate(a.supplied_on),
      supply: a.supply,
    })),
    followUp,
    outcome: outcome
      ? {
          label: OUTCOME_LABELS[outcome.outcome],
          reason: outcome.reason,
          byJob: outcome.recorded_by === null,
        }
      : null,
    localOutcomes: locals.map((l) => ({
      weeks: l.weeks,
      contactOn: formatDate(l.contact_on),
      abstinent: l.abstinent,
      coPpm: l.co_ppm,
    })),
    coVerifiedBelow: FOUR_WEEK_RULE.coVerifiedBelowPpm,
  };
}

function assessmentSummary(assessment: repo.AssessmentRow) {
  return {
    assessedOn: formatDate(assessment.assessed_on),
    cigarettesPerDay:
      assessment.cigarettes_per_day === null ? 'Not recorded' : String(assessment.cigarettes_per_day),
    timeToFirst: labelOf(TIME_TO_FIRST_CIGARETTE, assessment.time_to_first_cigarette),
    heaviness:
      assessment.heaviness_index === null
        ? 'Not worked out'
        : `${assessment.heaviness_index}: ${HEAVINESS_LABELS[heavinessLevel(assessment.heaviness_index)]}`,
    coPpm: assessment.co_ppm,
  };
}

function sessionRow(s: repo.SessionRow, episode: EpisodeRow, today: IsoDate) {
  const base = `/episodes/${episode.id}`;
  return {
    id: s.id,
    href: `${base}/sessions/${s.id}`,
    appointmentHref: `${base}/sessions/${s.id}/appointment`,
    label: sessionLabel(s.kind),
    due: formatDate(s.scheduled_on),
    // Once the four-week outcome is decided, standard sessions never held are history, not overdue work
    // (the diary leaves them out for the same reason).
    status:
      episode.four_week_outcome &&
      s.attended === null &&
      (SESSION_KINDS as readonly string[]).includes(s.kind)
        ? { text: 'Not held', colour: 'grey' }
        : sessionStatus(s, today),
    recorded: s.attended !== null,
    mode: s.mode ? labelOf(SESSION_MODES, s.mode) : null,
    coPpm: s.co_ppm,
    smoked: s.smoked_since_last === null ? null : s.smoked_since_last ? 'Yes' : 'No',
  };
}
