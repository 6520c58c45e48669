// The quarterly return through HTTP on the real engine: generate, validation, exception reasons,
// sign-off, approval, submission, the national collection, rejection, reopening and locks; versions and
// what changed; exports that read back to the same figures; imports with row errors and without; who may
// see and do what; and disclosure control on everything meant for publication.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LEEDS, MANCHESTER } from '../../demo/demo-data.ts';
import { hashPassword } from '../../platform/passwords.ts';
import { buildTestApp, DEMO_PASSWORD, type TestApp } from '../../../test/helpers/test-app.ts';
import { anonymous, signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import { errorSummary, textOf } from '../organisations/test-html.ts';
import { toCsv } from './csv-layout.ts';
import { fromCsv, fromJson } from './csv-layout-reader.ts';
import { SUPPRESSED } from './disclosure.ts';
import type { QuarterlyReturn } from './return-definition.ts';
import { figuresOf, sumReturns } from './return-figures.ts';
import { ENGLAND } from './national.routes.ts';

const BRADFORD = 'E08000032';
const WAKEFIELD = 'E08000036';
const LEEDS_Q2 = `/returns/${LEEDS}/2025/2`;

let t: TestApp;
let manager: HttpSession;
let leeds: HttpSession;
let analyst: HttpSession;
let manchester: HttpSession;
let bradford: HttpSession;
const episodeIds: Record<string, string> = {};

type EpisodeSpec = {
  name: string;
  quitDate: string;
  setting: string;
  outcome: 'quit_co_verified' | 'quit_self_reported' | 'not_quit' | 'lost_to_follow_up' | null;
  mentalHealth: string;
  sex?: string | null;
  service?: 'leeds' | 'manchester';
};

// 2025/26 Q2 in Leeds: 10 people set a quit date. Community 3 of 6 quit (50%: no reason needed); pharmacy
// 0 of 3 (needs a reason); general practice 1 of 1 (100%: needs a reason). One has no sex recorded.
const LEEDS_EPISODES: EpisodeSpec[] = [
  {
    name: 'Avery',
    quitDate: '2025-07-03',
    setting: 'community',
    outcome: 'quit_co_verified',
    mentalHealth: 'depression',
  },
  {
    name: 'Blake',
    quitDate: '2025-07-10',
    setting: 'community',
    outcome: 'quit_self_reported',
    mentalHealth: 'anxiety',
  },
  {
    name: 'Cameron',
    quitDate: '2025-07-20',
    setting: 'community',
    outcome: 'quit_self_reported',
    mentalHealth: 'both',
  },
  { name: 'Devon', quitDate: '2025-08-01', setting: 'community', outcome: 'not_quit', mentalHealth: 'none' },
  {
    name: 'Emerson',
    quitDate: '2025-08-15',
    setting: 'community',
    outcome: 'lost_to_follow_up',
    mentalHealth: 'not_known',
  },
  {
    name: 'Finley',
    quitDate: '2025-09-01',
    setting: 'community',
    outcome: null,
    mentalHealth: 'depression',
    sex: null,
  },
  { name: 'Gray', quitDate: '2025-07-05', setting: 'pharmacy', outcome: 'not_quit', mentalHealth: 'other' },
  {
    name: 'Harper',
    quitDate: '2025-08-05',
    setting: 'pharmacy',
    outcome: 'lost_to_follow_up',
    mentalHealth: 'depression',
  },
  { name: 'Indigo', quitDate: '2025-09-20', setting: 'pharmacy', outcome: null, mentalHealth: 'none' },
  {
    name: 'Jules',
    quitDate: '2025-09-30',
    setting: 'general_practice',
    outcome: 'quit_co_verified',
    mentalHealth: 'anxiety',
  },
  // Another authority's and another quarter's: never in Leeds's 2025/26 Q2 return.
  {
    name: 'Kit',
    quitDate: '2025-08-08',
    setting: 'community',
    outcome: 'quit_self_reported',
    mentalHealth: 'depression',
    service: 'manchester',
  },
  {
    name: 'Lane',
    quitDate: '2025-10-01',
    setting: 'community',
    outcome: 'quit_self_reported',
    mentalHealth: 'depression',
  },
];

async function orgId(name: string) {
  return (
    await t.db.selectFrom('organisations').select('id').where('name', '=', name).executeTakeFirstOrThrow()
  ).id;
}

async function addEpisode(spec: EpisodeSpec) {
  const service = await orgId(
    spec.service === 'manchester' ? 'Manchester Stop Smoking Service' : 'Leeds Stop Smoking Service',
  );
  const la = spec.service === 'manchester' ? MANCHESTER : LEEDS;
  const person = await t.db
    .insertInto('people')
    .values({
      service_organisation_id: service,
      local_authority_code: la,
      given_name: spec.name,
      family_name: 'Returnson',
      date_of_birth: '1980-03-03',
      postcode: 'LS1 1AA',
      phone: null,
      email: null,
      nhs_number: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const e = await t.db
    .insertInto('episodes')
    .values({
      person_id: person.id,
      service_organisation_id: service,
      local_authority_code: la,
      started_on: spec.quitDate,
      quit_date: spec.quitDate,
      intervention_type: '08',
      setting: spec.setting,
      mental_health: spec.mentalHealth,
      in_talking_therapies: 'no',
      sex: spec.sex === undefined ? 'female' : spec.sex,
      gender_same_as_birth: 'yes',
      ethnic_category: 'A',
      pregnant: 'no',
      free_prescriptions: 'yes',
      ns_sec: '7',
      sexual_orientation: 'heterosexual',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (spec.outcome) {
    await t.db
      .insertInto('episode_outcomes')
      .values({
        episode_id: e.id,
        outcome: spec.outcome,
        follow_up_on: null,
        smoked_days_15_to_28: null,
        co_ppm: null,
        reason: 'test',
        session_id: null,
        recorded_by: null,
      })
      .execute();
  }
  await t.db
    .insertInto('episode_aids')
    .values({
      episode_id: e.id,
      aid: 'varenicline',
      supplied_on: spec.quitDate,
      supply: null,
      session_id: null,
      recorded_by: null,
    })
    .execute();
  episodeIds[spec.name] = e.id;
}

async function addCommissioner(email: string, la: string, orgName: string) {
  const org = await t.db
    .insertInto('organisations')
    .values({
      name: orgName,
      type: 'local_authority',
      local_authority_code: la,
      ods_code: null,
      email: null,
      phone: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await t.db
    .insertInto('users')
    .values({
      email,
      name: orgName,
      role: 'commissioner',
      organisation_id: org.id,
      password_hash: await hashPassword(DEMO_PASSWORD),
    })
    .execute();
  return signIn(t.app, email);
}

before(async () => {
  t = await buildTestApp({ demo: true });
  for (const spec of LEEDS_EPISODES) await addEpisode(spec);
  manager = await signIn(t.app, 'manager@demo.test');
  leeds = await signIn(t.app, 'commissioner@demo.test');
  analyst = await signIn(t.app, 'analyst@demo.test');
  manchester = await addCommissioner(
    'commissioner.manchester@demo.test',
    MANCHESTER,
    'Manchester City Council Public Health',
  );
  bradford = await addCommissioner(
    'commissioner.bradford@demo.test',
    BRADFORD,
    'Bradford Council Public Health',
  );
});
after(() => t?.close());

const page = async (s: HttpSession, url: string) => {
  const res = await s.get(url);
  assert.equal(res.statusCode, 200, `${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  return { html: res.body, text: textOf(res.body) };
};

async function currentVersion(la: string, fy: number, q: number) {
  return t.db
    .selectFrom('returns as r')
    .innerJoin('return_versions as v', (j) =>
      j.onRef('v.return_id', '=', 'r.id').onRef('v.version', '=', 'r.current_version'),
    )
    .select([
      'r.id',
      'r.status',
      'r.source',
      'r.current_version',
      'v.data',
      'v.validation',
      'v.exception_reasons',
    ])
    .where('r.local_authority_code', '=', la)
    .where('r.financial_year', '=', fy)
    .where('r.quarter', '=', q)
    .executeTakeFirstOrThrow();
}

async function events(la: string, fy: number, q: number) {
  return t.db
    .selectFrom('return_events as e')
    .innerJoin('returns as r', 'r.id', 'e.return_id')
    .select(['e.kind', 'e.version', 'e.message'])
    .where('r.local_authority_code', '=', la)
    .where('r.financial_year', '=', fy)
    .where('r.quarter', '=', q)
    .orderBy('e.id')
    .execute();
}

const dataOf = (v: { data: unknown }) =>
  (typeof v.data === 'string' ? JSON.parse(v.data) : v.data) as QuarterlyReturn;

describe('the workflow, from generation to the national collection and back', () => {
  test('before anything is generated, the return is not started and the manager may generate it', async () => {
    const { text, html } = await page(manager, LEEDS_Q2);
    assert.match(text, /Leeds: quarterly return 2025\/26 Q2/);
    assert.match(text, /Not started/);
    assert.match(html, /action="\/returns\/E08000035\/2025\/2\/generate"/);
    const national = await page(analyst, '/national/returns?year=2025&quarter=2');
    assert.match(national.text, /0 of 153 local authorities have submitted/);
    assert.match(national.text, /Not started 153/);
  });

  test('generating makes version 1: the figures, the errors that block sign-off, and missing data with links for the service only', async () => {
    const res = await manager.post(`${LEEDS_Q2}/generate`, {}, { from: LEEDS_Q2 });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `${LEEDS_Q2}?done=generated`);
    const v = await currentVersion(LEEDS, 2025, 2);
    assert.equal(v.status, 'draft');
    assert.equal(v.source, 'mortar');
    assert.equal(v.current_version, 1);
    const data = dataOf(v);
    assert.deepEqual(
      {
        set: data.totals.setQuitDate,
        quit: data.totals.quitSelfReported,
        co: data.totals.quitCoVerified,
        notQuit: data.totals.notQuit,
        lost: data.totals.lostToFollowUp,
        pending: data.totals.pending,
      },
      { set: 10, quit: 4, co: 2, notQuit: 2, lost: 4, pending: 0 },
    );
    assert.equal(data.breakdowns.cmhc.yes!.setQuitDate, 6);
    assert.equal(data.breakdowns.setting.pharmacy!.setQuitDate, 3);

    const { text, html } = await page(manager, `${LEEDS_Q2}?done=generated`);
    assert.match(text, /A new version of the return has been generated/);
    assert.match(text, /2 errors to put right/);
    assert.match(text, /Pharmacy: 0 of 3 people who set a quit date quit \(0%\), at or below 35%/);
    assert.match(text, /GP practice: 1 of 1 person who set a quit date quit \(100%\), at or above 70%/);
    assert.match(text, /1 person who set a quit date has no sex recorded/);
    // The manager's own service's episode, linked to its assessment, where the item is asked.
    assert.match(html, new RegExp(`href="/episodes/${episodeIds.Finley}/assessment">Finley Returnson</a>`));
    const audited = await t.db
      .selectFrom('audit_events')
      .select(['action', 'entity_type'])
      .where('entity_id', '=', episodeIds.Finley!)
      .execute();
    assert.ok(
      audited.some((a) => a.action === 'list' && a.entity_type === 'episode'),
      'showing the link is audited as a read of the episode',
    );

    // The commissioner sees the same counts and no person.
    const c = await page(leeds, LEEDS_Q2);
    assert.match(c.text, /1 person who set a quit date has no sex recorded/);
    assert.ok(!c.text.includes('Finley'), 'no names for the commissioner');
    assert.ok(!c.html.includes('/episodes/'), 'no links to episodes for the commissioner');
  });

  test('errors block sign-off until the exception reasons are written', async () => {
    const refused = await manager.post(`${LEEDS_Q2}/sign-off`, {}, { from: LEEDS_Q2 });
    assert.equal(refused.statusCode, 409);
    assert.match(errorSummary(refused.body)[0]![1], /errors to put right first/);
    assert.equal((await currentVersion(LEEDS, 2025, 2)).status, 'draft');

    const tooLong = await manager.post(
      `${LEEDS_Q2}/exception-reasons`,
      { 'reason-pharmacy': 'x'.repeat(2001), 'reason-general_practice': 'ok' },
      { from: LEEDS_Q2 },
    );
    assert.equal(tooLong.statusCode, 400);
    assert.deepEqual(errorSummary(tooLong.body), [
      ['#reason-pharmacy', 'Each exception reason must be 2000 characters or fewer'],
    ]);

    const saved = await manager.post(
      `${LEEDS_Q2}/exception-reasons`,
      {
        'reason-pharmacy':
          'A new pharmacy scheme started in August; most of its clients were still early in their quit attempt.',
        'reason-general_practice': 'One person only.',
      },
      { from: LEEDS_Q2 },
    );
    assert.equal(saved.statusCode, 303);
    const v = await currentVersion(LEEDS, 2025, 2);
    assert.deepEqual(Object.keys(v.exception_reasons as object).sort(), ['general_practice', 'pharmacy']);
    assert.ok(
      !(v.validation as { severity: string }[]).some((i) => i.severity === 'error'),
      'no errors left',
    );
    const { text } = await page(manager, LEEDS_Q2);
    assert.match(text, /No errors: the return can be signed off/);
  });

  test('sign-off by the service manager; approval and submission by the commissioner, each in its turn', async () => {
    // The commissioner cannot approve what has not been signed off, nor submit what has not been approved.
    assert.equal((await leeds.post(`${LEEDS_Q2}/approve`, {}, { from: LEEDS_Q2 })).statusCode, 409);
    assert.equal((await leeds.post(`${LEEDS_Q2}/submit`, {}, { from: LEEDS_Q2 })).statusCode, 409);
    // Only a service manager signs off a return generated from Mortar; the commissioner may not.
    assert.equal((await leeds.post(`${LEEDS_Q2}/sign-off`, {}, { from: LEEDS_Q2 })).statusCode, 403);

    assert.equal((await manager.post(`${LEEDS_Q2}/sign-off`, {}, { from: LEEDS_Q2 })).statusCode, 303);
    assert.equal((await currentVersion(LEEDS, 2025, 2)).status, 'signed_off');
    assert.equal(
      (await manager.post(`${LEEDS_Q2}/approve`, {}, { from: LEEDS_Q2 })).statusCode,
      403,
      'a manager never approves',
    );
    assert.equal((await leeds.post(`${LEEDS_Q2}/approve`, {}, { from: LEEDS_Q2 })).statusCode, 303);
    assert.equal((await currentVersion(LEEDS, 2025, 2)).status, 'approved');
    assert.equal((await leeds.post(`${LEEDS_Q2}/submit`, {}, { from: LEEDS_Q2 })).statusCode, 303);
    assert.equal((await currentVersion(LEEDS, 2025, 2)).status, 'submitted');
    assert.deepEqual(
      (await events(LEEDS, 2025, 2)).map((e) => [e.kind, e.version]),
      [
        ['generated', 1],
        ['signed_off', 1],
        ['approved', 1],
        ['submitted', 1],
      ],
    );
    const { text } = await page(leeds, LEEDS_Q2);
    assert.match(text, /Submitted Locked/);
    assert.match(text, /Submitted to the national collection 1 Chris Owen/);
  });

  test('a submitted return is locked: no new version until it is reopened', async () => {
    const res = await manager.post(`${LEEDS_Q2}/generate`, {}, { from: LEEDS_Q2 });
    assert.equal(res.statusCode, 409);
    assert.match(errorSummary(res.body)[0]![1], /locked: the commissioner must reopen it/);
    assert.equal((await currentVersion(LEEDS, 2025, 2)).current_version, 1);
  });

  test('the national analyst sees every authority’s status, and England and regional totals of submitted returns', async () => {
    const { text, html } = await page(analyst, '/national/returns?year=2025&quarter=2');
    assert.match(text, /1 of 153 local authorities have submitted a return for 2025\/26 Q2/);
    assert.match(text, /Not started 152 Draft 0 Signed off 0 Approved 0 Submitted 1/);
    assert.match(
      html,
      /<a href="\/returns\/E08000035\/2025\/2">Leeds<\/a><\/th>\s*<td class="nhsuk-table__cell">Submitted/,
    );
    // England is Leeds alone, exact: 10 set a quit date, 4 quit, 2 CO-verified, a 40% quit rate.
    assert.match(text, /England 0 10 4 2 40% 50%/);
    assert.match(text, /Yorkshire and The Humber \(1 of 15 submitted\) 0 10 4 2 40% 50%/);
    assert.match(text, /Common mental health condition \(depression or anxiety\)/);
    // The trend has the quarter, with the mental health figures.
    assert.match(text, /2025\/26 Q2 1 10 4 40% 50% 6 4 67%/);
    // The analyst opens the return itself.
    assert.match((await page(analyst, LEEDS_Q2)).text, /Leeds: quarterly return 2025\/26 Q2/);
  });

  test('the national analyst rejects a submitted return with a message, and it goes back to draft', async () => {
    const empty = await analyst.post(`${LEEDS_Q2}/reject`, { message: '  ' }, { from: LEEDS_Q2 });
    assert.equal(empty.statusCode, 400);
    assert.deepEqual(errorSummary(empty.body), [
      ['#reject-message', 'Enter why the return is rejected: the people who put it right will read it'],
    ]);
    const res = await analyst.post(
      `${LEEDS_Q2}/reject`,
      { message: 'The pharmacy figures look low: please check the outcomes.' },
      { from: LEEDS_Q2 },
    );
    assert.equal(res.statusCode, 303);
    assert.equal((await currentVersion(LEEDS, 2025, 2)).status, 'draft');
    const last = (await events(LEEDS, 2025, 2)).at(-1)!;
    assert.deepEqual(
      [last.kind, last.message],
      ['rejected', 'The pharmacy figures look low: please check the outcomes.'],
    );
    assert.match(
      (await page(manager, LEEDS_Q2)).text,
      /Rejected, back to draft 1 Ana Silva, National Stop Smoking Data Team The pharmacy figures look low/,
    );
    // The analyst cannot reject what is not submitted, and a commissioner cannot reject a draft.
    assert.equal(
      (await analyst.post(`${LEEDS_Q2}/reject`, { message: 'again' }, { from: LEEDS_Q2 })).statusCode,
      409,
    );
    assert.equal(
      (await leeds.post(`${LEEDS_Q2}/reject`, { message: 'again' }, { from: LEEDS_Q2 })).statusCode,
      409,
    );
  });

  test('regenerating shows what changed since the last version; versions can be compared', async () => {
    // A follow-up recorded late: Finley turns out to have quit.
    await t.db
      .insertInto('episode_outcomes')
      .values({
        episode_id: episodeIds.Finley!,
        outcome: 'quit_self_reported',
        follow_up_on: '2025-09-29',
        smoked_days_15_to_28: false,
        co_ppm: null,
        reason: 'test',
        session_id: null,
        recorded_by: null,
      })
      .execute();
    assert.equal((await manager.post(`${LEEDS_Q2}/generate`, {}, { from: LEEDS_Q2 })).statusCode, 303);
    const v = await currentVersion(LEEDS, 2025, 2);
    assert.equal(v.current_version, 2);
    assert.deepEqual(
      Object.keys(v.exception_reasons as object).sort(),
      ['general_practice', 'pharmacy'],
      'reasons carried to the new version',
    );
    const { text } = await page(manager, LEEDS_Q2);
    assert.match(text, /What changed since version 1/);
    assert.match(text, /Totals Everyone Quit at four weeks \(self-reported, including CO-verified\) 4 5/);
    assert.match(text, /Totals Everyone Lost to follow-up 4 3/);
    const compare = await page(leeds, `${LEEDS_Q2}/compare?from=1&to=2`);
    assert.match(compare.text, /Version 1 to version 2/);
    assert.match(
      compare.text,
      /Intervention setting Community Quit at four weeks \(self-reported, including CO-verified\) 3 4/,
    );
    const same = await page(leeds, `${LEEDS_Q2}/compare?from=2&to=2`);
    assert.match(same.text, /No figure changed/);
    assert.equal((await leeds.get(`${LEEDS_Q2}/compare?from=1&to=9`)).statusCode, 404);
    const version1 = await page(leeds, `${LEEDS_Q2}/versions/1`);
    assert.match(version1.text, /Version 1/);
    assert.match(version1.text, /Everyone 0 10 4 2 2 4 0 40% 50%/);
  });

  test('reopening: only the commissioner, only an approved or submitted return, only with a reason', async () => {
    assert.equal(
      (await leeds.post(`${LEEDS_Q2}/reopen`, { message: 'Why not' }, { from: LEEDS_Q2 })).statusCode,
      409,
      'a draft is not reopened',
    );
    assert.equal((await manager.post(`${LEEDS_Q2}/sign-off`, {}, { from: LEEDS_Q2 })).statusCode, 303);
    assert.equal(
      (
        await leeds.post(
          `${LEEDS_Q2}/reject`,
          { message: 'Check the dates of two sessions first.' },
          { from: LEEDS_Q2 },
        )
      ).statusCode,
      303,
      'a commissioner rejects a signed-off return',
    );
    assert.equal((await currentVersion(LEEDS, 2025, 2)).status, 'draft');
    assert.equal((await manager.post(`${LEEDS_Q2}/sign-off`, {}, { from: LEEDS_Q2 })).statusCode, 303);
    assert.equal((await leeds.post(`${LEEDS_Q2}/approve`, {}, { from: LEEDS_Q2 })).statusCode, 303);
    assert.equal(
      (await manager.post(`${LEEDS_Q2}/generate`, {}, { from: LEEDS_Q2 })).statusCode,
      409,
      'approved is locked too',
    );
    assert.equal(
      (await manager.post(`${LEEDS_Q2}/reopen`, { message: 'Mine' }, { from: LEEDS_Q2 })).statusCode,
      403,
    );
    assert.equal(
      (await analyst.post(`${LEEDS_Q2}/reopen`, { message: 'Ours' }, { from: LEEDS_Q2 })).statusCode,
      403,
    );
    const noReason = await leeds.post(`${LEEDS_Q2}/reopen`, { message: '' }, { from: LEEDS_Q2 });
    assert.equal(noReason.statusCode, 400);
    assert.deepEqual(errorSummary(noReason.body), [['#reopen-message', 'Enter why the return is reopened']]);
    assert.equal((await currentVersion(LEEDS, 2025, 2)).status, 'approved');
    assert.equal(
      (await leeds.post(`${LEEDS_Q2}/reopen`, { message: 'A late follow-up to add.' }, { from: LEEDS_Q2 }))
        .statusCode,
      303,
    );
    assert.equal((await currentVersion(LEEDS, 2025, 2)).status, 'draft');
    assert.deepEqual((await events(LEEDS, 2025, 2)).at(-1), {
      kind: 'reopened',
      version: 2,
      message: 'A late follow-up to add.',
    });
    assert.equal(
      (await manager.post(`${LEEDS_Q2}/generate`, {}, { from: LEEDS_Q2 })).statusCode,
      303,
      'reopened, a new version can be made',
    );
    // Back to submitted for the tests that follow.
    assert.equal((await manager.post(`${LEEDS_Q2}/sign-off`, {}, { from: LEEDS_Q2 })).statusCode, 303);
    assert.equal((await leeds.post(`${LEEDS_Q2}/approve`, {}, { from: LEEDS_Q2 })).statusCode, 303);
    assert.equal((await leeds.post(`${LEEDS_Q2}/submit`, {}, { from: LEEDS_Q2 })).statusCode, 303);
    const kinds = (await events(LEEDS, 2025, 2)).map((e) => e.kind);
    assert.deepEqual(kinds, [
      'generated',
      'signed_off',
      'approved',
      'submitted',
      'rejected',
      'generated',
      'signed_off',
      'rejected',
      'signed_off',
      'approved',
      'reopened',
      'generated',
      'signed_off',
      'approved',
      'submitted',
    ]);
    const audits = await t.db
      .selectFrom('audit_events')
      .select(['action', 'detail'])
      .where('entity_type', '=', 'return')
      .where('action', '=', 'update')
      .execute();
    assert.ok(
      audits.some((a) => /reopened/.test(a.detail ?? '')),
      'every change audited',
    );
  });
});

describe('exports', () => {
  test('CSV and JSON in the layout read back to the same figures; the published ones are disclosure-controlled', async () => {
    const stored = dataOf(await currentVersion(LEEDS, 2025, 2));
    const csv = await leeds.get(`${LEEDS_Q2}/return.csv`);
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    assert.match(
      String(csv.headers['content-disposition']),
      /attachment; filename="mortar-return-E08000035-2025-26-Q2-v3\.csv"/,
    );
    const read = fromCsv(csv.body, {
      expect: { localAuthorityCode: LEEDS, financialYear: 2025, quarter: 2 },
    });
    assert.ok(read.ok, JSON.stringify(!read.ok && read.errors.slice(0, 3)));
    assert.deepEqual(figuresOf(read.return), figuresOf(stored));

    const json = await leeds.get(`${LEEDS_Q2}/return.json`);
    const body = JSON.parse(json.body) as {
      rows: { breakdown: string; category: string; measure: string; value: number }[];
      published: boolean;
    };
    assert.equal(body.published, false);
    assert.equal(body.rows.find((r) => r.breakdown === 'total' && r.measure === 'set_quit_date')!.value, 10);
    const fromJsonRows = fromJson(body.rows, {
      expect: { localAuthorityCode: LEEDS, financialYear: 2025, quarter: 2 },
    });
    assert.ok(fromJsonRows.ok);
    assert.deepEqual(figuresOf(fromJsonRows.return), figuresOf(stored), 'the JSON reads back too');

    const published = await leeds.get(`${LEEDS_Q2}/return.csv?published=1`);
    const value = (text: string, breakdown: string, category: string, measure: string) =>
      text
        .split('\r\n')
        .find((l) => l.split(',').slice(3, 6).join(',') === `${breakdown},${category},${measure}`)
        ?.split(',')[6];
    assert.equal(value(published.body, 'total', 'all', 'set_quit_date'), '10');
    assert.equal(
      value(published.body, 'total', 'all', 'quit_self_reported'),
      SUPPRESSED,
      '5 quits are hidden',
    );
    assert.equal(value(published.body, 'total', 'all', 'not_quit'), SUPPRESSED);
    assert.equal(value(published.body, 'sex', 'male', 'set_quit_date'), '0', 'a true zero stays 0');
    const back = fromCsv(published.body);
    assert.ok(
      !back.ok && back.errors.some((e) => /hidden/.test(e.message)),
      'a published file cannot be loaded as a return',
    );

    const exports = await t.db
      .selectFrom('audit_events')
      .select('detail')
      .where('action', '=', 'export')
      .where('entity_type', '=', 'return')
      .execute();
    assert.ok(
      exports.some((e) => /disclosure-controlled/.test(e.detail ?? '')) &&
        exports.some((e) => /exact/.test(e.detail ?? '')),
      'every export audited',
    );
    assert.equal((await leeds.get(`${LEEDS_Q2}/return.csv?version=1`)).statusCode, 200, 'an earlier version');
    assert.equal((await leeds.get(`${LEEDS_Q2}/return.csv?version=99`)).statusCode, 404);
  });
});

describe('imports', () => {
  const BRADFORD_Q2 = `/returns/${BRADFORD}/2025/2`;

  /** Leeds's version 1 as if it were Bradford's: a well-formed file that needs two exception reasons. */
  async function bradfordFile(la = BRADFORD): Promise<{ csv: string; ret: QuarterlyReturn }> {
    const v1 = await t.db
      .selectFrom('return_versions as v')
      .innerJoin('returns as r', 'r.id', 'v.return_id')
      .select('v.data')
      .where('r.local_authority_code', '=', LEEDS)
      .where('v.version', '=', 1)
      .executeTakeFirstOrThrow();
    const ret = { ...dataOf(v1), localAuthorityCode: la, asOf: null };
    return { csv: toCsv(ret), ret };
  }

  test('an authority whose services use Mortar generates its return: nobody imports one for it', async () => {
    assert.equal((await leeds.get(`${LEEDS_Q2}/import`)).statusCode, 403);
    assert.equal((await analyst.get(`${LEEDS_Q2}/import`)).statusCode, 403);
    assert.equal(
      (await bradford.post(`${BRADFORD_Q2}/generate`, {}, { from: BRADFORD_Q2 })).statusCode,
      403,
      'and one whose services do not cannot generate',
    );
  });

  test('row errors are listed in the error summary, and nothing is stored', async () => {
    const { csv } = await bradfordFile();
    const lines = csv.split('\r\n');
    lines[1] = lines[1]!.replace(/,\d+$/, ',lots');
    lines[3] = lines[3]!.replace(/^E08000032/, 'E08000035');
    const male = lines.findIndex((l) => l.includes(',sex,male,'));
    lines[male] = lines[male]!.replace(',sex,male,', ',sex,shoe,');
    const res = await bradford.post(
      `${BRADFORD_Q2}/import`,
      { csv: lines.join('\r\n') },
      { from: `${BRADFORD_Q2}/import` },
    );
    assert.equal(res.statusCode, 400);
    const summary = errorSummary(res.body);
    assert.ok(
      summary.some(
        ([href, text]) => href === '#csv' && /^Row 2, column value: "lots" is not a whole number/.test(text),
      ),
      JSON.stringify(summary),
    );
    assert.ok(
      summary.some(([, text]) =>
        /^Row 4, column local_authority_code: This row is for E08000035, but the file is being loaded for E08000032/.test(
          text,
        ),
      ),
    );
    assert.ok(
      summary.some(
        ([, text]) =>
          text ===
          `Row ${male + 1}, column category: "shoe" is not a category of the sex breakdown (see CSV-LAYOUT.md)`,
      ),
      JSON.stringify(summary),
    );
    assert.match(res.body, /<textarea[^>]*id="csv"/);
    assert.ok(res.body.includes('lots'), 'what was pasted is kept');
    assert.equal(
      await t.db
        .selectFrom('returns')
        .select('id')
        .where('local_authority_code', '=', BRADFORD)
        .executeTakeFirst(),
      undefined,
    );
    const blank = await bradford.post(
      `${BRADFORD_Q2}/import`,
      { csv: '' },
      { from: `${BRADFORD_Q2}/import` },
    );
    assert.deepEqual(errorSummary(blank.body), [['#csv', 'Paste the return’s CSV file into the box']]);
  });

  test('a good file becomes a version with source import, goes through the same validation and sign-off', async () => {
    const { csv, ret } = await bradfordFile();
    const res = await bradford.post(`${BRADFORD_Q2}/import`, { csv }, { from: `${BRADFORD_Q2}/import` });
    assert.equal(res.statusCode, 303, errorSummary(res.body).join('\n'));
    const v = await currentVersion(BRADFORD, 2025, 2);
    assert.deepEqual([v.source, v.status, v.current_version], ['import', 'draft', 1]);
    assert.deepEqual(figuresOf(dataOf(v)), figuresOf(ret));
    const { text } = await page(bradford, BRADFORD_Q2);
    assert.match(text, /loaded from a file/);
    assert.match(text, /2 errors to put right/);
    assert.ok(!/no sex recorded/.test(text), 'no missing-data checks: there are no episodes behind a file');
    // No service manager in Mortar: the commissioner signs off, once the reasons are written.
    assert.equal((await bradford.post(`${BRADFORD_Q2}/sign-off`, {}, { from: BRADFORD_Q2 })).statusCode, 409);
    assert.equal(
      (
        await bradford.post(
          `${BRADFORD_Q2}/exception-reasons`,
          { 'reason-pharmacy': 'New scheme.', 'reason-general_practice': 'One person.' },
          { from: BRADFORD_Q2 },
        )
      ).statusCode,
      303,
    );
    for (const step of ['sign-off', 'approve', 'submit']) {
      assert.equal(
        (await bradford.post(`${BRADFORD_Q2}/${step}`, {}, { from: BRADFORD_Q2 })).statusCode,
        303,
        step,
      );
    }
    assert.equal((await currentVersion(BRADFORD, 2025, 2)).status, 'submitted');
    assert.deepEqual(
      (await events(BRADFORD, 2025, 2)).map((e) => e.kind),
      ['imported', 'signed_off', 'approved', 'submitted'],
    );
  });

  test('a national analyst loads the file of an authority outside Mortar and submits it; Manchester’s commissioner cannot touch Leeds or Bradford', async () => {
    const path = `/returns/${WAKEFIELD}/2025/2`;
    const { csv } = await bradfordFile(WAKEFIELD);
    assert.equal((await analyst.post(`${path}/import`, { csv }, { from: `${path}/import` })).statusCode, 303);
    assert.equal(
      (await analyst.post(`${path}/submit`, {}, { from: path })).statusCode,
      409,
      'not with errors',
    );
    assert.equal(
      (
        await analyst.post(
          `${path}/exception-reasons`,
          { 'reason-pharmacy': 'As sent by Wakefield.', 'reason-general_practice': 'As sent by Wakefield.' },
          { from: path },
        )
      ).statusCode,
      303,
    );
    assert.equal((await analyst.post(`${path}/submit`, {}, { from: path })).statusCode, 303);
    assert.equal((await currentVersion(WAKEFIELD, 2025, 2)).status, 'submitted');
    assert.equal((await manchester.get(`/returns/${BRADFORD}/2025/2/import`)).statusCode, 403);
  });
});

describe('who may see and do what', () => {
  test('Manchester’s commissioner can neither see nor act on Leeds’s return; a referrer and an adviser get 403', async () => {
    assert.equal((await manchester.get(LEEDS_Q2)).statusCode, 403);
    for (const step of ['generate', 'approve', 'submit', 'reopen', 'exception-reasons']) {
      assert.equal(
        (await manchester.post(`${LEEDS_Q2}/${step}`, { message: 'x' }, { from: '/returns' })).statusCode,
        403,
        step,
      );
    }
    for (const url of [
      `${LEEDS_Q2}/return.csv`,
      `${LEEDS_Q2}/return.json`,
      `${LEEDS_Q2}/versions/1`,
      `${LEEDS_Q2}/compare`,
    ]) {
      assert.equal((await manchester.get(url)).statusCode, 403, url);
    }
    assert.equal((await manchester.get(`/returns/${MANCHESTER}/2025/2`)).statusCode, 200, 'their own');
    assert.ok(!textOf((await manchester.get('/returns')).body).includes('Leeds'));
    for (const email of ['referrer@demo.test', 'adviser@demo.test', 'admin@demo.test']) {
      const s = await signIn(t.app, email);
      for (const url of [
        '/returns',
        LEEDS_Q2,
        `${LEEDS_Q2}/return.csv`,
        '/national/returns',
        '/national/returns/published',
        '/national/returns/published.csv',
      ]) {
        assert.equal((await s.get(url)).statusCode, 403, `${email} ${url}`);
      }
      assert.equal((await s.post(`${LEEDS_Q2}/generate`, {}, { from: '/' })).statusCode, 403, email);
    }
    assert.equal((await anonymous(t.app).get(LEEDS_Q2)).statusCode, 303, 'signed out: to sign in');
    // Leeds's service manager cannot see Manchester's return: their service is not commissioned there.
    assert.equal((await manager.get(`/returns/${MANCHESTER}/2025/2`)).statusCode, 403);
  });

  test('a period or authority that does not exist is not found', async () => {
    for (const url of [
      `/returns/${LEEDS}/2025/5`,
      `/returns/${LEEDS}/1999/1`,
      `/returns/${LEEDS}/20x5/1`,
      '/returns/E99999999/2025/1',
      '/returns/nonsense/2025/1',
      `${LEEDS_Q2}/versions/abc`,
      '/national/returns?year=2025&quarter=9',
    ]) {
      const s = url.startsWith('/national') ? analyst : leeds;
      assert.equal((await s.get(url)).statusCode, 404, url);
    }
  });

  test('the lists: the commissioner and the manager see their authority’s quarters; the analyst goes to the collection', async () => {
    assert.match((await page(leeds, '/returns')).text, /Leeds/);
    assert.match((await page(manager, '/returns')).text, /Leeds/);
    const res = await analyst.get('/returns');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/national/returns');
  });
});

describe('published tables', () => {
  test('every figure is disclosure-controlled as one publication, England’s totals exact where safe; a commissioner sees their own authority exact beside it', async () => {
    // Submitted for 2025/26 Q2: Leeds (version 3: 10 set a quit date, 5 quit), Bradford and Wakefield (4 of 10 each).
    const leedsNow = dataOf(await currentVersion(LEEDS, 2025, 2));
    const england = sumReturns(ENGLAND, 2025, 2, [
      leedsNow,
      dataOf(await currentVersion(BRADFORD, 2025, 2)),
      dataOf(await currentVersion(WAKEFIELD, 2025, 2)),
    ]);
    assert.equal(england.totals.quitSelfReported, 13);
    const csv = await analyst.get('/national/returns/published.csv?year=2025&quarter=2');
    assert.equal(csv.statusCode, 200);
    const rows = csv.body
      .trim()
      .split('\r\n')
      .slice(1)
      .map((l) => l.split(','));
    const find = (code: string, measure: string) =>
      rows.find((r) => r[0] === code && r[3] === 'total' && r[5] === measure)?.[6];
    assert.equal(find(ENGLAND, 'set_quit_date'), '30', 'England’s totals exact');
    // England is one region here, so England's exact totals would give Yorkshire's hidden counts away
    // (6 CO-verified, all of them women): those totals are hidden too.
    assert.equal(find(ENGLAND, 'quit_co_verified'), SUPPRESSED);
    assert.equal(find(ENGLAND, 'not_quit'), SUPPRESSED);
    assert.equal(find('E12000003', 'set_quit_date'), '30', 'Yorkshire and The Humber: 30 rounded');
    assert.equal(find(LEEDS, 'quit_self_reported'), SUPPRESSED, 'Leeds: 5 hidden');
    assert.equal(find(LEEDS, 'set_quit_date'), '10');
    assert.equal(find(MANCHESTER, 'set_quit_date'), undefined, 'only submitted returns are published');
    const json = JSON.parse(
      (await analyst.get('/national/returns/published.json?year=2025&quarter=2')).body,
    ) as { rows: unknown[]; disclosure: string };
    assert.equal(json.rows.length, rows.length);
    assert.match(json.disclosure, /counts from 1 to 7 are hidden \(\*\)/);
    assert.match(json.disclosure, /so that no hidden count can be worked out/);

    const seen = await page(leeds, '/national/returns/published?year=2025&quarter=2');
    assert.match(
      seen.text,
      /Your local authority, exact \(not for publication\) Local authority Referrals received Set a quit date Quit at four weeks Quit, CO-verified Quit rate CO-verified share of quits Leeds 0 10 5 2 50% 40%/,
    );
    assert.match(
      seen.text,
      /Local authorities that have submitted their return .*Bradford 0 10 \* \* \* \* Leeds 0 10 \* \* \* \* Wakefield 0 10 \* \* \* \*/,
    );
    assert.match(seen.text, /Yorkshire and The Humber \(3 of 15 submitted\) 0 30 \* \* \* \*/);
    assert.match(seen.text, /London \(0 of 33 submitted\) 0 0 0 0 – –/);
    assert.match(seen.text, /England 0 30 \* \* \* \*/);
    assert.match(seen.text, /Not published yet/);
    assert.ok(!/Publish 2025\/26 Q2/.test(seen.text), 'only national analysts publish');
    const other = await page(manchester, '/national/returns/published?year=2025&quarter=2');
    assert.ok(
      !/Your local authority, exact/.test(other.text),
      'Manchester has no submitted return, so nothing exact',
    );
    assert.match(other.text, /Leeds 0 10 \* \* \* \*/);

    const exact = await analyst.get('/national/returns/england.csv?year=2025&quarter=2');
    const back = fromCsv(exact.body);
    assert.ok(back.ok);
    assert.deepEqual(back.return.totals, { ...england.totals });
    assert.equal(
      (await leeds.get('/national/returns/england.csv?year=2025&quarter=2')).statusCode,
      403,
      'the exact England file is the analysts’',
    );
  });
});
