// The rows of one referral or episode, drawn from the generator in a fixed order (the order is what
// makes the same seed give the same rows).
import type { Authority } from './authorities.ts';
import {
  GENDER_SAME,
  INTERVENTION_TYPES,
  ETHNIC_LONDON,
  ETHNIC_OUTSIDE_LONDON,
  NS_SEC,
  SECOND_AID,
  SETTING_CODES,
  SETTING_EFFECT,
  SEXUAL_ORIENTATION,
  type ReferralSource,
} from './codes.ts';
import { clamp, type Weighted } from './random.ts';
import { at, iso, type Draws } from './rows.ts';
import type { LaParams } from './services.ts';

export const LONDON = 'E12000007';

/** A person as a referral records them; personId is null for someone who never set a quit date. */
export type ReferredPerson = {
  given: string;
  family: string;
  dob: number;
  postcode: string;
  personId: string | null;
};

/** Who an episode is for, as the episode row needs them (ethnic and orient index their code lists). */
export type EpisodePerson = ReferredPerson & {
  personId: string;
  sex: string;
  ageAtQuit: number;
  ethnic: number;
  orient: number;
};

export function postcodeIn(g: Draws, la: Authority): string {
  const s = g.rng.pick(la.postcodes);
  return `${s.sector}${g.rng.pick(s.units)}`;
}

export function phone(g: Draws): string {
  return `07700 9${String(g.rng.int(100000)).padStart(5, '0')}`;
}

/** A referral and its `received` event; returns its id. */
export function pushReferral(
  g: Draws,
  p: LaParams,
  day: number,
  source: Exclude<ReferralSource, 'none'>,
  person: ReferredPerson,
  mh: string,
  inTT: string,
): string {
  const rng = g.rng;
  const { id: rid, n: referralN } = g.nextId('referral');
  const self = source === 'self';
  const viaApi = !self && (source === 'gp_practice' || source === 'talking_therapies') && rng.chance(0.5);
  const referrer = self ? null : rng.pick(p.referrers.get(source)!);
  const methods = rng.chance(0.7) ? 'phone' : rng.chance(0.5) ? 'phone,text' : 'email';
  g.batch.referrals.push(
    rid,
    `GEN-${String(referralN).padStart(8, '0')}`,
    self ? 'self' : viaApi ? 'api' : 'staff',
    referrer,
    p.sssId,
    p.la.code,
    person.given,
    person.family,
    iso(person.dob),
    person.postcode,
    phone(g),
    methods,
    rng.chance(0.93) ? '1' : '2',
    rng.chance(0.35) ? 'current' : rng.chance(0.3) ? 'former' : 'never',
    self ? mh : mh === 'none' ? 'not_known' : mh,
    inTT,
    rng.chance(0.85),
    person.personId,
    self
      ? rng.chance(0.75)
        ? 'stop_smoking'
        : rng.chance(0.6)
          ? 'switch_to_vaping'
          : 'cut_down_first'
      : null,
    self ? 'v1' : null,
    at(day, rng),
  );
  g.batch.events.push(rid, 'received', null, at(day, rng));
  return rid;
}

