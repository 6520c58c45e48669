// THE definition of the national data on smoking among people with common mental health conditions: for each
// referring service, each quarter, how many people were asked about smoking and what followed. Pure: the SQL
// in smoking-data.repository.ts states the same rule, and smoking-data.repository.db.test.ts checks the two
// agree on generated records.
//
// - One fact is one advice record: one person asked by a referring service. The quarter is the financial
//   quarter of the day (in England) they were asked; what followed (referral accepted, quit date, quit at
//   four weeks) is counted in that quarter whenever it happened, so each figure is a subset of the one
//   before it and recent quarters grow as people go on.
// - Asked: every answer but "not asked" ('9'). Smoking status splits it: smokes ('1'), used to smoke ('2'),
//   never smoked ('4'), and other answers (does not smoke, history not known '3'; did not want to say 'Z').
// - The rest is of people who smoke: advised (Very Brief Advice given), referred (a referral was made),
//   accepted (the service accepted the referral, or started treatment from it), set a quit date (an episode
//   from the referral has one), quit at four weeks (such an episode's four-week outcome is a quit, CO-verified
//   or self-reported). An ex-smoker referred to stay stopped is counted as asked, not in this funnel.

import { countsAsQuit, type FourWeekOutcome } from '../episodes/four-week-outcome.ts';
import type { IsoDate } from '../../platform/dates.ts';
import { quarterOf, type Period } from '../../platform/quarters.ts';

/** The kinds of referring service the national data is split by. */
export const SERVICE_TYPES = ['talking_therapies', 'gp', 'community', 'other'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];
export const SERVICE_TYPE_NAMES: Record<ServiceType, string> = {
  talking_therapies: 'NHS Talking Therapies',
  gp: 'GP practices',
  community: 'Community services',
  other: 'Other services',
};

const COMMUNITY = new Set([
  'community_mental_health_team',
  'pharmacy',
  'foodbank',
  'housing',
  'homelessness',
  'addiction_support',
  'family_income_support',
  'community_other',
]);

/** The service type of a referring organisation's type (organisations/organisation.codes.ts). */
export function serviceTypeOf(organisationType: string): ServiceType {
  if (organisationType === 'talking_therapies') return 'talking_therapies';
  if (organisationType === 'gp_practice') return 'gp';
  return COMMUNITY.has(organisationType) ? 'community' : 'other';
}

export const SMOKING_MEASURES = [
  'asked',
  'smokes',
  'exSmoker',
  'neverSmoked',
  'otherAnswer',
  'advised',
  'referred',
  'accepted',
  'quitDateSet',
  'quitAtFourWeeks',
] as const;
export type SmokingMeasure = (typeof SMOKING_MEASURES)[number];
export type SmokingCounts = Record<SmokingMeasure, number>;

export const SMOKING_MEASURE_NAMES: Record<SmokingMeasure, string> = {
  asked: 'Asked about smoking',
  smokes: 'Smoke',
  exSmoker: 'Used to smoke',
  neverSmoked: 'Never smoked',
  otherAnswer: 'Other answer',
  advised: 'Smoke and were advised',
  referred: 'Referred',
  accepted: 'Referral accepted',
  quitDateSet: 'Set a quit date',
  quitAtFourWeeks: 'Quit at four weeks',
};

/** One person asked about smoking by a referring service, with what followed. */
export type AskedFact = {
  organisationType: string;
  /** The referring service's local authority (the advice record's); null when it has none. */
  localAuthorityCode: string | null;
  /** The day, in England, they were asked. */
  askedOn: IsoDate;
  /** SMOKING STATUS CODE as recorded. */
  smokingStatus: string;
  adviceGiven: boolean;
  /** The referral made from this advice, if any. */
  referral: null | {
    /** The kinds of the referral's events ('accepted', 'declined', ...). */
    eventKinds: readonly string[];
    /** The treatment episodes started from the referral. */
    episodes: readonly { quitDate: IsoDate | null; outcome: FourWeekOutcome | null }[];
  };
};

export const zeroCounts = (): SmokingCounts =>
  Object.fromEntries(SMOKING_MEASURES.map((m) => [m, 0])) as SmokingCounts;

/** Which measures one fact counts in. */
export function measuresOf(f: AskedFact): SmokingMeasure[] {
  const s = f.smokingStatus;
  if (s === '9') return [];
  const status: SmokingMeasure =
    s === '1' ? 'smokes' : s === '2' ? 'exSmoker' : s === '4' ? 'neverSmoked' : 'otherAnswer';
  const out: SmokingMeasure[] = ['asked', status];
  if (s !== '1') return out;
  if (f.adviceGiven) out.push('advised');
  const r = f.referral;
  if (!r) return out;
  out.push('referred');
  if (!r.eventKinds.includes('accepted') && r.episodes.length === 0) return out;
  out.push('accepted');
  const withDate = r.episodes.filter((e) => e.quitDate !== null);
  if (withDate.length === 0) return out;
  out.push('quitDateSet');
  if (withDate.some((e) => e.outcome !== null && countsAsQuit(e.outcome))) out.push('quitAtFourWeeks');
  return out;
}

/** A group the data is counted in: a service type and a local authority (null: none recorded). */
export type CountKey = { serviceType: ServiceType; localAuthorityCode: string | null };
export type KeyedCounts = CountKey & { counts: SmokingCounts };

/** Every quarter's counts by service type and local authority, in a stable order. Facts in other quarters are left out. */
export function countSmokingData(facts: readonly AskedFact[], period: Period): KeyedCounts[] {
  const groups = new Map<string, KeyedCounts>();
  for (const f of facts) {
    const q = quarterOf(f.askedOn);
    if (q.financialYear !== period.financialYear || q.quarter !== period.quarter) continue;
    const measures = measuresOf(f);
    if (measures.length === 0) continue;
    const serviceType = serviceTypeOf(f.organisationType);
    const id = `${serviceType}|${f.localAuthorityCode ?? ''}`;
    let g = groups.get(id);
    if (!g) {
      g = { serviceType, localAuthorityCode: f.localAuthorityCode, counts: zeroCounts() };
      groups.set(id, g);
    }
    for (const m of measures) g.counts[m]++;
  }
  return sortKeyed([...groups.values()]);
}

export function sortKeyed(rows: KeyedCounts[]): KeyedCounts[] {
  const k = (r: CountKey) => `${r.localAuthorityCode ?? '~'}|${SERVICE_TYPES.indexOf(r.serviceType)}`;
  return rows.sort((a, b) => (k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0));
}

export function addCounts(into: SmokingCounts, more: SmokingCounts): SmokingCounts {
  for (const m of SMOKING_MEASURES) into[m] += more[m];
  return into;
}
