// The steps an adviser takes in a treatment episode, for the demo episodes: each goes through the
// product's own service, so the demo data obeys the same rules (decideFourWeekOutcome decides the
// four-week outcome; alerts and safety tasks are raised by the services that raise them).
import type { Database } from '../db/database.ts';
import type { StaffUser } from '../platform/roles.ts';
import type { IsoDate } from '../platform/dates.ts';
import { startEpisodeForNewPerson } from '../modules/episodes/episode.service.ts';
import type { EpisodeMentalHealth, MentalHealthBasis } from '../modules/treatment/treatment.schemas.ts';
import { heavinessOfSmokingIndex, type TimeToFirstCigarette } from '../modules/episodes/heaviness.ts';
import { activeAffectedMedicines, insertEpisodeMedicine } from '../modules/medicines/medicines.repository.ts';
import { matchMedicines } from '../modules/medicines/medicines.ts';
import { recordMood } from '../modules/mood/mood.service.ts';
import { scoreGad7, scorePhq9 } from '../modules/mood/mood.ts';
import { storeFourWeekOutcome } from '../modules/treatment/outcome.service.ts';
import type { Aid, SessionMode } from '../modules/episodes/programme.ts';
import { listSessions } from '../modules/treatment/treatment.repository.ts';
import { saveAssessment } from '../modules/treatment/assessment.service.ts';
import { savePlan } from '../modules/treatment/plan.service.ts';
import { recordSession } from '../modules/treatment/session.service.ts';
import { audit } from '../platform/audit.ts';
import { londonInstant } from '../platform/london-time.ts';
import { LEEDS } from './demo-organisations.ts';

/** Who records the demo episodes, where, and the day the demo is built from. */
export type DemoAdviser = { db: Database; adviser: StaffUser; today: IsoDate };

export type DemoPerson = {
  givenName: string;
  familyName: string;
  dateOfBirth: IsoDate;
  postcode: string;
  phone: string;
  mentalHealth: EpisodeMentalHealth;
  inTalkingTherapies: 'yes' | 'no';
};

export type DemoAssessment = {
  cigarettesPerDay: number;
  timeToFirstCigarette: TimeToFirstCigarette;
  coPpm: number;
  mentalHealth: EpisodeMentalHealth;
  mentalHealthBasis: MentalHealthBasis;
  inTalkingTherapies: 'yes' | 'no' | 'not_known';
  pastQuitAttempts?: number;
  whatHelped?: string;
  beliefs?: string;
  goals?: string;
  preferences?: string;
};

export type DemoSession = {
  mode?: SessionMode;
  coPpm?: number;
  smokedSinceLast?: boolean;
  cravings?: number;
  withdrawal?: string;
  notes?: string;
  aid?: { aid: Aid; supply: string };
  /** Only at the four-week follow-up: records the national outcome, decided by decideFourWeekOutcome. */
  smokedDays15to28?: boolean;
};

/** A Leeds episode for someone who came without a referral; returns the episode's id. */
export async function startDirect(a: DemoAdviser, p: DemoPerson): Promise<string> {
  const started = await startEpisodeForNewPerson(
    a.db,
    a.adviser,
    { ...p, email: undefined, nhsNumber: undefined },
    { localAuthorityCode: LEEDS, startedOn: a.today },
  );
  return started.episodeId;
}

/** The service stamps the episode's start itself; the demo moves it to the day it stands for. */
export async function setStartedOn(a: DemoAdviser, episodeId: string, day: IsoDate): Promise<void> {
  await a.db.updateTable('episodes').set({ started_on: day }).where('id', '=', episodeId).execute();
}

