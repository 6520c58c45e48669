import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import type { Role } from '../db/schema.ts';
import { hashPassword } from '../platform/passwords.ts';
import type { StaffUser } from '../platform/roles.ts';
import type { PostcodeLookup } from '../platform/postcode-lookup.ts';
import { actOnReferral, createReferral } from '../modules/referrals/referral.service.ts';
import type { ReferralInput } from '../modules/referrals/referral.schemas.ts';
import { addDays, type IsoDate } from '../platform/dates.ts';
import { startEpisodeForNewPerson, startEpisodeFromReferral } from '../modules/episodes/episode.service.ts';
import type { EpisodeMentalHealth, MentalHealthBasis } from '../modules/treatment/treatment.schemas.ts';
import { heavinessOfSmokingIndex, type TimeToFirstCigarette } from '../modules/episodes/heaviness.ts';
import { activeAffectedMedicines, insertEpisodeMedicine } from '../modules/medicines/medicines.repository.ts';
import { matchMedicines } from '../modules/medicines/medicines.ts';
import { recordMood } from '../modules/mood/mood.service.ts';
import { scoreGad7, scorePhq9 } from '../modules/mood/mood.ts';
import { MARK_LOST_JOB, storeFourWeekOutcome } from '../modules/treatment/outcome.service.ts';
import type { Aid, SessionMode } from '../modules/episodes/programme.ts';
import { listSessions } from '../modules/treatment/treatment.repository.ts';
import { saveAssessment } from '../modules/treatment/assessment.service.ts';
import { savePlan } from '../modules/treatment/plan.service.ts';
import { recordSession } from '../modules/treatment/session.service.ts';
import { londonDate, type Clock } from '../platform/clock.ts';
import { audit } from '../platform/audit.ts';
import { runJobOnce } from '../platform/jobs.ts';
import { loadDemoHistory } from './demo-history.ts';
import { loadDemoStrategies } from './demo-strategy.ts';
import { loadDemoCampaigns } from './demo-campaigns.ts';
import { loadDemoPartners } from './demo-partners.ts';

export const LEEDS = 'E08000035';
export const MANCHESTER = 'E08000003';

export const DEMO_ACCOUNTS: { email: string; name: string; role: Role; org: keyof Orgs }[] = [
  { email: 'referrer@demo.test', name: 'Riya Patel', role: 'referrer', org: 'leedsTalkingTherapies' },
  { email: 'adviser@demo.test', name: 'Adam Clarke', role: 'adviser', org: 'leedsService' },
  { email: 'manager@demo.test', name: 'Mina Hussain', role: 'service_manager', org: 'leedsService' },
  { email: 'commissioner@demo.test', name: 'Chris Owen', role: 'commissioner', org: 'leedsCouncil' },
  { email: 'analyst@demo.test', name: 'Ana Silva', role: 'national_analyst', org: 'nationalBody' },
  { email: 'admin@demo.test', name: 'Alex Morgan', role: 'administrator', org: 'leedsCouncil' },
  {
    email: 'national.admin@demo.test',
    name: 'Nia Roberts',
    role: 'national_administrator',
    org: 'nationalBody',
  },
  { email: 'adviser.manchester@demo.test', name: 'Megan Doyle', role: 'adviser', org: 'manchesterService' },
  { email: 'referrer.gp@demo.test', name: 'Gareth Price', role: 'referrer', org: 'leedsGp' },
  { email: 'referrer.foodbank@demo.test', name: 'Fran Okafor', role: 'referrer', org: 'leedsFoodbank' },
];

type Orgs = {
  leedsService: string;
  manchesterService: string;
  leedsTalkingTherapies: string;
  leedsGp: string;
  leedsFoodbank: string;
  manchesterTalkingTherapies: string;
  leedsCouncil: string;
  nationalBody: string;
};

export function generateDemoPassword(): string {
  return `demo-${randomBytes(9).toString('base64url')}`;
}

export async function hasAnyOrganisation(db: Database): Promise<boolean> {
  const row = await db.selectFrom('organisations').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}

/**
 * Two local authorities with services, referrers of each kind, one account per role and referrals in
 * every state. Goes through the same services as the product, so the data obeys the same rules.
 */
