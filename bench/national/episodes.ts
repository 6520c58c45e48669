import {
  AGE_BANDS,
  ETHNIC_LONDON,
  ETHNIC_OUTSIDE_LONDON,
  FAMILY,
  GIVEN,
  MENTAL_HEALTH,
  MONTH_WEIGHTS,
  SEX,
  SEXUAL_ORIENTATION,
  SOURCE_CMHC,
  SOURCE_NO_CMHC,
  aidsFor,
} from './codes.ts';
import {
  LONDON,
  phone,
  postcodeIn,
  pushAids,
  pushEpisode,
  pushOutcome,
  pushReferral,
  type EpisodePerson,
} from './episode-rows.ts';
import { progressBar } from './progress.ts';
import { Weighted, type Rng } from './random.ts';
import {
  at,
  Batch,
  dayOf,
  iso,
  TAG,
  two,
  writeBatch,
  type Draws,
  type Exec,
  type TableCounts,
} from './rows.ts';
import type { LaParams } from './services.ts';

/** The people store: what stays the same for a person across episodes (typed arrays, by index). */
class PersonStore {
  readonly dob: Int32Array;
  readonly given: Uint16Array;
  readonly family: Uint16Array;
  readonly sex: Uint8Array;
  readonly ethnic: Uint8Array;
  readonly orient: Uint8Array;
  readonly postcode: string[];
  readonly id: string[];
  stored = 0;
  constructor(cap: number) {
    this.dob = new Int32Array(cap);
    this.given = new Uint16Array(cap);
    this.family = new Uint16Array(cap);
    this.sex = new Uint8Array(cap);
    this.ethnic = new Uint8Array(cap);
    this.orient = new Uint8Array(cap);
    this.postcode = new Array<string>(cap);
    this.id = new Array<string>(cap);
  }
}

/**
 * People, referrals, episodes, outcomes and aids, year by year, in batches: one batch is written while
 * the next is generated. Every draw from the generator is made in a fixed order, so the same seed gives
 * the same rows.
 */
export class EpisodeGenerator implements Draws {
  readonly counts: TableCounts;
  readonly outcomeTally: Record<string, number> = {
    quit_co_verified: 0,
    quit_self_reported: 0,
    not_quit: 0,
    lost_to_follow_up: 0,
  };
  cmhc = 0;
  done = 0;
  rowsWritten: number;
  batch = new Batch();
  readonly rng: Rng;
  private readonly exec: Exec;
  private readonly id: (tag: number, n: number) => string;
  private readonly batchEpisodes: number;
  private readonly people: PersonStore;
  private readonly bar: ReturnType<typeof progressBar>;
  private readonly n = { person: 0, referral: 0, episode: 0, aid: 0 };
  private inFlight: Promise<void> = Promise.resolve();

  constructor(
    exec: Exec,
    rng: Rng,
    id: (tag: number, n: number) => string,
    o: {
      totalEpisodes: number;
      batchEpisodes: number;
      progress: boolean;
      organisations: number;
      commissions: number;
    },
  ) {
    this.exec = exec;
    this.rng = rng;
    this.id = id;
    this.batchEpisodes = o.batchEpisodes;
    this.people = new PersonStore(o.totalEpisodes + 1);
    this.counts = {
      organisations: o.organisations,
      commissions: o.commissions,
      people: 0,
      referrals: 0,
      referral_events: 0,
      episodes: 0,
      episode_outcomes: 0,
      episode_aids: 0,
    };
    this.bar = progressBar(o.totalEpisodes, o.progress);
    this.rowsWritten = o.organisations + o.commissions;
  }

  /** One financial year (`year` is its first calendar year), with `plan[a]` quit dates for authority a. */
  async year(year: number, plan: number[], params: LaParams[]): Promise<void> {
    const aids = aidsFor(year);
    const yearStart = dayOf(`${year}-04-01`);
    const buckets = this.buckets(year, plan, params);
    for (let d = 0; d < buckets.length; d++) {
      const day = yearStart + d;
      for (const entry of buckets[d]!) {
        if (entry < 0) {
          this.unconvertedReferral(params[-1 - entry]!, day);
          continue;
        }
        this.episode(params[entry]!, day, aids);
        this.done++;
        if (this.batch.episodes.length >= this.batchEpisodes) {
          await this.flush();
          this.bar.update(this.done, this.rowsWritten);
        }
      }
    }
  }