export async function assess(
  a: DemoAdviser,
  episodeId: string,
  assessedOn: IsoDate,
  x: DemoAssessment,
): Promise<void> {
  const hsi = heavinessOfSmokingIndex({
    cigarettesPerDay: x.cigarettesPerDay,
    timeToFirstCigarette: x.timeToFirstCigarette,
  });
  if (!hsi.ok) throw new Error(`Demo assessment: ${hsi.errors.map((e) => e.message).join('; ')}`);
  await saveAssessment(a.db, a.adviser, episodeId, {
    assessedOn,
    cigarettesPerDay: x.cigarettesPerDay,
    timeToFirstCigarette: x.timeToFirstCigarette,
    heavinessIndex: hsi.score,
    pastQuitAttempts: x.pastQuitAttempts ?? null,
    whatHelped: x.whatHelped ?? null,
    coPpm: x.coPpm,
    vapingStatus: 'never',
    mentalHealth: x.mentalHealth,
    mentalHealthBasis: x.mentalHealthBasis,
    inTalkingTherapies: x.inTalkingTherapies,
    beliefs: x.beliefs ?? null,
    goals: x.goals ?? null,
    preferences: x.preferences ?? null,
  });
}

async function sessionOf(a: DemoAdviser, episodeId: string, kind: string): Promise<string> {
  const s = (await listSessions(a.db, episodeId)).find((x) => x.kind === kind);
  if (!s) throw new Error(`Demo episode has no ${kind} session`);
  return s.id;
}

/** A PHQ-9 and a GAD-7 taken at the episode's session of `sessionKind`. */
export async function mood(
  a: DemoAdviser,
  episodeId: string,
  takenOn: IsoDate,
  answers: { phq9: number[]; gad7: number[]; sessionKind: string },
): Promise<void> {
  const sessionId = await sessionOf(a, episodeId, answers.sessionKind);
  for (const [instrument, items, scored] of [
    ['phq9', answers.phq9, scorePhq9(answers.phq9)],
    ['gad7', answers.gad7, scoreGad7(answers.gad7)],
  ] as const) {
    if (!scored.ok) throw new Error(`Demo ${instrument}: ${scored.errors.join('; ')}`);
    await recordMood(a.db, a.adviser, episodeId, {
      instrument,
      items: [...items],
      total: scored.total,
      takenOn,
      sessionId,
    });
  }
}

export async function plan(a: DemoAdviser, episodeId: string, quitDate: IsoDate): Promise<void> {
  await savePlan(
    a.db,
    a.adviser,
    episodeId,
    { quitDate, interventionType: '08', setting: 'community', aid: null },
    // Midday in England on the demonstration's day: nobody in it has agreed to messages, so none is planned.
    { today: a.today, now: londonInstant(a.today, '12:00')! },
  );
}

/** The episode's session of `kind`, attended on `heldOn`, or missed when it is null. */
export async function session(
  a: DemoAdviser,
  episodeId: string,
  kind: string,
  heldOn: IsoDate | null,
  s: DemoSession = {},
): Promise<void> {
  const sessionId = await sessionOf(a, episodeId, kind);
  await recordSession(
    a.db,
    a.adviser,
    episodeId,
    sessionId,
    {
      attended: heldOn !== null,
      heldOn,
      mode: heldOn ? (s.mode ?? 'in_person') : null,
      coPpm: s.coPpm ?? null,
      smokedSinceLast: s.smokedSinceLast ?? null,
      cravings: s.cravings ?? null,
      withdrawal: s.withdrawal ?? null,
      notes: s.notes ?? null,
      smokedDays15to28: s.smokedDays15to28 ?? null,
      aid: s.aid && heldOn ? { aid: s.aid.aid, suppliedOn: heldOn, supply: s.aid.supply } : null,
    },
    a.today,
    storeFourWeekOutcome,
  );
}

/** As the "Add a medicine" page records it: matched against the list, and audited. */
export async function medicine(
  a: DemoAdviser,
  episodeId: string,
  name: string,
  prescriberName: string,
): Promise<void> {
  const listed = matchMedicines([name], await activeAffectedMedicines(a.db)).map((m) => m.medicine);
  const id = await insertEpisodeMedicine(a.db, {
    episodeId,
    name,
    medicineCode: listed[0]?.code ?? null,
    prescriberKind: 'psychiatrist',
    prescriberName,
    userId: a.adviser.id,
  });
  await audit(a.db, a.adviser, {
    action: 'create',
    entityType: 'episode_medicine',
    entityId: id,
    detail: listed.length ? `on the list: ${listed.map((m) => m.code).join(', ')}` : 'not on the list',
  });
}
