// The Very Brief Advice module through HTTP: its pages, the check's error summary, a failed and a passed
// attempt recorded against the member of staff, a pass feeding the partner's training records and the
// workforce counts commissioners see (by the same rule), and the referral form's offer shown then gone.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LEEDS } from '../../demo/demo-data.ts';
import { hashPassword } from '../../platform/passwords.ts';
import { buildTestApp, DEMO_PASSWORD, type TestApp } from '../../../test/helpers/test-app.ts';
import { signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import { errorSummary, textOf } from '../organisations/test-html.ts';
import { isActiveOn, type PartnerStatus } from '../partners/policy.ts';
import { addYears, countTrainedStaff, type Course } from '../partners/training.ts';
import { loadWorkforceCounts } from '../partners/training.service.ts';
import { QUESTIONS } from './vba-check.ts';
import { PAGES } from './vba-pages.ts';

let t: TestApp;
let today: string;
let sam: HttpSession;
let commissioner: HttpSession;
let samId: string;

const RIGHT = Object.fromEntries(QUESTIONS.map((q) => [q.id, q.answer]));
const THREE_RIGHT = { ...RIGHT, calms: 'worse', low: 'wait' };
/** Leeds's VBA-trained staff as the dashboards count them, checked against the pure rule on every record. */
async function vbaCount(): Promise<number> {
  const sqlCount = (await loadWorkforceCounts(t.db, [LEEDS], today)).get(LEEDS)!.vbaTrainedStaff;
  const rows = await t.db
    .selectFrom('training_records as tr')
    .innerJoin('partners as p', 'p.id', 'tr.partner_id')
    .select(['tr.partner_id', 'tr.staff_name', 'tr.course', 'tr.completed_on', 'tr.renewal_due_on'])
    .select(['p.status', 'p.joined_on'])
    .where('p.local_authority_code', '=', LEEDS)
    .execute();
  const active = rows.filter((r) =>
    isActiveOn({ status: r.status as PartnerStatus, joinedOn: r.joined_on }, today),
  );
  const records = active.map((r) => ({
    partnerId: r.partner_id,
    staffName: r.staff_name,
    course: r.course as Course,
    completedOn: r.completed_on,
    renewalDueOn: r.renewal_due_on,
  }));
  assert.equal(sqlCount, countTrainedStaff(records, 'vba', today), 'the SQL count follows the pure rule');
  return sqlCount;
}
/** The current VBA-trained staff figure on /training, as the commissioner sees it. */
const trainingPageCount = async () =>
  Number(/data-course="vba">(\d+)</.exec((await commissioner.get('/training')).body)?.[1]);
const hasOffer = async (s: HttpSession) =>
  (await s.get('/referrals/new')).body.includes('id="training-offer"');
const recordsOf = (userId: string) =>
  t.db
    .selectFrom('training_records')
    .select(['partner_id', 'staff_name', 'course', 'completed_on', 'renewal_due_on', 'user_id'])
    .where('user_id', '=', userId)
    .execute();

before(async () => {
  t = await buildTestApp({ demo: true });
  today = t.clock.today();
  // A new volunteer at the foodbank, which is an active Leeds partner; nobody has recorded training for her.
  const foodbank = await t.db
    .selectFrom('organisations')
    .select('id')
    .where('name', '=', 'Leeds North Foodbank')
    .executeTakeFirstOrThrow();
  samId = (
    await t.db
      .insertInto('users')
      .values({
        email: 'sam.patel@demo.test',
        name: 'Sam Patel',
        role: 'referrer',
        organisation_id: foodbank.id,
        password_hash: await hashPassword(DEMO_PASSWORD),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  sam = await signIn(t.app, 'sam.patel@demo.test');
  commissioner = await signIn(t.app, 'commissioner@demo.test');
});
after(() => t?.close());

describe('the module pages', () => {
  test('the start page and every topic page answer, each with the contents list and previous and next', async () => {
    const start = await sam.get('/very-brief-advice');
    assert.equal(start.statusCode, 200);
    assert.match(textOf(start.body), /Very Brief Advice on smoking/);
    assert.match(start.body, /href="\/very-brief-advice\/ask-advise-act"/);
    for (const p of PAGES) {
      const res = await sam.get(`/very-brief-advice/${p.slug}`);
      assert.equal(res.statusCode, 200, p.slug);
      assert.match(res.body, /nhsuk-contents-list__current/, `${p.slug} marks itself in the contents`);
      assert.match(res.body, /nhsuk-pagination/, `${p.slug} has previous and next`);
    }
    const myths = textOf((await sam.get('/very-brief-advice/myths')).body);
    assert.match(myths, /less anxiety, depression and stress/);
    assert.match(myths, /BMJ, 2014/);
    assert.match(myths, /Cochrane/);
  });

  test('the training is in the referrer’s menu, and other staff may read it too', async () => {
    assert.match((await sam.get('/referrals')).body, /href="\/very-brief-advice"/);
    const adviser = await signIn(t.app, 'adviser@demo.test');
    assert.equal((await adviser.get('/very-brief-advice/ask-advise-act')).statusCode, 200);
  });
});

describe('the knowledge check', () => {
  test('answers left out: the error summary names each, links to it, and the answers given are kept', async () => {
    const res = await sam.post('/very-brief-advice/check', { steps: RIGHT.steps!, low: 'not-an-option' });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(errorSummary(res.body), [
      ['#readiness', 'Select an answer to question 2'],
      ['#calms', 'Select an answer to question 3'],
      ['#low', 'Select an answer to question 4'],
      ['#refer', 'Select an answer to question 5'],
    ]);
    assert.match(res.body, /<title>Error: /);
    assert.match(
      res.body,
      /id="steps"[^>]*value="ask-advise-act"[^>]*checked|value="ask-advise-act" checked/,
    );
    assert.equal(
      (await t.db.selectFrom('vba_attempts').select('id').where('user_id', '=', samId).execute()).length,
      0,
    );
  });

  test('without a CSRF token nothing is recorded', async () => {
    const res = await sam.post('/very-brief-advice/check', RIGHT, { csrf: false });
    assert.equal(res.statusCode, 403);
  });

  test('before any attempt the referral form offers the training, and the form is still there to use', async () => {
    const res = await sam.get('/referrals/new');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /id="training-offer"/);
    assert.match(res.body, /href="\/very-brief-advice"/);
    assert.match(res.body, /<form method="post" action="\/referrals"/);
  });

  test('a failed attempt is recorded with its score, explains every answer, and counts for nothing', async () => {
    const before = await vbaCount();
    const res = await sam.post('/very-brief-advice/check', THREE_RIGHT);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/very-brief-advice/result');
    const page = await sam.get('/very-brief-advice/result');
    const text = textOf(page.body);
    assert.match(text, /You did not pass this time/);
    assert.match(text, /You got 3 out of 5 right\. You need 4 to pass/);
    for (const q of QUESTIONS) assert.ok(text.includes(textOf(q.explanation)), `explains ${q.id}`);
    assert.match(text, /The right answer: People who stop have less anxiety/);
    const rows = await t.db.selectFrom('vba_attempts').selectAll().where('user_id', '=', samId).execute();
    assert.equal(rows.length, 1);
    assert.deepEqual(
      { taken_on: rows[0]!.taken_on, score: rows[0]!.score, total: rows[0]!.total, passed: rows[0]!.passed },
      { taken_on: today, score: 3, total: 5, passed: false },
    );
    assert.deepEqual(await recordsOf(samId), []);
    assert.equal(await vbaCount(), before);
    assert.ok(await hasOffer(sam), 'still offered after failing');
  });

  test('a retake that passes is recorded, becomes a training record at the foodbank, and is counted on /training', async () => {
    const before = await vbaCount();
    assert.equal(await trainingPageCount(), before, '/training shows the repository’s count');
    const res = await sam.post('/very-brief-advice/check', { ...RIGHT, calms: 'worse' });
    assert.equal(res.statusCode, 303);
    const page = await sam.get('/very-brief-advice/result');
    assert.match(textOf(page.body), /You passed/);
    assert.match(textOf(page.body), /You got 4 out of 5 right/);
    assert.match(textOf(page.body), /counts towards the trained staff of Leeds North Foodbank/);
    assert.match(page.body, /href="\/referrals\/new"/);

    const foodbank = await t.db
      .selectFrom('partners')
      .select('id')
      .where('name', '=', 'Leeds North Foodbank')
      .executeTakeFirstOrThrow();
    assert.deepEqual(await recordsOf(samId), [
      {
        partner_id: foodbank.id,
        staff_name: 'Sam Patel',
        course: 'vba',
        completed_on: today,
        renewal_due_on: addYears(today, 2),
        user_id: samId,
      },
    ]);
    assert.equal(await vbaCount(), before + 1);
    assert.equal(await trainingPageCount(), before + 1);
    assert.match(textOf((await commissioner.get(`/partners/${foodbank.id}`)).body), /Sam Patel/);
    const audits = await t.db
      .selectFrom('audit_events')
      .select(['entity_type', 'action', 'detail'])
      .where('actor_user_id', '=', samId)
      .where('entity_type', 'in', ['vba_attempt', 'training_record'])
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audits.map((a) => `${a.entity_type} ${a.action}`),
      ['vba_attempt create', 'vba_attempt create', 'training_record create'],
    );
    assert.ok(
      audits.every((a) => !a.detail?.includes('Sam')),
      'no name in the audit detail',
    );
  });

  test('once passed, the referral form no longer offers the training', async () => {
    assert.equal(await hasOffer(sam), false);
    assert.match(textOf((await sam.get('/very-brief-advice')).body), /You passed this training on/);
  });

  test('passing again keeps one record per person and partner, and counts them once', async () => {
    const before = await vbaCount();
    await sam.post('/very-brief-advice/check', RIGHT);
    assert.equal((await recordsOf(samId)).length, 1);
    assert.equal(await vbaCount(), before);
  });

  test('two years after the pass the training is offered again, as a refresher, and no longer counted', async () => {
    await t.db
      .updateTable('vba_attempts')
      .set({ taken_on: addYears(today, -2) })
      .where('user_id', '=', samId)
      .execute();
    await t.db
      .updateTable('training_records')
      .set({ completed_on: addYears(today, -2), renewal_due_on: today })
      .where('user_id', '=', samId)
      .execute();
    const form = await sam.get('/referrals/new');
    assert.match(form.body, /id="training-offer"/);
    assert.match(textOf(form.body), /Refresh your Very Brief Advice training/);
    const counted = await vbaCount();
    // Passing today moves the record on and it counts again.
    await sam.post('/very-brief-advice/check', RIGHT);
    assert.equal(await vbaCount(), counted + 1);
    assert.deepEqual(
      (await recordsOf(samId)).map((r) => [r.completed_on, r.renewal_due_on]),
      [[today, addYears(today, 2)]],
    );
    assert.equal(await hasOffer(sam), false);
  });

  test('someone already recorded by hand at the same partner is one person, counted once', async () => {
    // Fran Okafor's Very Brief Advice was typed in by the commissioner; she now passes the module too.
    const fran = await signIn(t.app, 'referrer.foodbank@demo.test');
    const before = await vbaCount();
    await fran.post('/very-brief-advice/check', RIGHT);
    assert.equal(await vbaCount(), before);
  });

  test('staff whose organisation is no authority’s partner have their attempt kept and no training record', async () => {
    const adviser = await signIn(t.app, 'adviser@demo.test');
    const res = await adviser.post('/very-brief-advice/check', RIGHT);
    assert.equal(res.statusCode, 303);
    const page = await adviser.get('/very-brief-advice/result');
    assert.match(textOf(page.body), /You passed/);
    assert.doesNotMatch(textOf(page.body), /counts towards/);
    assert.doesNotMatch(
      page.body,
      /href="\/referrals\/new"/,
      'an adviser is not sent to a form they cannot use',
    );
    const user = await t.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'adviser@demo.test')
      .executeTakeFirstOrThrow();
    assert.deepEqual(await recordsOf(user.id), []);
  });
});
