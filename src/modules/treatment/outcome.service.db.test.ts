import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { signIn } from '../../../test/helpers/http-session.ts';
import { reclassifyHighCoQuits } from '../../db/migrations/0018-asked-about-smoking.ts';
import { runJobOnce } from '../../platform/jobs.ts';
import { addDays } from '../../platform/dates.ts';
import { decideFourWeekOutcome, OUTCOME_LABELS } from '../episodes/four-week-outcome.ts';
import { MARK_LOST_JOB } from './outcome.service.ts';
import { dateBoxes } from './treatment.schemas.ts';

let t: TestApp;
let today: string;
const ago = (n: number) => addDays(today, -n);

before(async () => {
  t = await buildTestApp({ demo: true });
  today = t.clock.today();
});
after(() => t.close());

async function episode(
  familyName: string,
  quitDate: string | null,
  extra: { referralGivenName?: string; closed?: boolean } = {},
) {
  const adviser = await t.db
    .selectFrom('users')
    .select(['id', 'organisation_id'])
    .where('email', '=', 'adviser@demo.test')
    .executeTakeFirstOrThrow();
  const person = await t.db
    .insertInto('people')
    .values({
      service_organisation_id: adviser.organisation_id,
      given_name: 'Job',
      family_name: familyName,
      date_of_birth: '1980-01-01',
      postcode: 'LS2 9JT',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const referralId = extra.referralGivenName
    ? (
        await t.db
          .selectFrom('referrals')
          .select('id')
          .where('given_name', '=', extra.referralGivenName)
          .executeTakeFirstOrThrow()
      ).id
    : null;
  const row = await t.db
    .insertInto('episodes')
    .values({
      person_id: person.id,
      service_organisation_id: adviser.organisation_id,
      local_authority_code: null,
      referral_id: referralId,
      adviser_user_id: adviser.id,
      quit_date: quitDate,
      closed_at: extra.closed ? new Date() : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const outcomeOf = (id: string) =>
  t.db.selectFrom('episode_outcomes').selectAll().where('episode_id', '=', id).executeTakeFirst();

test('mark-lost-to-follow-up: after day 42 with no outcome, lost; day 42 itself, outcomes and closed episodes untouched; twice adds nothing twice', async () => {
  const lost = await episode('FortyThree', ago(43), { referralGivenName: 'Jordan' });
  const notYet = await episode('FortyTwo', ago(42));
  const withOutcome = await episode('HasOutcome', ago(60));
  await t.db
    .insertInto('episode_outcomes')
    .values({
      episode_id: withOutcome,
      outcome: 'quit_self_reported',
      follow_up_on: ago(32),
      smoked_days_15_to_28: false,
      co_ppm: null,
      reason: 'Recorded by hand',
      session_id: null,
      recorded_by: null,
    })
    .execute();
  const closed = await episode('Closed', ago(50), { closed: true });
  const noQuitDate = await episode('NoQuitDate', null);
  // Loading the demonstration data ran the job once already; only this test's runs are counted below.
  const earlierRuns = await t.db
    .selectFrom('job_runs')
    .select('id')
    .where('job', '=', MARK_LOST_JOB)
    .execute();
  const lastEarlierRun = Math.max(0, ...earlierRuns.map((r) => Number(r.id)));

  const first = await runJobOnce(t.db, MARK_LOST_JOB, t.clock);
  assert.equal(first.error, null);
  assert.equal(first.affected, 1);

  const marked = await outcomeOf(lost);
  assert.ok(marked);
  const expected = decideFourWeekOutcome({ quitDate: ago(43), followUp: null, today });
  assert.equal(expected.outcome, 'lost_to_follow_up');
  assert.deepEqual({ outcome: marked.outcome, reason: marked.reason }, expected);
  assert.equal(marked.recorded_by, null);
  assert.equal(await outcomeOf(notYet), undefined, 'day 42 is still inside the window');
  assert.equal((await outcomeOf(withOutcome))!.outcome, 'quit_self_reported');
  assert.equal((await outcomeOf(withOutcome))!.reason, 'Recorded by hand');
  assert.equal(await outcomeOf(closed), undefined);
  assert.equal(await outcomeOf(noQuitDate), undefined);

  const jordan = (
    await t.db
      .selectFrom('referrals')
      .select('id')
      .where('given_name', '=', 'Jordan')
      .executeTakeFirstOrThrow()
  ).id;
  const events = () =>
    t.db
      .selectFrom('referral_events')
      .select(['kind', 'reason', 'actor_user_id'])
      .where('referral_id', '=', jordan)
      .where('kind', '=', 'outcome_recorded')
      .execute();
  assert.deepEqual(await events(), [
    { kind: 'outcome_recorded', reason: OUTCOME_LABELS.lost_to_follow_up, actor_user_id: null },
  ]);

  const second = await runJobOnce(t.db, MARK_LOST_JOB, t.clock);
  assert.equal(second.affected, 0);
  assert.equal((await events()).length, 1);
  assert.equal(
    (await t.db.selectFrom('episode_outcomes').select('episode_id').where('episode_id', '=', lost).execute())
      .length,
    1,
  );
  const runs = await t.db
    .selectFrom('job_runs')
    .select(['affected', 'error'])
    .where('job', '=', MARK_LOST_JOB)
    .where('id', '>', lastEarlierRun)
    .orderBy('id')
    .execute();
  assert.deepEqual(runs, [
    { affected: 1, error: null },
    { affected: 0, error: null },
  ]);
  const audits = await t.db
    .selectFrom('audit_events')
    .select('detail')
    .where('entity_id', '=', lost)
    .execute();
  assert.ok(audits.some((a) => a.detail?.includes(MARK_LOST_JOB)));
});

test('a follow-up held in the window but typed in after the job ran replaces lost to follow-up', async () => {
  const id = await episode('LateEntry', ago(45));
  await runJobOnce(t.db, MARK_LOST_JOB, t.clock);
  assert.equal((await outcomeOf(id))!.outcome, 'lost_to_follow_up');
  const adviser = await signIn(t.app, 'adviser@demo.test');
  const page = await adviser.get(`/episodes/${id}/outcome`);
  assert.match(page.body, /replaces “lost to follow-up”/);
  assert.match(page.body, /automatically, when the follow-up window closed/);
  const res = await adviser.post(
    `/episodes/${id}/outcome`,
    { ...dateBoxes('followUpOn', ago(5)), smokedDays15to28: 'no' },
    { from: `/episodes/${id}/outcome` },
  );
  assert.equal(res.statusCode, 303);
  const stored = (await outcomeOf(id))!;
  const expected = decideFourWeekOutcome({
    quitDate: ago(45),
    followUp: { date: ago(5), smokedDays15to28: false, coPpm: null },
    today,
  });
  assert.deepEqual({ outcome: stored.outcome, reason: stored.reason }, expected);
  assert.equal(stored.outcome, 'quit_self_reported');
  // After day 42 a follow-up outside the window is still refused.
  const other = await episode('TooLate', ago(50));
  const late = await adviser.post(
    `/episodes/${other}/outcome`,
    { ...dateBoxes('followUpOn', ago(1)), smokedDays15to28: 'no' },
    { from: `/episodes/${other}/outcome` },
  );
  assert.equal(late.statusCode, 400);
  assert.match(late.body, /The follow-up date is too late/);
});

test('a report of not a puff with a CO reading of 12 ppm is recorded, and counted, as not quit', async () => {
  const id = await episode('HighCo', ago(30));
  const adviser = await signIn(t.app, 'adviser@demo.test');
  const res = await adviser.post(
    `/episodes/${id}/outcome`,
    { ...dateBoxes('followUpOn', ago(1)), smokedDays15to28: 'no', coPpm: '12' },
    { from: `/episodes/${id}/outcome` },
  );
  assert.equal(res.statusCode, 303);
  const stored = (await outcomeOf(id))!;
  assert.equal(stored.outcome, 'not_quit');
  assert.equal(stored.co_ppm, 12);
  assert.match(stored.reason, /counts a reading of 10 ppm or more at the four-week follow-up as not quit/);
  // The return and the dashboards count from episode_facts, which holds the stored outcome.
  const fact = await t.db
    .selectFrom('episode_facts')
    .select('outcome')
    .where('episode_id', '=', id)
    .executeTakeFirstOrThrow();
  assert.equal(fact.outcome, 'not_quit');
  const page = await adviser.get(`/episodes/${id}/outcome`);
  assert.match(page.body, /Not quit/);
});

test('outcomes recorded under the old rule as self-reported quits with CO 10 ppm or more become not quit, audited', async () => {
  const old = await episode('OldRule', ago(60));
  const low = await episode('OldRuleLowCo', ago(60));
  const base = {
    follow_up_on: ago(30),
    smoked_days_15_to_28: false,
    reason: 'Recorded under the old rule',
    session_id: null,
    recorded_by: null,
  };
  await t.db
    .insertInto('episode_outcomes')
    .values([
      { ...base, episode_id: old, outcome: 'quit_self_reported', co_ppm: 10 },
      { ...base, episode_id: low, outcome: 'quit_co_verified', co_ppm: 4 },
    ])
    .execute();
  await reclassifyHighCoQuits(t.db as never);
  const changed = (await outcomeOf(old))!;
  assert.equal(changed.outcome, 'not_quit');
  assert.match(changed.reason, /CO reading was 10 ppm/);
  assert.match(changed.reason, /changed to not quit when Mortar adopted the rule/);
  assert.equal((await outcomeOf(low))!.outcome, 'quit_co_verified', 'a verified quit is left alone');
  const audits = await t.db
    .selectFrom('audit_events')
    .select('detail')
    .where('entity_id', '=', old)
    .execute();
  assert.ok(audits.some((a) => a.detail?.includes('quit_self_reported to not_quit: CO 10 ppm')));
  const fact = await t.db
    .selectFrom('episode_facts')
    .select('outcome')
    .where('episode_id', '=', old)
    .executeTakeFirstOrThrow();
  assert.equal(fact.outcome, 'not_quit', 'the facts the return counts follow');
});
