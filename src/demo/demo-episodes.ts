import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import type { StaffUser } from '../platform/roles.ts';
import { addDays, type IsoDate } from '../platform/dates.ts';
import { startEpisodeFromReferral } from '../modules/episodes/episode.service.ts';
import { MARK_LOST_JOB } from '../modules/treatment/outcome.service.ts';
import { londonDate, type Clock } from '../platform/clock.ts';
import { runJobOnce } from '../platform/jobs.ts';
import { savePreferences } from '../modules/messages/message-preferences.service.ts';
import { insertTask } from '../modules/messages/messages.repository.ts';
import {
  assess,
  medicine,
  mood,
  plan,
  session,
  setStartedOn,
  startDirect,
  type DemoAdviser,
} from './demo-episode-steps.ts';

const middayOf = (d: IsoDate) => new Date(`${d}T12:00:00Z`);

/**
 * Leeds treatment episodes at the stages an adviser meets every day, recorded through the product's own
 * services so they obey the same rules (the four-week outcome is decideFourWeekOutcome's, alerts and safety
 * tasks are raised by the services that raise them):
 *   - Morgan Hughes, from the accepted demo referral, in their quit attempt: assessed about 9 days ago
 *     (the day the referral was accepted), quit date 7 days ago, week 1 session today, PHQ-9 and GAD-7 at
 *     baseline, taking olanzapine with the quit date medicine alert open;
 *   - Dana Whitaker, quit date 35 days ago, CO-verified quit at four weeks, mood much improved;
 *   - Kerry Dawson, quit date 50 days ago, not reached: marked lost to follow-up by the job, run once;
 *   - Jo Brennan, assessed today, PHQ-9 question 9 answered "Several days": an open safety task.
 * The services accept past dates; only the dates they stamp themselves (episode start, when the medicine
 * alert was raised, when the referrer was told the quit date) are moved to the day they stand for.
 */
export async function loadDemoEpisodes(
  db: Database,
  adviser: StaffUser,
  acceptedReferralId: string,
  clock: Clock,
): Promise<void> {
  const a: DemoAdviser = { db, adviser, today: clock.today() };
  await morganHughes(a, acceptedReferralId);
  await morganAskedForACall(a, clock);
  await danaWhitaker(a);
  await kerryDawson(a, clock);
  await joBrennan(a);
}

/**
 * Morgan agreed to texts from 9am to 8pm (their check-ins at weeks 2 and 4 are planned), and answered this
 * week's check-in "Please call me": the task heads the caseload.
 */
async function morganAskedForACall(a: DemoAdviser, clock: Clock): Promise<void> {
  const episode = await a.db
    .selectFrom('episodes as e')
    .innerJoin('people as p', 'p.id', 'e.person_id')
    .select(['e.id', 'e.person_id'])
    .where('p.given_name', '=', 'Morgan')
    .where('p.family_name', '=', 'Hughes')
    .executeTakeFirstOrThrow();
  await savePreferences(
    a.db,
    a.adviser,
    episode,
    { consent: true, channel: 'sms', earliestHour: 9, latestHour: 20 },
    clock.now(),
  );
  await insertTask(a.db, { episodeId: episode.id, messageId: null, kind: 'call_me', now: clock.now() });
}

// Morgan Hughes: assessed the day the referral was accepted, quit a week ago, week 1 session today.
async function morganHughes(a: DemoAdviser, acceptedReferralId: string): Promise<void> {
  const { db, today } = a;
  const ago = (days: number) => addDays(today, -days);
  const accepted = await db
    .selectFrom('referral_events')
    .select('occurred_at')
    .where('referral_id', '=', acceptedReferralId)
    .where('kind', '=', 'accepted')
    .executeTakeFirstOrThrow();
  const acceptedOn = londonDate(new Date(accepted.occurred_at));
  const morgan = (
    await startEpisodeFromReferral(db, a.adviser, acceptedReferralId, { startedOn: acceptedOn })
  ).episodeId;
  await assess(a, morgan, acceptedOn, {
    cigarettesPerDay: 25,
    timeToFirstCigarette: 'within_5',
    coPpm: 24,
    mentalHealth: 'other',
    mentalHealthBasis: 'diagnosed',
    inTalkingTherapies: 'no',
    pastQuitAttempts: 3,
    whatHelped: 'Patches helped for a few days; stopped when their mood dipped.',
    beliefs:
      'Feels smoking is the one thing that keeps them calm, and worries that stopping will bring their low mood back.',
    goals: 'To stop for good, and to save for a holiday.',
    preferences: 'Combination NRT. Phone calls on weekday mornings, seen in person for CO readings.',
  });
  await medicine(a, morgan, 'Olanzapine 10mg tablets', 'Dr Ana Rees');
  await mood(a, morgan, acceptedOn, {
    phq9: [2, 2, 1, 2, 1, 1, 1, 1, 0],
    gad7: [2, 2, 1, 1, 1, 1, 1],
    sessionKind: 'pre_quit_assessment',
  });
  await plan(a, morgan, ago(7));
  await session(a, morgan, 'quit_date', ago(7), {
    mode: 'telephone',
    cravings: 4,
    aid: { aid: 'combination_nrt', supply: '2 weeks of 21 mg patches and 2 mg lozenges' },
    notes: 'Set up with patches and lozenges. Agreed a plan for the first evening.',
  });
  await session(a, morgan, 'week_1', today, {
    coPpm: 5,
    smokedSinceLast: false,
    cravings: 3,
    withdrawal: 'Irritable in the evenings, and sleeping badly.',
    notes: 'Not a puff all week. Talked through how withdrawal can feel like low mood, and that it passes.',
  });
  // The quit date was set, and the referrer told, on the day of the assessment.
  await db
    .updateTable('medicine_alerts')
    .set({ raised_at: middayOf(acceptedOn) })
    .where('episode_id', '=', morgan)
    .execute();
  await db
    .updateTable('referral_events')
    .set({
      occurred_at: sql`greatest(${middayOf(acceptedOn)}::timestamptz, ${accepted.occurred_at}::timestamptz + interval '1 hour')`,
    })
    .where('referral_id', '=', acceptedReferralId)
    .where('kind', '=', 'quit_date_set')
    .execute();
}