  /** Writes what is left and waits for it. */
  async finish(): Promise<void> {
    await this.flush();
    await this.inFlight;
    this.bar.update(this.done, this.rowsWritten);
    this.bar.done();
  }

  /**
   * Quit dates, and referrals that never led to one, bucketed by day so every authority's rows
   * interleave in time as they would in a live system. Entries: authority index; negative = a referral only.
   */
  private buckets(year: number, plan: number[], params: LaParams[]): number[][] {
    const rng = this.rng;
    const yearStart = dayOf(`${year}-04-01`);
    const monthStarts = Array.from({ length: 13 }, (_, m) =>
      dayOf(`${year + Math.floor((m + 3) / 12)}-${two(((m + 3) % 12) + 1)}-01`),
    );
    const monthW = new Weighted(
      MONTH_WEIGHTS.map((w, m) => [m, w * (monthStarts[m + 1]! - monthStarts[m]!)] as const),
    );
    const daysInYear = monthStarts[12]! - yearStart;
    const dayOfYear = () => {
      const m = monthW.sample(rng);
      return monthStarts[m]! + rng.int(monthStarts[m + 1]! - monthStarts[m]!);
    };
    const buckets: number[][] = Array.from({ length: daysInYear }, () => []);
    plan.forEach((n, a) => {
      for (let i = 0; i < n; i++) buckets[dayOfYear() - yearStart]!.push(a);
      const p = params[a]!;
      const referredEpisodes = Math.round(n * 0.87);
      const unconverted = Math.round((referredEpisodes * (1 - p.conversion)) / p.conversion);
      for (let i = 0; i < unconverted; i++) buckets[rng.int(daysInYear)]!.push(-1 - a);
    });
    return buckets;
  }

  nextId(kind: 'person' | 'referral' | 'episode' | 'aid'): { id: string; n: number } {
    const n = ++this.n[kind];
    return { id: this.id(TAG[kind], n), n };
  }

  private async flush(): Promise<void> {
    const b = this.batch;
    this.batch = new Batch();
    await this.inFlight; // one batch in flight: the next is generated while the database writes this one
    for (const r of b.all) this.counts[r.table as keyof TableCounts] += r.length;
    this.inFlight = writeBatch(this.exec, b).then(() => {
      this.rowsWritten += b.rowCount;
    });
    // Do not leave a rejection unobserved while the next batch is generated.
    this.inFlight.catch(() => undefined);
  }

  /** A referral that did not lead to a quit date. */
  private unconvertedReferral(p: LaParams, day: number): void {
    const rng = this.rng;
    const mh = MENTAL_HEALTH.sample(rng);
    const src = (
      mh === 'depression' || mh === 'anxiety' || mh === 'both' ? SOURCE_CMHC : SOURCE_NO_CMHC
    ).sample(rng);
    const source = src === 'none' ? 'gp_practice' : src;
    const ageBand = AGE_BANDS.sample(rng);
    const age = ageBand[0] + rng.int(ageBand[1] - ageBand[0] + 1);
    const rid = pushReferral(
      this,
      p,
      day,
      source,
      {
        given: rng.pick(GIVEN),
        family: rng.pick(FAMILY),
        dob: day - age * 365 - rng.int(365),
        postcode: postcodeIn(this, p.la),
        personId: null,
      },
      mh,
      source === 'talking_therapies' ? 'yes' : rng.chance(0.6) ? 'no' : 'not_known',
    );
    const r = rng.next();
    const events = this.batch.events;
    if (r < 0.55) events.push(rid, 'unable_to_contact', null, at(day + 7 + rng.int(14), rng));
    else if (r < 0.85)
      events.push(
        rid,
        'declined',
        rng.pick(['Not ready to quit', 'Wants to try alone', 'No reason given']),
        at(day + 1 + rng.int(10), rng),
      );
    else events.push(rid, 'accepted', null, at(day + 1 + rng.int(7), rng));
  }