/** The episode, with who they are as the national return breaks it down. */
export function pushEpisode(
  g: Draws,
  p: LaParams,
  person: EpisodePerson,
  e: { started: number; quit: number; mh: string; hasCmhc: boolean; inTT: string; referralId: string | null },
): { eid: string; setting: string } {
  const rng = g.rng;
  const { ageAtQuit, sex } = person;
  const pregnant =
    sex !== 'female' || ageAtQuit > 50
      ? 'not_applicable'
      : rng.chance(0.07)
        ? 'yes'
        : rng.chance(0.9)
          ? 'no'
          : 'not_known';
  const setting = pregnant === 'yes' && rng.chance(0.7) ? 'maternity' : SETTING_CODES.sample(rng);
  const free =
    ageAtQuit < 19 || ageAtQuit >= 60 || pregnant === 'yes'
      ? 'yes'
      : rng.chance(0.4)
        ? 'yes'
        : rng.chance(0.85)
          ? 'no'
          : 'not_known';
  const ethnicList = p.la.regionCode === LONDON ? ETHNIC_LONDON : ETHNIC_OUTSIDE_LONDON;
  const nsSec = setting === 'prison' && rng.chance(0.5) ? 'not_classified' : NS_SEC.sample(rng);
  const eid = g.nextId('episode').id;
  g.batch.episodes.push(
    eid,
    person.personId,
    p.sssId,
    p.la.code,
    e.referralId,
    iso(e.started),
    iso(e.quit),
    INTERVENTION_TYPES.sample(rng),
    setting,
    e.mh,
    e.hasCmhc || e.mh === 'other'
      ? rng.chance(0.6)
        ? 'diagnosed'
        : 'self_reported'
      : e.mh === 'none'
        ? 'self_reported'
        : 'not_known',
    e.inTT,
    e.hasCmhc && rng.chance(0.5),
    sex,
    GENDER_SAME.sample(rng),
    ethnicList.values[person.ethnic]!,
    pregnant,
    free,
    nsSec,
    SEXUAL_ORIENTATION.values[person.orient]!,
    at(e.started, rng),
  );
  return { eid, setting };
}

/**
 * The four-week outcome (docs/domain.md, Four-week outcome), as recorded once follow-up closed on day 42.
 * Returns the outcome.
 */
export function pushOutcome(
  g: Draws,
  p: LaParams,
  e: { eid: string; quit: number; setting: string; hasCmhc: boolean },
): string {
  const { rng } = g;
  const { eid, quit } = e;
  const pQuit = clamp(
    p.quitRate * (e.hasCmhc ? 0.92 : 1.04) + (SETTING_EFFECT.get(e.setting) ?? 0),
    0.05,
    0.95,
  );
  const u = rng.next();
  let outcome: string;
  if (u < pQuit) outcome = rng.chance(p.coShare) ? 'quit_co_verified' : 'quit_self_reported';
  else outcome = rng.chance(p.lostShare) ? 'lost_to_follow_up' : 'not_quit';
  const followUp = quit + 25 + Math.min(17, Math.floor(Math.abs(rng.normal(3, 4))));
  if (outcome === 'lost_to_follow_up') {
    g.batch.outcomes.push(
      eid,
      outcome,
      null,
      null,
      null,
      'No valid follow-up by day 42 after the quit date.',
      at(quit + 43, rng),
    );
    return outcome;
  }
  const quitNow = outcome !== 'not_quit';
  const co =
    outcome === 'quit_co_verified'
      ? 1 + rng.int(9)
      : outcome === 'not_quit' && rng.chance(0.2)
        ? 10 + rng.int(25)
        : null;
  g.batch.outcomes.push(
    eid,
    outcome,
    iso(followUp),
    !quitNow,
    co,
    quitNow
      ? co === null
        ? 'Quit, self-reported; no CO reading.'
        : `Quit, CO ${co} ppm.`
      : 'Smoked between day 15 and day 28.',
    at(followUp, rng),
  );
  return outcome;
}

/** Aids: one, sometimes a second alongside it. */
export function pushAids(g: Draws, eid: string, started: number, quit: number, aids: Weighted<string>): void {
  const rng = g.rng;
  const aid = aids.sample(rng);
  const supplied = Math.max(started, quit - rng.int(3));
  g.batch.aids.push(
    g.nextId('aid').id,
    eid,
    aid,
    iso(supplied),
    aid === 'none' ? null : rng.pick(['1 week', '2 weeks']),
    at(supplied, rng),
  );
  if (aid !== 'none' && rng.chance(0.15)) {
    const second = SECOND_AID.sample(rng);
    if (second !== aid)
      g.batch.aids.push(g.nextId('aid').id, eid, second, iso(supplied), '2 weeks', at(supplied, rng));
  }
}
