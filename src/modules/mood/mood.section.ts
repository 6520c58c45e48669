// What the episode page shows of mood: open safety tasks at the very top (_mood-alerts.njk), and the
// latest PHQ-9 and GAD-7, change since the start, and a chart (_mood.njk). The scoring, bands and measures
// of change are mood.ts's; this file only picks the scores to compare and words the result.
import type { Config } from '../../config.ts';
import { formatDate } from '../../platform/dates.ts';
import type { EpisodeRow } from '../episodes/episode.service.ts';
import type { Executor } from '../../db/database.ts';
import { chartRows, moodChartSvg, type ChartPoint } from './mood-chart.ts';
import {
  ANSWER_OPTIONS,
  describeMoodChange,
  isAtCaseness,
  recovery,
  reliableChange,
  unpairedMeasures,
  type MoodScores,
  type Recovery,
  type ReliableChange,
} from './mood.ts';
import { type MoodThresholds } from '../../config.ts';
import * as repo from './mood.repository.ts';
import { bandLabel, INSTRUMENT_INFO, INSTRUMENTS, type Instrument } from './mood.schemas.ts';

type MoodConfig = Pick<Config, 'moodThresholds' | 'safetyProtocol'>;
type Measure = Pick<repo.MeasureRow, 'id' | 'instrument' | 'total' | 'taken_on' | 'session_kind'>;
type Task = Pick<
  repo.SafetyTaskRow,
  | 'id'
  | 'raised_at'
  | 'completed_at'
  | 'action_taken'
  | 'raised_by_name'
  | 'completed_by_name'
  | 'measure_taken_on'
  | 'measure_items'
>;

export const RECOVERY_TEXT: Record<Exclude<Recovery, 'not_enough_data'>, string> = {
  recovered:
    'Recovered: at or above the caseness threshold on PHQ-9 or GAD-7 at the start, and below it on both now.',
  not_recovered: 'Not yet recovered: still at or above the caseness threshold on PHQ-9 or GAD-7.',
  not_at_caseness_at_start:
    'Recovery does not apply: below the caseness threshold on both PHQ-9 and GAD-7 at the start.',
};

export const RELIABLE_CHANGE_TEXT: Record<Exclude<ReliableChange['overall'], 'not_enough_data'>, string> = {
  reliable_improvement:
    'Reliable improvement: a fall bigger than the usual ups and downs, and no such rise on the other questionnaire.',
  reliable_deterioration: 'Reliable deterioration: a rise bigger than the usual ups and downs.',
  no_reliable_change: 'No reliable change yet: any change is within the usual ups and downs.',
};

/** Why recovery and reliable improvement cannot be said yet, naming the questionnaires still needed. */
export function notPairedText(missing: readonly string[]): string {
  const list = missing.join(' and ');
  return (
    'Recovery and reliable improvement are judged on PHQ-9 and GAD-7 both taken at the start and again later. ' +
    `${list} ${missing.length === 1 ? 'has' : 'have'} not been taken at both points yet.`
  );
}

function casenessOf(instrument: Instrument, total: number, t: MoodThresholds) {
  const scores: MoodScores = { phq9: null, gad7: null };
  scores[instrument] = total;
  return { atCaseness: isAtCaseness(scores, t), threshold: t.caseness[instrument] };
}

/** What item 9 was answered, in the questionnaire's words. */
function item9Answer(items: readonly number[] | null): string | null {
  const v = items?.[8];
  return ANSWER_OPTIONS.find((o) => o.value === v)?.label ?? null;
}

/** The completed task's text as paragraphs, so the template never needs to trust line breaks. */
const paragraphs = (text: string | null) =>
  (text ?? '')
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean);

type ByInstrument = (m: Instrument) => Measure[];