  /** A quit date on `quit`: the person, their referral if any, the episode, its outcome and its aids. */
  private episode(p: LaParams, quit: number, aids: Weighted<string>): void {
    const rng = this.rng;
    const started = quit - rng.int(15);
    const person = this.personFor(p, quit, started);

    // Mental health, and where the referral came from.
    const mh = MENTAL_HEALTH.sample(rng);
    const hasCmhc = mh === 'depression' || mh === 'anxiety' || mh === 'both';
    if (hasCmhc) this.cmhc++;
    const source = (hasCmhc ? SOURCE_CMHC : SOURCE_NO_CMHC).sample(rng);
    const inTT =
      source === 'talking_therapies'
        ? 'yes'
        : hasCmhc
          ? rng.chance(0.25)
            ? 'yes'
            : rng.chance(0.7)
              ? 'no'
              : 'not_known'
          : rng.chance(0.8)
            ? 'no'
            : 'not_known';
    let referralId: string | null = null;
    if (source !== 'none') {
      const refDay = started - 3 - rng.int(28);
      referralId = pushReferral(this, p, refDay, source, person, mh, inTT);
      this.batch.events.push(referralId, 'accepted', null, at(refDay + 1 + rng.int(3), rng));
      this.batch.events.push(referralId, 'quit_date_set', null, at(quit, rng));
    }

    const { eid, setting } = pushEpisode(this, p, person, { started, quit, mh, hasCmhc, inTT, referralId });
    this.outcomeTally[pushOutcome(this, p, { eid, quit, setting, hasCmhc })]!++;
    pushAids(this, eid, started, quit, aids);
  }

  /** The person: someone this service has seen before (a second attempt), or someone new. */
  private personFor(p: LaParams, quit: number, started: number): EpisodePerson {
    const rng = this.rng;
    const store = this.people;
    let pi: number;
    let personId: string;
    let isNewPerson = false;
    if (p.people.length >= 20 && rng.chance(0.07)) {
      pi = p.people[rng.int(p.people.length)]!;
      personId = store.id[pi]!;
    } else {
      pi = store.stored++;
      isNewPerson = true;
      const ageBand = AGE_BANDS.sample(rng);
      const age = ageBand[0] + rng.int(ageBand[1] - ageBand[0] + 1);
      store.dob[pi] = quit - age * 365 - rng.int(365);
      store.given[pi] = rng.int(GIVEN.length);
      store.family[pi] = rng.int(FAMILY.length);
      store.sex[pi] = SEX.values.indexOf(SEX.sample(rng));
      const ethnic = p.la.regionCode === LONDON ? ETHNIC_LONDON : ETHNIC_OUTSIDE_LONDON;
      store.ethnic[pi] = ethnic.values.indexOf(ethnic.sample(rng));
      store.orient[pi] = SEXUAL_ORIENTATION.values.indexOf(SEXUAL_ORIENTATION.sample(rng));
      store.postcode[pi] = postcodeIn(this, p.la);
      personId = this.nextId('person').id;
      store.id[pi] = personId;
      p.people.push(pi);
    }
    const dob = store.dob[pi]!;
    const person: EpisodePerson = {
      personId,
      dob,
      ageAtQuit: Math.floor((quit - dob) / 365.25),
      sex: SEX.values[store.sex[pi]!]!,
      given: GIVEN[store.given[pi]!]!,
      family: FAMILY[store.family[pi]!]!,
      postcode: store.postcode[pi]!,
      ethnic: store.ethnic[pi]!,
      orient: store.orient[pi]!,
    };
    if (isNewPerson)
      this.batch.people.push(
        personId,
        p.sssId,
        p.la.code,
        person.given,
        person.family,
        iso(dob),
        person.postcode,
        phone(this),
        at(started, rng),
      );
    return person;
  }
}