// Dana Whitaker: a CO-verified quit at four weeks, with their mood much better than at the start.
async function danaWhitaker(a: DemoAdviser): Promise<void> {
  const ago = (days: number) => addDays(a.today, -days);
  const dana = await startDirect(a, {
    givenName: 'Dana',
    familyName: 'Whitaker',
    dateOfBirth: '1979-02-11',
    postcode: 'LS12 1UQ',
    phone: '07700 900311',
    mentalHealth: 'depression',
    inTalkingTherapies: 'yes',
  });
  await setStartedOn(a, dana, ago(40));
  await assess(a, dana, ago(40), {
    cigarettesPerDay: 15,
    timeToFirstCigarette: '6_to_30',
    coPpm: 19,
    mentalHealth: 'depression',
    mentalHealthBasis: 'diagnosed',
    inTalkingTherapies: 'yes',
    pastQuitAttempts: 1,
    goals: 'To be smoke-free for their grandchildren.',
  });
  await mood(a, dana, ago(40), {
    phq9: [2, 2, 2, 2, 1, 2, 1, 1, 0],
    gad7: [2, 2, 2, 1, 1, 1, 1],
    sessionKind: 'pre_quit_assessment',
  });
  await plan(a, dana, ago(35));
  await session(a, dana, 'quit_date', ago(35), {
    coPpm: 8,
    cravings: 4,
    aid: { aid: 'varenicline', supply: '2 weeks: starter pack' },
  });
  await session(a, dana, 'week_1', ago(28), {
    coPpm: 4,
    smokedSinceLast: false,
    cravings: 3,
    withdrawal: 'Low mood for a couple of days, then better.',
  });
  await session(a, dana, 'week_2', ago(21), {
    coPpm: 3,
    smokedSinceLast: false,
    cravings: 2,
    aid: { aid: 'varenicline', supply: '4 weeks' },
  });
  await session(a, dana, 'week_3', ago(14), { coPpm: 3, smokedSinceLast: false, cravings: 1 });
  await session(a, dana, 'four_week_follow_up', ago(7), {
    coPpm: 3,
    smokedSinceLast: false,
    smokedDays15to28: false,
    cravings: 1,
    notes: 'Not a puff since the quit date. Proud of themselves.',
  });
  await mood(a, dana, ago(7), {
    phq9: [1, 1, 1, 1, 0, 1, 0, 0, 0],
    gad7: [1, 1, 1, 0, 0, 1, 0],
    sessionKind: 'four_week_follow_up',
  });
}

// Kerry Dawson: came to the first sessions, then could not be reached; the job marks them lost.
async function kerryDawson(a: DemoAdviser, clock: Clock): Promise<void> {
  const ago = (days: number) => addDays(a.today, -days);
  const kerry = await startDirect(a, {
    givenName: 'Kerry',
    familyName: 'Dawson',
    dateOfBirth: '1990-09-30',
    postcode: 'LS9 8AU',
    phone: '07700 900412',
    mentalHealth: 'anxiety',
    inTalkingTherapies: 'no',
  });
  await setStartedOn(a, kerry, ago(55));
  await assess(a, kerry, ago(55), {
    cigarettesPerDay: 12,
    timeToFirstCigarette: '31_to_60',
    coPpm: 15,
    mentalHealth: 'anxiety',
    mentalHealthBasis: 'self_reported',
    inTalkingTherapies: 'no',
  });
  await mood(a, kerry, ago(55), {
    phq9: [1, 1, 1, 1, 0, 1, 0, 0, 0],
    gad7: [2, 2, 2, 1, 1, 1, 1],
    sessionKind: 'pre_quit_assessment',
  });
  await plan(a, kerry, ago(50));
  await session(a, kerry, 'quit_date', ago(50), {
    coPpm: 9,
    cravings: 4,
    aid: { aid: 'e_cigarette_swap_to_stop', supply: 'Swap to Stop starter kit' },
  });
  await session(a, kerry, 'week_1', ago(43), { mode: 'telephone', smokedSinceLast: false, cravings: 3 });
  await session(a, kerry, 'week_2', null, { notes: 'No answer; left a voicemail and sent a text.' });
  await runJobOnce(a.db, MARK_LOST_JOB, clock);
}

// Jo Brennan: assessed today; PHQ-9 question 9 answered "Several days" raises a safety task.
async function joBrennan(a: DemoAdviser): Promise<void> {
  const jo = await startDirect(a, {
    givenName: 'Jo',
    familyName: 'Brennan',
    dateOfBirth: '1995-12-03',
    postcode: 'LS7 3JB',
    phone: '07700 900513',
    mentalHealth: 'both',
    inTalkingTherapies: 'yes',
  });
  await assess(a, jo, a.today, {
    cigarettesPerDay: 20,
    timeToFirstCigarette: '6_to_30',
    coPpm: 21,
    mentalHealth: 'both',
    mentalHealthBasis: 'diagnosed',
    inTalkingTherapies: 'yes',
  });
  await mood(a, jo, a.today, {
    phq9: [2, 2, 2, 2, 1, 2, 2, 1, 1],
    gad7: [2, 2, 2, 2, 1, 2, 1],
    sessionKind: 'pre_quit_assessment',
  });
}
