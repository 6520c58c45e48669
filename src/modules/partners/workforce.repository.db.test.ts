// The SQL that counts the workforce for the dashboards, against the pure rules (training.ts, policy.ts),
// on generated data: partners of every status with and without joining dates, policies in every state,
// training records on the edges (completed on the day, renewal due on the day, 29 February, no renewal
// date recorded, one person typed several ways, the same name at two partners, records written without
// a staff_key). Runs on PGlite, and on PostgreSQL with DATABASE_URL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '../../../test/helpers/test-db.ts';
import type { DatabaseHandle } from '../../db/database.ts';
import { addDays } from '../../platform/dates.ts';
import { hasAdoptedPolicyOn, isActiveOn, type PartnerStatus, type PolicyStatus } from './policy.ts';
import { COURSE_CODES, countTrainedStaff, staffKey, type CountableRecord, type Course } from './training.ts';
import { loadWorkforceCounts, type WorkforceCounts } from './training.service.ts';

const LEEDS = 'E08000035';
const MANCHESTER = 'E08000003';
const WAKEFIELD = 'E08000036';
const AUTHORITIES = [LEEDS, MANCHESTER, WAKEFIELD];

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type GenPartner = {
  id: string;
  code: string;
  status: PartnerStatus;
  joinedOn: string | null;
  policy: { status: PolicyStatus; adoptedOn: string | null; reviewOn: string | null } | null;
};

let handle: DatabaseHandle;
const partners: GenPartner[] = [];
const records: CountableRecord[] = [];
const DAYS = ['2024-02-28', '2024-02-29', '2025-01-01', '2025-06-30', '2026-02-28', '2026-03-01'];

