// The rows of the demo history, built in memory from a seeded generator: one authority's quarter at a
// time, each quit date with its person, referral, pre-quit assessment and four-week outcome, and the
// referrals that led nowhere. The generator is drawn from in a fixed order, so the history is the same
// for the same `today` (src/demo/demo-history.ts writes it).
import { addDays, type IsoDate } from '../platform/dates.ts';
import { decideFourWeekOutcome, type FollowUp } from '../modules/episodes/four-week-outcome.ts';
import { quarterRange, type Period } from '../platform/quarters.ts';

/** An authority with history: how many quit dates a quarter, and its character. */
export type HistoryAuthority = {
  readonly code: string;
  readonly name: string;
  readonly perQuarter: number;
  readonly quitRate: number;
  readonly co: number;
  readonly postcode: string;
};

export const REFERRERS = [
  ['talking_therapies', 0.2, 'Talking Therapies (community hub)'],
  ['gp_practice', 0.3, 'Health Centre'],
  ['foodbank', 0.06, 'Community Foodbank'],
  ['housing', 0.06, 'Housing Support'],
  ['addiction_support', 0.05, 'Recovery Service'],
  ['self', 0.2, ''],
  ['none', 0.13, ''],
] as const;

const MENTAL_HEALTH = [
  ['depression', 0.14],
  ['anxiety', 0.12],
  ['both', 0.12],
  ['other', 0.03],
  ['none', 0.5],
  ['not_known', 0.09],
] as const;
const GIVEN = [
  'Alex',
  'Sam',
  'Jo',
  'Chris',
  'Pat',
  'Lee',
  'Robin',
  'Kim',
  'Jess',
  'Dan',
  'Amir',
  'Nadia',
  'Tom',
  'Ella',
];
const FAMILY = [
  'Ashby',
  'Brook',
  'Carr',
  'Dale',
  'Ellison',
  'Firth',
  'Gill',
  'Holt',
  'Iqbal',
  'Jowett',
  'Kaye',
  'Lodge',
];

/** mulberry32: small, fast, and the same sequence for the same seed. */
export function rngOf(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const weighted = <T extends readonly [unknown, number, ...unknown[]]>(list: readonly T[]): T => {
    let r = next() * list.reduce((s, x) => s + x[1], 0);
    for (const x of list) if ((r -= x[1]) < 0) return x;
    return list[list.length - 1]!;
  };
  return { next, int, weighted, pick: <T>(list: readonly T[]) => list[int(list.length)]! };
}

const noon = (d: IsoDate, hour = 12) => new Date(`${d}T${String(hour).padStart(2, '0')}:00:00Z`);

export type Row = Record<string, unknown>;

/** One authority's history as it is built: what it is built from, and the rows so far. */
export type Build = {
  la: HistoryAuthority;
  rng: ReturnType<typeof rngOf>;
  today: IsoDate;
  serviceId: string;
  referrerOf: Map<string, string>;
  /** Made by the database in advance, so rows can name each other before they are inserted. */
  ids: { people: string[]; referrals: string[]; episodes: string[] };
  /** How many referrals have been numbered so far. */
  ref: number;
  rows: {
    people: Row[];
    referrals: Row[];
    events: Row[];
    episodes: Row[];
    sessions: Row[];
    outcomes: Row[];
  };
};

export function historyOfQuarter(b: Build, q: Period, qi: number, yesterday: IsoDate): void {
  const { start, end } = quarterRange(q.financialYear, q.quarter);
  const lastDay = end < yesterday ? end : yesterday;
  const days = Math.round((Date.parse(lastDay) - Date.parse(start)) / 86_400_000) + 1;
  if (days <= 0) return;
  // Growth over time: later quarters have more quit dates, and better outreach to Talking Therapies.
  const n = Math.round(b.la.perQuarter * (0.75 + 0.05 * qi) * (days / 91));
  for (let i = 0; i < n; i++) episodeWithQuitDate(b, addDays(start, b.rng.int(days)), qi);
  // Referrals that did not lead to a quit date: some never reached, some declined.
  for (let i = 0; i < Math.round(n * 0.3); i++)
    referralWithoutQuitDate(b, addDays(start, b.rng.int(days)), qi);
}

