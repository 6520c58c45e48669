import { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import type { Rng } from './random.ts';

// Ids, dates, and the rows the generator writes.

/** A deterministic, unique UUID (version 4 layout): 64 hashed bits, then a 12-bit table tag and a 48-bit counter. */
export function makeIdFactory(seed: number) {
  const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
  return (tag: number, n: number): string => {
    let h1 = Math.imul(seed ^ 0x5bd1e995, 0x27d4eb2d) ^ Math.imul(tag + 1, 0x165667b1) ^ n;
    h1 = Math.imul(h1 ^ (h1 >>> 15), 0x85ebca6b);
    h1 = Math.imul(h1 ^ (h1 >>> 13), 0xc2b2ae35);
    h1 ^= h1 >>> 16;
    let h2 = Math.imul(h1 ^ Math.floor(n / 4294967296) ^ 0x9e3779b9, 0xcc9e2d51);
    h2 = Math.imul(h2 ^ (h2 >>> 15), 0x1b873593);
    h2 ^= h2 >>> 16;
    const a = hex8(h1);
    const b = hex8(h2);
    const counter = n.toString(16).padStart(12, '0');
    return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${(0x8000 | tag).toString(16)}-${counter}`;
  };
}

/** Each table's tag in the ids it is given. */
export const TAG = { org: 1, commission: 2, person: 3, referral: 4, episode: 5, aid: 6 } as const;

export const DAY_MS = 86_400_000;
export const dayOf = (iso: string) => Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
const isoCache = new Map<number, string>();
export function iso(day: number): string {
  let s = isoCache.get(day);
  if (s === undefined) {
    s = new Date(day * DAY_MS).toISOString().slice(0, 10);
    isoCache.set(day, s);
  }
  return s;
}
export const two = (n: number) => String(n).padStart(2, '0');
/** A timestamp on a day, during working hours (UTC). */
export const at = (day: number, rng: Rng) =>
  `${iso(day)} ${two(8 + rng.int(10))}:${two(rng.int(60))}:${two(rng.int(60))}+00`;

// The database side: a minimal "run this statement" that both pg.Client and PGlite satisfy

export type Exec = (text: string, params?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

export const execOf = (c: pg.Client | PGlite): Exec =>
  c instanceof PGlite
    ? async (text, params) => ({ rows: (await c.query<Record<string, unknown>>(text, params)).rows })
    : async (text, params) => ({ rows: (await c.query(text, params)).rows as Record<string, unknown>[] });

type ColumnSpec = readonly (readonly [name: string, type: string])[];

/** Column buffers for one table; `insert` turns them into one INSERT … SELECT FROM unnest(…). */
export class Rows {
  readonly table: string;
  readonly spec: ColumnSpec;
  readonly columns: unknown[][];
  length = 0;
  constructor(table: string, spec: ColumnSpec) {
    this.table = table;
    this.spec = spec;
    this.columns = spec.map(() => []);
  }
  push(...values: unknown[]) {
    for (let i = 0; i < values.length; i++) this.columns[i]!.push(values[i]);
    this.length++;
  }
  sql(): string {
    const names = this.spec.map(([n]) => n).join(', ');
    const args = this.spec.map(([, t], i) => `$${i + 1}::${t === 'text[]' ? 'text' : t}[]`).join(', ');
    const select = this.spec.map(([n, t]) => (t === 'text[]' ? `string_to_array(${n}, ',')` : n)).join(', ');
    return `insert into ${this.table} (${names}) select ${select} from unnest(${args}) as t(${names})`;
  }
}

const PEOPLE = [
  ['id', 'uuid'],
  ['service_organisation_id', 'uuid'],
  ['local_authority_code', 'text'],
  ['given_name', 'text'],
  ['family_name', 'text'],
  ['date_of_birth', 'date'],
  ['postcode', 'text'],
  ['phone', 'text'],
  ['created_at', 'timestamptz'],
] as const;
const REFERRALS = [
  ['id', 'uuid'],
  ['reference', 'text'],
  ['source', 'text'],
  ['referrer_organisation_id', 'uuid'],
  ['service_organisation_id', 'uuid'],
  ['local_authority_code', 'text'],
  ['given_name', 'text'],
  ['family_name', 'text'],
  ['date_of_birth', 'date'],
  ['postcode', 'text'],
  ['phone', 'text'],
  ['contact_methods', 'text[]'],
  ['smoking_status', 'text'],
  ['vaping_status', 'text'],
  ['mental_health', 'text'],
  ['in_talking_therapies', 'text'],
  ['consent_share_progress', 'boolean'],
  ['person_id', 'uuid'],
  ['help_wanted', 'text'],
  ['contact_consent_version', 'text'],
  ['created_at', 'timestamptz'],
] as const;
const REFERRAL_EVENTS = [
  ['referral_id', 'uuid'],
  ['kind', 'text'],
  ['reason', 'text'],
  ['occurred_at', 'timestamptz'],
] as const;
const EPISODES = [
  ['id', 'uuid'],
  ['person_id', 'uuid'],
  ['service_organisation_id', 'uuid'],
  ['local_authority_code', 'text'],
  ['referral_id', 'uuid'],
  ['started_on', 'date'],
  ['quit_date', 'date'],
  ['intervention_type', 'text'],
  ['setting', 'text'],
  ['mental_health', 'text'],
  ['mental_health_basis', 'text'],
  ['in_talking_therapies', 'text'],
  ['consent_share_with_clinician', 'boolean'],
  ['sex', 'text'],
  ['gender_same_as_birth', 'text'],
  ['ethnic_category', 'text'],
  ['pregnant', 'text'],
  ['free_prescriptions', 'text'],
  ['ns_sec', 'text'],
  ['sexual_orientation', 'text'],
  ['created_at', 'timestamptz'],
] as const;
const OUTCOMES = [
  ['episode_id', 'uuid'],
  ['outcome', 'text'],
  ['follow_up_on', 'date'],
  ['smoked_days_15_to_28', 'boolean'],
  ['co_ppm', 'int4'],
  ['reason', 'text'],
  ['recorded_at', 'timestamptz'],
] as const;
const AIDS = [
  ['id', 'uuid'],
  ['episode_id', 'uuid'],
  ['aid', 'text'],
  ['supplied_on', 'date'],
  ['supply', 'text'],
  ['created_at', 'timestamptz'],
] as const;

/** The tables the generator fills, in the order they are inserted (foreign keys first). */
export const GENERATED_TABLES = [
  'organisations',
  'commissions',
  'people',
  'referrals',
  'referral_events',
  'episodes',
  'episode_outcomes',
  'episode_aids',
] as const;
export type TableCounts = Record<(typeof GENERATED_TABLES)[number], number>;

export class Batch {
  people = new Rows('people', PEOPLE);
  referrals = new Rows('referrals', REFERRALS);
  events = new Rows('referral_events', REFERRAL_EVENTS);
  episodes = new Rows('episodes', EPISODES);
  outcomes = new Rows('episode_outcomes', OUTCOMES);
  aids = new Rows('episode_aids', AIDS);
  get all() {
    return [this.people, this.referrals, this.events, this.episodes, this.outcomes, this.aids];
  }
  get rowCount() {
    return this.all.reduce((s, r) => s + r.length, 0);
  }
}

/** What the row builders draw on: the generator, the batch being filled, and the next id of a kind. */
export type Draws = {
  readonly rng: Rng;
  readonly batch: Batch;
  nextId(kind: 'person' | 'referral' | 'episode' | 'aid'): { id: string; n: number };
};

export async function writeBatch(exec: Exec, batch: Batch): Promise<void> {
  await exec('begin');
  try {
    for (const rows of batch.all) if (rows.length > 0) await exec(rows.sql(), rows.columns);
    await exec('commit');
  } catch (err) {
    await exec('rollback').catch(() => undefined);
    throw err;
  }
}