export async function loadDemoData(
  db: Database,
  postcodes: PostcodeLookup,
  password: string,
  options: { clock: Clock; history?: boolean },
): Promise<void> {
  const { clock } = options;
  const today = clock.today();
  const org = async (name: string, type: string, la: string | null) =>
    (
      await db
        .insertInto('organisations')
        .values({ name, type, local_authority_code: la, ods_code: null, email: null, phone: null })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const orgs: Orgs = {
    leedsService: await org('Leeds Stop Smoking Service', 'stop_smoking_service', LEEDS),
    manchesterService: await org('Manchester Stop Smoking Service', 'stop_smoking_service', MANCHESTER),
    leedsTalkingTherapies: await org('Leeds NHS Talking Therapies', 'talking_therapies', LEEDS),
    leedsGp: await org('Hyde Park Surgery', 'gp_practice', LEEDS),
    leedsFoodbank: await org('Leeds North Foodbank', 'foodbank', LEEDS),
    manchesterTalkingTherapies: await org(
      'Manchester NHS Talking Therapies',
      'talking_therapies',
      MANCHESTER,
    ),
    leedsCouncil: await org('Leeds City Council Public Health', 'local_authority', LEEDS),
    nationalBody: await org('National Stop Smoking Data Team', 'national_body', null),
  };
  await db
    .insertInto('sites')
    .values([
      {
        organisation_id: orgs.leedsService,
        name: 'Leeds city centre clinic',
        address: 'Merrion Centre, Leeds',
        postcode: 'LS2 8NG',
      },
      {
        organisation_id: orgs.manchesterService,
        name: 'Manchester central clinic',
        address: 'Piccadilly, Manchester',
        postcode: 'M1 1AE',
      },
    ])
    .execute();
  await db
    .insertInto('commissions')
    .values([
      { local_authority_code: LEEDS, service_organisation_id: orgs.leedsService, starts_on: '2025-04-01' },
      {
        local_authority_code: MANCHESTER,
        service_organisation_id: orgs.manchesterService,
        starts_on: '2025-04-01',
      },
    ])
    .execute();
  await loadDemoDirectory(db, { leeds: orgs.leedsService, manchester: orgs.manchesterService });

  const hash = await hashPassword(password);
  const users: Record<string, StaffUser> = {};
  for (const a of DEMO_ACCOUNTS) {
    const row = await db
      .insertInto('users')
      .values({
        email: a.email,
        name: a.name,
        role: a.role,
        organisation_id: orgs[a.org],
        password_hash: hash,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const o = await db
      .selectFrom('organisations')
      .selectAll()
      .where('id', '=', orgs[a.org])
      .executeTakeFirstOrThrow();
    users[a.email] = {
      kind: 'user',
      id: row.id,
      email: a.email,
      name: a.name,
      role: a.role,
      organisationId: o.id,
      organisationName: o.name,
      organisationType: o.type,
      localAuthorityCode: o.local_authority_code,
    };
  }

  const deps = { db, postcodes };
  const person = (
    given: string,
    family: string,
    postcode: string,
    extra: Partial<ReferralInput> = {},
  ): ReferralInput => ({
    smokingStatus: '1',
    vapingStatus: 'never',
    adviceGiven: 'yes',
    acceptsReferral: 'yes',
    givenName: given,
    familyName: family,
    dateOfBirth: '1985-06-14',
    postcode,
    phone: '07700 900123',
    email: undefined,
    contactMethods: ['phone', 'text'],
    contactTimes: 'any',
    nhsNumber: undefined,
    mentalHealth: 'depression',
    inTalkingTherapies: 'yes',
    consentShareProgress: 'yes',
    language: undefined,
    accessNeeds: undefined,
    notes: undefined,
    ...extra,
  });
  const tt = users['referrer@demo.test']!;
  const gp = users['referrer.gp@demo.test']!;
  const fb = users['referrer.foodbank@demo.test']!;
  const adviser = users['adviser@demo.test']!;
  const mcr = users['adviser.manchester@demo.test']!;
  const max = 3;

  await createReferral(deps, tt, person('Sam', 'Taylor', 'LS6 1AN'));
  await createReferral(
    deps,
    gp,
    person('Priya', 'Shah', 'LS2 9JT', {
      mentalHealth: 'anxiety',
      inTalkingTherapies: 'no',
      email: 'priya@example.com',
      contactMethods: ['email'],
    }),
  );
  const contacted = await createReferral(
    deps,
    tt,
    person('Jordan', 'Lee', 'LS7 3JB', { mentalHealth: 'both' }),
  );
  await actOnReferral(db, adviser, contacted.id, { kind: 'contact', outcome: 'reached' }, max);
  const accepted = await createReferral(
    deps,
    fb,
    person('Morgan', 'Hughes', 'LS11 5DA', { mentalHealth: 'not_known', inTalkingTherapies: 'not_known' }),
  );
  await actOnReferral(db, adviser, accepted.id, { kind: 'contact', outcome: 'no_answer' }, max);
  await actOnReferral(db, adviser, accepted.id, { kind: 'contact', outcome: 'reached' }, max);
  await actOnReferral(db, adviser, accepted.id, { kind: 'accept' }, max);
  const declined = await createReferral(
    deps,
    gp,
    person('Casey', 'Brown', 'LS8 2PZ', { consentShareProgress: 'no' }),
  );
  await actOnReferral(db, adviser, declined.id, { kind: 'decline', reason: 'already_supported' }, max);
  const unreachable = await createReferral(
    deps,
    tt,
    person('Alex', 'Wood', 'LS9 8AU', { mentalHealth: 'anxiety' }),
  );
  for (const outcome of ['no_answer', 'voicemail', 'no_answer'] as const) {
    await actOnReferral(db, adviser, unreachable.id, { kind: 'contact', outcome }, max);
  }
  // Manchester's referral comes from its own Talking Therapies service; a Leeds adviser never sees it.
  const mcrTt = await db
    .insertInto('users')
    .values({
      email: 'referrer.manchester@demo.test',
      name: 'Maya Reid',
      role: 'referrer',
      organisation_id: orgs.manchesterTalkingTherapies,
      password_hash: hash,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const mcrReferrer: StaffUser = {
    kind: 'user',
    id: mcrTt.id,
    email: 'referrer.manchester@demo.test',
    name: 'Maya Reid',
    role: 'referrer',
    organisationId: orgs.manchesterTalkingTherapies,
    organisationName: 'Manchester NHS Talking Therapies',
    organisationType: 'talking_therapies',
    localAuthorityCode: MANCHESTER,
  };
  const m1 = await createReferral(deps, mcrReferrer, person('Robin', 'Ashworth', 'M1 1AE'));
  await actOnReferral(db, mcr, m1.id, { kind: 'contact', outcome: 'reached' }, max);
  await createReferral(
    deps,
    mcrReferrer,
    person('Jamie', 'Fletcher', 'M14 5TQ', { mentalHealth: 'depression' }),
  );

  // Spread the referrals over the past fortnight so the worklist shows realistic waiting times.
  const ages: [string, number][] = [
    ['Sam', 9],
    ['Priya', 6],
    ['Jordan', 4],
    ['Morgan', 12],
    ['Casey', 8],
    ['Alex', 14],
    ['Robin', 5],
    ['Jamie', 2],
  ];
  for (const [given, days] of ages) await backdate(db, clock, given, days);

  await loadDemoEpisodes(db, adviser, accepted.id, clock);
  await loadDemoStrategies(db, today);
  await loadDemoCampaigns(db, today);
  await loadDemoPartners(db, today);
  if (options.history) await loadDemoHistory(db, today);
}

/**
 * Public directory entries for the two services, with their places. Leeds offers support tailored for
 * anxiety and depression and Swap to Stop vape kits; Manchester offers neither. Positions are the
 * postcodes' own (OS Code-Point Open).
 */
export async function loadDemoDirectory(
  db: Database,
  services: { leeds: string; manchester: string },
): Promise<void> {
  const [leeds, manchester] = await db
    .insertInto('directory_services')
    .values([
      {
        organisation_id: services.leeds,
        description:
          'Free help to stop smoking for adults in Leeds. You see the same adviser every week, and you can have medicine or a vape to help with cravings.',
        phone: '0113 496 0000',
        email: 'stopsmoking@leeds.example.org',
        website: 'https://stopsmoking.leeds.example.org',
        opening_times: 'Monday to Friday, 9am to 5pm\nThursday evenings until 8pm',
        modes: ['in_person', 'telephone', 'video', 'text', 'group'],
        languages: ['English', 'Urdu', 'Punjabi', 'Polish'],
        tailored_support: true,
        tailored_support_text:
          'Longer first sessions, a mood check every week, and advisers trained to support people with anxiety or depression. With your say-so, we can keep your therapist up to date.',
        in_talking_therapies: true,
        aids: [
          'combination_nrt',
          'single_nrt',
          'varenicline',
          'cytisine',
          'e_cigarette',
          'e_cigarette_swap_to_stop',
        ],
        eligibility: 'Adults who live in Leeds or are registered with a Leeds GP.',
        published: true,
      },
      {
        organisation_id: services.manchester,
        description:
          'Free stop smoking support for people who live in Manchester, by phone, by video or face to face.',
        phone: '0161 496 0000',
        email: 'stopsmoking@manchester.example.org',
        website: 'https://stopsmoking.manchester.example.org',
        opening_times: 'Monday to Friday, 8am to 6pm',
        modes: ['in_person', 'telephone', 'video'],
        languages: ['English', 'Arabic', 'Somali'],
        tailored_support: false,
        in_talking_therapies: false,
        aids: ['combination_nrt', 'varenicline', 'cytisine', 'e_cigarette'],
        eligibility: 'Adults who live in Manchester.',
        published: true,
        tailored_support_text: null,
      },
    ])
    .returning('id')
    .execute();
  await db
    .insertInto('directory_locations')
    .values([
      {
        service_id: leeds!.id,
        name: 'Leeds city centre clinic',
        address: 'Merrion Centre\nLeeds',
        postcode: 'LS2 8NG',
        latitude: 53.801614,
        longitude: -1.544044,
        accessibility: 'Step-free entrance from Merrion Way. Hearing loop at reception.',
      },
      {
        service_id: leeds!.id,
        name: 'Armley community hub',
        address: 'Town Street\nArmley\nLeeds',
        postcode: 'LS12 1UQ',
        latitude: 53.797127,
        longitude: -1.58821,
        accessibility: null,
      },
      {
        service_id: manchester!.id,
        name: 'Manchester central clinic',
        address: 'Piccadilly\nManchester',
        postcode: 'M1 1AE',
        latitude: 53.483471,
        longitude: -2.231184,
        accessibility: 'Lift to the first floor.',
      },
      {
        service_id: manchester!.id,
        name: 'Wythenshawe Forum',
        address: 'Forum Square\nWythenshawe\nManchester',
        postcode: 'M22 5RX',
        latitude: 53.379925,
        longitude: -2.265017,
        accessibility: null,
      },
    ])
    .execute();
}

/** Moves a referral and its events back `days` from the clock's now (the database stamped them with its own). */
async function backdate(db: Database, clock: Clock, givenName: string, days: number) {
  const shift = sql`(make_interval(days => ${days}) - (${clock.now()}::timestamptz - now()))`;
  const ids = db.selectFrom('referrals').select('id').where('given_name', '=', givenName);
  await db
    .updateTable('referrals')
    .set({ created_at: sql`created_at - ${shift}` })
    .where('id', 'in', ids)
    .execute();
  // Events keep their order, spaced a day apart after the referral was received.
  await db
    .updateTable('referral_events')
    .set({
      occurred_at: sql`occurred_at - ${shift} + make_interval(days => least(${days}, (id - (select min(id) from referral_events e2 where e2.referral_id = referral_events.referral_id))::int))`,
    })
    .where('referral_id', 'in', ids)
    .execute();
}

type DemoAssessment = {
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

type DemoSession = {
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
  const today = clock.today();
  const ago = (days: number) => addDays(today, -days);
  const middayOf = (d: IsoDate) => new Date(`${d}T12:00:00Z`);

  const direct = async (
    givenName: string,
    familyName: string,
    dateOfBirth: IsoDate,
    postcode: string,
    phone: string,
    mentalHealth: EpisodeMentalHealth,
    inTalkingTherapies: 'yes' | 'no',
  ) =>
    (
      await startEpisodeForNewPerson(
        db,
        adviser,
        {
          givenName,
          familyName,
          dateOfBirth,
          postcode,
          phone,
          email: undefined,
          nhsNumber: undefined,
          mentalHealth,
          inTalkingTherapies,
        },
        LEEDS,
      )
    ).episodeId;
  const startedOn = (episodeId: string, d: IsoDate) =>
    db.updateTable('episodes').set({ started_on: d }).where('id', '=', episodeId).execute();
  const assess = async (episodeId: string, assessedOn: IsoDate, a: DemoAssessment) => {
    const hsi = heavinessOfSmokingIndex({
      cigarettesPerDay: a.cigarettesPerDay,
      timeToFirstCigarette: a.timeToFirstCigarette,
    });
    if (!hsi.ok) throw new Error(`Demo assessment: ${hsi.errors.map((e) => e.message).join('; ')}`);
    await saveAssessment(db, adviser, episodeId, {
      assessedOn,
      cigarettesPerDay: a.cigarettesPerDay,
      timeToFirstCigarette: a.timeToFirstCigarette,
      heavinessIndex: hsi.score,
      pastQuitAttempts: a.pastQuitAttempts ?? null,
      whatHelped: a.whatHelped ?? null,
      coPpm: a.coPpm,
      vapingStatus: 'never',
      mentalHealth: a.mentalHealth,
      mentalHealthBasis: a.mentalHealthBasis,
      inTalkingTherapies: a.inTalkingTherapies,
      beliefs: a.beliefs ?? null,
      goals: a.goals ?? null,
      preferences: a.preferences ?? null,
    });
  };
  const sessionOf = async (episodeId: string, kind: string) => {
    const s = (await listSessions(db, episodeId)).find((x) => x.kind === kind);
    if (!s) throw new Error(`Demo episode has no ${kind} session`);
    return s.id;
  };
  const mood = async (
    episodeId: string,
    takenOn: IsoDate,
    phq9: number[],
    gad7: number[],
    sessionKind: string,
  ) => {
    const sessionId = await sessionOf(episodeId, sessionKind);
    for (const [instrument, items, scored] of [
      ['phq9', phq9, scorePhq9(phq9)],
      ['gad7', gad7, scoreGad7(gad7)],
    ] as const) {
      if (!scored.ok) throw new Error(`Demo ${instrument}: ${scored.errors.join('; ')}`);
      await recordMood(db, adviser, episodeId, {
        instrument,
        items: [...items],
        total: scored.total,
        takenOn,
        sessionId,
      });
    }
  };
  const plan = (episodeId: string, quitDate: IsoDate) =>
    savePlan(
      db,
      adviser,
      episodeId,
      { quitDate, interventionType: '08', setting: 'community', aid: null },
      today,
    );
  const session = async (episodeId: string, kind: string, heldOn: IsoDate | null, s: DemoSession = {}) => {
    const sessionId = await sessionOf(episodeId, kind);
    await recordSession(
      db,
      adviser,
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
      today,
      storeFourWeekOutcome,
    );
  };
  /** As the "Add a medicine" page records it: matched against the list, and audited. */
  const medicine = async (episodeId: string, name: string, prescriberName: string) => {
    const listed = matchMedicines([name], await activeAffectedMedicines(db)).map((m) => m.medicine);
    const id = await insertEpisodeMedicine(db, {
      episodeId,
      name,
      medicineCode: listed[0]?.code ?? null,
      prescriberKind: 'psychiatrist',
      prescriberName,
      userId: adviser.id,
    });
    await audit(db, adviser, {
      action: 'create',
      entityType: 'episode_medicine',
      entityId: id,
      detail: listed.length ? `on the list: ${listed.map((m) => m.code).join(', ')}` : 'not on the list',
    });
  };

  // Morgan Hughes: assessed the day the referral was accepted, quit a week ago, week 1 session today.
  const accepted = await db
    .selectFrom('referral_events')
    .select('occurred_at')
    .where('referral_id', '=', acceptedReferralId)
    .where('kind', '=', 'accepted')
    .executeTakeFirstOrThrow();
  const acceptedOn = londonDate(new Date(accepted.occurred_at));
  const morgan = (await startEpisodeFromReferral(db, adviser, acceptedReferralId)).episodeId;
  await startedOn(morgan, acceptedOn);
  await assess(morgan, acceptedOn, {
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
  await medicine(morgan, 'Olanzapine 10mg tablets', 'Dr Ana Rees');
  await mood(morgan, acceptedOn, [2, 2, 1, 2, 1, 1, 1, 1, 0], [2, 2, 1, 1, 1, 1, 1], 'pre_quit_assessment');
  await plan(morgan, ago(7));
  await session(morgan, 'quit_date', ago(7), {
    mode: 'telephone',
    cravings: 4,
    aid: { aid: 'combination_nrt', supply: '2 weeks of 21 mg patches and 2 mg lozenges' },
    notes: 'Set up with patches and lozenges. Agreed a plan for the first evening.',
  });
  await session(morgan, 'week_1', today, {
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

  // Dana Whitaker: a CO-verified quit at four weeks, with their mood much better than at the start.
  const dana = await direct(
    'Dana',
    'Whitaker',
    '1979-02-11',
    'LS12 1UQ',
    '07700 900311',
    'depression',
    'yes',
  );
  await startedOn(dana, ago(40));
  await assess(dana, ago(40), {
    cigarettesPerDay: 15,
    timeToFirstCigarette: '6_to_30',
    coPpm: 19,
    mentalHealth: 'depression',
    mentalHealthBasis: 'diagnosed',
    inTalkingTherapies: 'yes',
    pastQuitAttempts: 1,
    goals: 'To be smoke-free for their grandchildren.',
  });
  await mood(dana, ago(40), [2, 2, 2, 2, 1, 2, 1, 1, 0], [2, 2, 2, 1, 1, 1, 1], 'pre_quit_assessment');
  await plan(dana, ago(35));
  await session(dana, 'quit_date', ago(35), {
    coPpm: 8,
    cravings: 4,
    aid: { aid: 'varenicline', supply: '2 weeks: starter pack' },
  });
  await session(dana, 'week_1', ago(28), {
    coPpm: 4,
    smokedSinceLast: false,
    cravings: 3,
    withdrawal: 'Low mood for a couple of days, then better.',
  });
  await session(dana, 'week_2', ago(21), {
    coPpm: 3,
    smokedSinceLast: false,
    cravings: 2,
    aid: { aid: 'varenicline', supply: '4 weeks' },
  });
  await session(dana, 'week_3', ago(14), { coPpm: 3, smokedSinceLast: false, cravings: 1 });
  await session(dana, 'four_week_follow_up', ago(7), {
    coPpm: 3,
    smokedSinceLast: false,
    smokedDays15to28: false,
    cravings: 1,
    notes: 'Not a puff since the quit date. Proud of themselves.',
  });
  await mood(dana, ago(7), [1, 1, 1, 1, 0, 1, 0, 0, 0], [1, 1, 1, 0, 0, 1, 0], 'four_week_follow_up');

  // Kerry Dawson: came to the first sessions, then could not be reached; the job marks them lost.
  const kerry = await direct('Kerry', 'Dawson', '1990-09-30', 'LS9 8AU', '07700 900412', 'anxiety', 'no');
  await startedOn(kerry, ago(55));
  await assess(kerry, ago(55), {
    cigarettesPerDay: 12,
    timeToFirstCigarette: '31_to_60',
    coPpm: 15,
    mentalHealth: 'anxiety',
    mentalHealthBasis: 'self_reported',
    inTalkingTherapies: 'no',
  });
  await mood(kerry, ago(55), [1, 1, 1, 1, 0, 1, 0, 0, 0], [2, 2, 2, 1, 1, 1, 1], 'pre_quit_assessment');
  await plan(kerry, ago(50));
  await session(kerry, 'quit_date', ago(50), {
    coPpm: 9,
    cravings: 4,
    aid: { aid: 'e_cigarette_swap_to_stop', supply: 'Swap to Stop starter kit' },
  });
  await session(kerry, 'week_1', ago(43), { mode: 'telephone', smokedSinceLast: false, cravings: 3 });
  await session(kerry, 'week_2', null, { notes: 'No answer; left a voicemail and sent a text.' });
  await runJobOnce(db, MARK_LOST_JOB, clock);

  // Jo Brennan: assessed today; PHQ-9 question 9 answered "Several days" raises a safety task.
  const jo = await direct('Jo', 'Brennan', '1995-12-03', 'LS7 3JB', '07700 900513', 'both', 'yes');
  await assess(jo, today, {
    cigarettesPerDay: 20,
    timeToFirstCigarette: '6_to_30',
    coPpm: 21,
    mentalHealth: 'both',
    mentalHealthBasis: 'diagnosed',
    inTalkingTherapies: 'yes',
  });
  await mood(jo, today, [2, 2, 2, 2, 1, 2, 2, 1, 1], [2, 2, 2, 2, 1, 2, 1], 'pre_quit_assessment');
}

/** Demo accounts get the password of this run, so the one printed at start always works. */
export async function resetDemoPasswords(db: Database, password: string): Promise<number> {
  const hash = await hashPassword(password);
  const r = await db
    .updateTable('users')
    .set({ password_hash: hash })
    .where('email', 'like', '%@demo.test')
    .executeTakeFirst();
  // Waits from wrong passwords typed in an earlier run (the counts are keyed by hashes, so all of them).
  await db.deleteFrom('sign_in_throttle').execute();
  return Number(r.numUpdatedRows);
}