/** Each questionnaire's latest score, its band and caseness, and its first score when there are more. */
function latestScores(byInstrument: ByInstrument, t: MoodThresholds) {
  return INSTRUMENTS.flatMap((m) => {
    const own = byInstrument(m);
    const last = own[own.length - 1];
    const first = own[0];
    if (!last || !first) return [];
    const c = casenessOf(m, last.total, t);
    return [
      {
        instrument: m,
        name: INSTRUMENT_INFO[m].name,
        title: INSTRUMENT_INFO[m].title,
        total: last.total,
        max: INSTRUMENT_INFO[m].max,
        band: bandLabel(m, last.total),
        takenOn: last.taken_on,
        count: own.length,
        baseline: own.length > 1 ? { total: first.total, takenOn: first.taken_on } : null,
        atCaseness: c.atCaseness,
        casenessText: c.atCaseness
          ? `At caseness (${c.threshold} or more)`
          : `Below caseness (under ${c.threshold})`,
      },
    ];
  });
}

/** Change since the start, in words; null until a questionnaire has been taken twice. */
function moodChange(byInstrument: ByInstrument, t: MoodThresholds) {
  // Change is judged on measures taken at least twice: first (baseline) against latest.
  const baseline: MoodScores = { phq9: null, gad7: null };
  const current: MoodScores = { phq9: null, gad7: null };
  for (const m of INSTRUMENTS) {
    const own = byInstrument(m);
    if (own.length < 2) continue;
    baseline[m] = own[0]!.total;
    current[m] = own[own.length - 1]!.total;
  }
  const compared = INSTRUMENTS.some((m) => baseline[m] !== null);
  if (!compared) return null;
  const reliable = reliableChange(baseline, current, t);
  const recovered = recovery(baseline, current, t);
  const missing = unpairedMeasures(baseline, current);
  return {
    sentence: describeMoodChange(baseline, current, t),
    improved: INSTRUMENTS.some(
      (m) => baseline[m] !== null && (current[m] as number) < (baseline[m] as number),
    ),
    worse: INSTRUMENTS.some((m) => baseline[m] !== null && (current[m] as number) > (baseline[m] as number)),
    reliableImprovement: reliable.overall === 'reliable_improvement',
    recovered: recovered === 'recovered',
    recoveryText: recovered === 'not_enough_data' ? null : RECOVERY_TEXT[recovered],
    reliableChangeText:
      reliable.overall === 'not_enough_data' ? null : RELIABLE_CHANGE_TEXT[reliable.overall],
    notPairedText: missing.length > 0 ? notPairedText(missing) : null,
  };
}

const taskView = (x: Task) => ({
  id: x.id,
  raisedAt: x.raised_at,
  raisedBy: x.raised_by_name,
  measureTakenOn: x.measure_taken_on ? formatDate(x.measure_taken_on) : null,
  item9Answer: item9Answer(x.measure_items),
  completedAt: x.completed_at,
  completedBy: x.completed_by_name,
  actionTaken: paragraphs(x.action_taken),
});

/** Pure: the view of mood for one episode from its measures (oldest first) and safety tasks. */
export function buildMoodSection(
  episode: Pick<EpisodeRow, 'id' | 'given_name'>,
  measures: readonly Measure[],
  tasks: readonly Task[],
  config: MoodConfig,
) {
  const t = config.moodThresholds;
  const byInstrument = (m: Instrument) => measures.filter((x) => x.instrument === m);
  const points: ChartPoint[] = measures.map((m) => ({
    instrument: m.instrument,
    takenOn: m.taken_on,
    total: m.total,
  }));
  const rows = chartRows(points).map((r) => ({ ...r, band: bandLabel(r.instrument, r.total) }));

  return {
    episodeId: episode.id,
    givenName: episode.given_name,
    latest: latestScores(byInstrument, t),
    change: moodChange(byInstrument, t),
    chartSvg: moodChartSvg(points, { id: `mood-chart-${episode.id}` }),
    rows,
    thresholds: t,
    safety: {
      protocol: config.safetyProtocol,
      open: tasks.filter((x) => !x.completed_at).map(taskView),
      completed: tasks.filter((x) => x.completed_at).map(taskView),
    },
  };
}
export type MoodSectionView = ReturnType<typeof buildMoodSection>;

export async function moodSection(
  db: Executor,
  episode: EpisodeRow,
  config: MoodConfig,
): Promise<MoodSectionView> {
  const [measures, tasks] = await Promise.all([
    repo.measuresOfEpisode(db, episode.id),
    repo.safetyTasksOfEpisode(db, episode.id),
  ]);
  return buildMoodSection(episode, measures, tasks, config);
}