before(async () => {
  handle = await createTestDatabase();
  const db = handle.db;
  const rnd = prng(20250601);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const dateNear = () => addDays('2024-02-29', Math.floor(rnd() * 900) - 400);
  const statuses: PartnerStatus[] = ['prospective', 'active', 'active', 'active', 'paused', 'ended'];
  const policyStatuses: PolicyStatus[] = ['none', 'drafted', 'adopted', 'adopted'];
  const names = [
    'Sam Jones',
    ' sam  JONES',
    'Ali Khan',
    'ALI KHAN ',
    'Jo Smith',
    'Pat Lee',
    'Chris Day',
    'Zoë Brown',
    'zoë brown',
  ];

  for (let i = 0; i < 60; i++) {
    const code = pick(AUTHORITIES);
    const status = pick(statuses);
    const joinedOn = rnd() < 0.2 ? null : pick([...DAYS, dateNear(), dateNear()]);
    const p = await db
      .insertInto('partners')
      .values({
        local_authority_code: code,
        organisation_id: null,
        name: `Partner ${i}`,
        sector: 'community',
        kind: 'other',
        status,
        joined_on: joinedOn,
        notes: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    let policy: GenPartner['policy'] = null;
    if (rnd() < 0.8) {
      const ps = pick(policyStatuses);
      policy = {
        status: ps,
        adoptedOn: ps === 'adopted' && rnd() < 0.85 ? pick([...DAYS, dateNear()]) : null,
        reviewOn: rnd() < 0.5 ? dateNear() : null,
      };
      await db
        .insertInto('smokefree_policies')
        .values({
          partner_id: p.id,
          status: policy.status,
          adopted_on: policy.adoptedOn,
          review_on: policy.reviewOn,
          notes: null,
          updated_by: null,
        })
        .execute();
    }
    partners.push({ id: p.id, code, status, joinedOn, policy });

    const n = Math.floor(rnd() * 8);
    for (let j = 0; j < n; j++) {
      const course: Course = pick(COURSE_CODES);
      const completedOn =
        rnd() < 0.3 ? pick(['2024-02-29', '2022-02-28', '2023-03-01', ...DAYS]) : dateNear();
      const renewalDueOn =
        rnd() < 0.4
          ? null
          : rnd() < 0.5
            ? pick(DAYS.filter((d) => d > completedOn).concat(addDays(completedOn, 1)))
            : addDays(completedOn, 100 + Math.floor(rnd() * 900));
      const staffName = pick(names);
      // Most rows written as Mortar writes them; some without a key, counted by the SQL fallback.
      const withKey = rnd() < 0.8 || [...staffName].some((ch) => ch.charCodeAt(0) > 127);
      await db
        .insertInto('training_records')
        .values({
          partner_id: p.id,
          staff_name: staffName,
          staff_key: withKey ? staffKey(staffName) : null,
          staff_role: null,
          course,
          completed_on: completedOn,
          renewal_due_on: renewalDueOn,
          recorded_by: null,
        })
        .execute();
      records.push({ partnerId: p.id, staffName, course, completedOn, renewalDueOn });
    }
  }
});
after(() => handle?.close());

function expected(code: string, day: string): WorkforceCounts {
  const active = partners.filter((p) => p.code === code && isActiveOn(p, day));
  const ids = new Set(active.map((p) => p.id));
  const mine = records.filter((r) => ids.has(r.partnerId));
  return {
    activePartners: active.length,
    partnersWithAdoptedPolicy: active.filter((p) => hasAdoptedPolicyOn(p.policy, day)).length,
    vbaTrainedStaff: countTrainedStaff(mine, 'vba', day),
    ncsctTrainedStaff: countTrainedStaff(mine, 'ncsct_practitioner', day),
    mentalHealthModuleStaff: countTrainedStaff(mine, 'ncsct_mental_health', day),
  };
}

describe('loadWorkforceCounts agrees with the pure rules', () => {
  test('generated data covers the cases that matter', () => {
    assert.ok(records.length > 100, `only ${records.length} records`);
    assert.ok(records.some((r) => r.renewalDueOn === null));
    assert.ok(partners.some((p) => p.status === 'active' && p.joinedOn === null));
  });

  for (const day of DAYS) {
    test(`on ${day}, for each authority asked for`, async () => {
      const counts = await loadWorkforceCounts(handle.db, AUTHORITIES, day);
      assert.deepEqual([...counts.keys()].sort(), [...AUTHORITIES].sort());
      for (const code of AUTHORITIES)
        assert.deepEqual(counts.get(code), expected(code, day), `${code} on ${day}`);
    });
  }

  test('with "all": every authority, zeros where there are no partners', async () => {
    const day = '2025-01-01';
    const counts = await loadWorkforceCounts(handle.db, 'all', day);
    assert.ok(counts.size > 100, 'every local authority is in the answer');
    for (const code of AUTHORITIES) assert.deepEqual(counts.get(code), expected(code, day));
    assert.deepEqual(counts.get('E06000001'), {
      activePartners: 0,
      partnersWithAdoptedPolicy: 0,
      vbaTrainedStaff: 0,
      ncsctTrainedStaff: 0,
      mentalHealthModuleStaff: 0,
    });
  });

  test('one authority only, and none', async () => {
    const counts = await loadWorkforceCounts(handle.db, [MANCHESTER], '2025-06-30');
    assert.deepEqual([...counts.keys()], [MANCHESTER]);
    assert.equal((await loadWorkforceCounts(handle.db, [], '2025-06-30')).size, 0);
  });

  test('counts are not all zero (the comparison means something)', async () => {
    const counts = await loadWorkforceCounts(handle.db, AUTHORITIES, '2025-01-01');
    const total = [...counts.values()].reduce(
      (s, c) => s + c.activePartners + c.vbaTrainedStaff + c.partnersWithAdoptedPolicy,
      0,
    );
    assert.ok(total > 10, `total ${total}`);
  });

  test('refuses a day that is not an ISO date', async () => {
    await assert.rejects(loadWorkforceCounts(handle.db, [LEEDS], '1/1/2025'), RangeError);
  });
});