function episodeWithQuitDate(b: Build, quit: IsoDate, qi: number): void {
  const { rng, la, rows } = b;
  const [source] = rng.weighted(REFERRERS);
  const [mh] = rng.weighted(MENTAL_HEALTH);
  const personId = b.ids.people[rows.people.length]!;
  const given = rng.pick(GIVEN);
  const family = rng.pick(FAMILY);
  const dob = `${1950 + rng.int(50)}-0${1 + rng.int(9)}-1${rng.int(9)}`;
  const person = { given, family, dob };
  rows.people.push({
    id: personId,
    service_organisation_id: b.serviceId,
    local_authority_code: la.code,
    given_name: given,
    family_name: family,
    date_of_birth: dob,
    postcode: la.postcode,
    created_at: noon(quit),
  });
  const started = addDays(quit, -rng.int(10));
  const referralId =
    source === 'none' ? null : referralToQuitDate(b, { source, mh, person, started, quit, qi });
  const episodeId = b.ids.episodes[rows.episodes.length]!;
  rows.episodes.push({
    id: episodeId,
    person_id: personId,
    service_organisation_id: b.serviceId,
    local_authority_code: la.code,
    referral_id: referralId,
    started_on: started,
    quit_date: quit,
    intervention_type: '08',
    setting: 'community',
    mental_health: mh,
    mental_health_basis: mh === 'not_known' ? 'not_known' : 'self_reported',
    in_talking_therapies: source === 'talking_therapies' ? 'yes' : 'not_known',
    sex: rng.next() < 0.52 ? 'female' : 'male',
    created_at: noon(started),
  });
  // An episode starts at a treatment session attended (docs/domain.md, Four-week outcome): the
  // pre-quit assessment.
  rows.sessions.push({
    episode_id: episodeId,
    kind: 'pre_quit_assessment',
    scheduled_on: started,
    held_on: started,
    attended: true,
    mode: 'in_person',
    recorded_at: noon(started, 14),
  });
  const cmhc = mh === 'depression' || mh === 'anxiety' || mh === 'both';
  fourWeekOutcome(b, episodeId, quit, cmhc, qi);
}

/** The referral an episode came from: received, reached, accepted, and told the quit date. */
function referralToQuitDate(
  b: Build,
  r: {
    source: string;
    mh: string;
    person: { given: string; family: string; dob: string };
    started: IsoDate;
    quit: IsoDate;
    qi: number;
  },
): string {
  const { rng, rows } = b;
  const referralId = b.ids.referrals[b.ref++]!;
  const received = addDays(r.started, -(2 + rng.int(20)));
  rows.referrals.push(
    referralOf(
      referralId,
      r.source,
      b.referrerOf.get(r.source) ?? null,
      b.serviceId,
      b.la,
      r.person,
      r.mh,
      received,
      b.ref,
    ),
  );
  rows.events.push({ referral_id: referralId, kind: 'received', occurred_at: noon(received, 9) });
  const contactDay = addDays(
    received,
    Math.min(
      rng.int(r.qi < 4 ? 8 : 5),
      Math.max(0, Math.round((Date.parse(r.started) - Date.parse(received)) / 86_400_000)),
    ),
  );
  rows.events.push({
    referral_id: referralId,
    kind: 'contact_attempt',
    contact_outcome: 'reached',
    occurred_at: noon(contactDay, 10),
  });
  rows.events.push({ referral_id: referralId, kind: 'contacted', occurred_at: noon(contactDay, 10) });
  rows.events.push({ referral_id: referralId, kind: 'accepted', occurred_at: noon(contactDay, 11) });
  rows.events.push({ referral_id: referralId, kind: 'quit_date_set', occurred_at: noon(r.quit, 13) });
  return referralId;
}

/**
 * The four-week outcome, once follow-up has closed (day 42) or, sometimes, inside the window: decided by
 * the national rule from a follow-up held by today, or none (lost after day 42).
 */
function fourWeekOutcome(b: Build, episodeId: string, quit: IsoDate, cmhc: boolean, qi: number): void {
  const { rng, la, today } = b;
  const day = (Date.parse(today) - Date.parse(quit)) / 86_400_000;
  if (!(day > 42 || (day >= 28 && rng.next() < 0.6))) return;
  const pQuit = la.quitRate * (cmhc ? 0.9 : 1.05) + 0.01 * qi;
  const quitting = rng.next() < pQuit;
  const co = quitting && rng.next() < la.co ? 2 + rng.int(7) : null;
  const reached = quitting || rng.next() >= 0.5;
  const held = addDays(quit, 28 + rng.int(8));
  const followUp: FollowUp | null = reached
    ? { date: held < today ? held : today, smokedDays15to28: !quitting, coPpm: co }
    : null;
  const decision = decideFourWeekOutcome({ quitDate: quit, followUp, today });
  if (decision.outcome === 'pending') return;
  b.rows.outcomes.push({
    episode_id: episodeId,
    outcome: decision.outcome,
    follow_up_on: followUp?.date ?? null,
    smoked_days_15_to_28: followUp ? followUp.smokedDays15to28 : null,
    co_ppm: followUp?.coPpm ?? null,
    reason: decision.reason,
    recorded_at: noon(followUp?.date ?? addDays(quit, 43)),
  });
}

function referralWithoutQuitDate(b: Build, received: IsoDate, qi: number): void {
  const { rng, rows, today } = b;
  const [source] = rng.weighted(REFERRERS.filter(([s]) => s !== 'none'));
  const [mh] = rng.weighted(MENTAL_HEALTH);
  const referralId = b.ids.referrals[b.ref++]!;
  rows.referrals.push(
    referralOf(
      referralId,
      source,
      b.referrerOf.get(source) ?? null,
      b.serviceId,
      b.la,
      { given: rng.pick(GIVEN), family: rng.pick(FAMILY), dob: '1980-05-05' },
      mh,
      received,
      b.ref,
    ),
  );
  rows.events.push({ referral_id: referralId, kind: 'received', occurred_at: noon(received, 9) });
  if (received < addDays(today, -7)) {
    const tried = addDays(received, rng.int(qi < 4 ? 10 : 6));
    rows.events.push({
      referral_id: referralId,
      kind: 'contact_attempt',
      contact_outcome: 'no_answer',
      occurred_at: noon(tried, 10),
    });
    rows.events.push({
      referral_id: referralId,
      kind: rng.next() < 0.5 ? 'unable_to_contact' : 'declined',
      reason: 'History',
      occurred_at: noon(addDays(tried, 5), 10),
    });
  }
}

function referralOf(
  id: string,
  source: string,
  referrerId: string | null,
  serviceId: string,
  la: HistoryAuthority,
  p: { given: string; family: string; dob: string },
  mh: string,
  received: IsoDate,
  n: number,
) {
  const self = source === 'self';
  return {
    id,
    reference: `HIST-${la.code.slice(-3)}-${String(n).padStart(5, '0')}`,
    source: self ? 'self' : 'staff',
    referrer_organisation_id: self ? null : referrerId,
    service_organisation_id: serviceId,
    local_authority_code: la.code,
    given_name: p.given,
    family_name: p.family,
    date_of_birth: p.dob,
    postcode: la.postcode,
    contact_methods: ['phone'],
    smoking_status: '1',
    vaping_status: 'never',
    mental_health: mh,
    in_talking_therapies: source === 'talking_therapies' ? 'yes' : 'not_known',
    consent_share_progress: false,
    help_wanted: self ? 'stop_smoking' : null,
    contact_consent_version: self ? 'v1' : null,
    created_at: noon(received, 9),
  };
}
