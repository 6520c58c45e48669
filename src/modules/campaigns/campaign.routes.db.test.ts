// Campaign pages through HTTP: who sees and edits which campaign, the form (errors keep what was typed,
// CSRF, a code used twice), the audit of every change, and the results page and its CSV.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MANCHESTER } from '../../demo/demo-data.ts';
import { LEEDS_CAMPAIGN_CODE, REGIONAL_CAMPAIGN_CODE } from '../../demo/demo-campaigns.ts';
import { hashPassword } from '../../platform/passwords.ts';
import { buildTestApp, DEMO_PASSWORD, type TestApp } from '../../../test/helpers/test-app.ts';
import { signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import {
  errorsByField,
  inputValue,
  tableWithCaption,
  textOf,
  textareaValue,
} from '../organisations/test-html.ts';

let t: TestApp;
let leeds: HttpSession;
let analyst: HttpSession;
let manchester: HttpSession;
let leedsCampaign: string;
let regionalCampaign: string;

const idOf = async (code: string) =>
  (await t.db.selectFrom('campaigns').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
const audits = (id: string) =>
  t.db
    .selectFrom('audit_events')
    .select(['action', 'detail', 'actor_user_id'])
    .where('entity_type', '=', 'campaign')
    .where('entity_id', '=', id)
    .orderBy('id')
    .execute();

before(async () => {
  t = await buildTestApp({ demo: true });
  leeds = await signIn(t.app, 'commissioner@demo.test');
  analyst = await signIn(t.app, 'analyst@demo.test');
  const council = await t.db
    .insertInto('organisations')
    .values({
      name: 'Manchester City Council Public Health',
      type: 'local_authority',
      local_authority_code: MANCHESTER,
      ods_code: null,
      email: null,
      phone: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await t.db
    .insertInto('users')
    .values({
      email: 'commissioner.manchester@demo.test',
      name: 'Max Byrne',
      role: 'commissioner',
      organisation_id: council.id,
      password_hash: await hashPassword(DEMO_PASSWORD),
    })
    .execute();
  manchester = await signIn(t.app, 'commissioner.manchester@demo.test');
  leedsCampaign = await idOf(LEEDS_CAMPAIGN_CODE);
  regionalCampaign = await idOf(REGIONAL_CAMPAIGN_CODE);
});
after(() => t?.close());

const form = (over: Record<string, string | string[]> = {}) => ({
  code: 'leeds winter 26',
  name: 'Winter quit drive',
  description: 'Posters in GP surgeries',
  'startsOn-day': '1',
  'startsOn-month': '12',
  'startsOn-year': '2026',
  'endsOn-day': '28',
  'endsOn-month': '2',
  'endsOn-year': '2027',
  channels: ['posters', 'gp_letters'],
  ...over,
});

describe('the list', () => {
  test('the Leeds commissioner sees Leeds’s and the region’s campaigns, in the menu', async () => {
    const res = await leeds.get('/campaigns');
    assert.equal(res.statusCode, 200);
    const text = textOf(res.body);
    assert.match(text, /Quit with Talking Therapies LEEDS-TT-2026 Leeds \(local\)/);
    assert.match(
      text,
      /Quit for Good: Yorkshire and the Humber YH-QUIT-2026 Yorkshire and The Humber \(regional\)/i,
    );
    assert.match(
      res.body,
      /href="\/campaigns"[^>]*aria-current="page"|aria-current="page"[^>]*href="\/campaigns"/,
    );
  });

  test('a commissioner elsewhere sees neither, and cannot open them', async () => {
    const res = await manchester.get('/campaigns');
    assert.equal(res.statusCode, 200);
    assert.ok(!textOf(res.body).includes('LEEDS-TT-2026'));
    assert.ok(!textOf(res.body).includes('YH-QUIT-2026'));
    assert.equal((await manchester.get(`/campaigns/${leedsCampaign}`)).statusCode, 404);
    assert.equal((await manchester.get(`/campaigns/${regionalCampaign}/results.csv`)).statusCode, 404);
    assert.equal((await manchester.get('/campaigns/not-a-uuid')).statusCode, 404);
  });

  test('the analyst sees every campaign; other roles are refused', async () => {
    const text = textOf((await analyst.get('/campaigns')).body);
    assert.match(text, /LEEDS-TT-2026/);
    assert.match(text, /YH-QUIT-2026/);
    const adviser = await signIn(t.app, 'adviser@demo.test');
    assert.equal((await adviser.get('/campaigns')).statusCode, 403);
  });
});

describe('creating and editing', () => {
  test('a commissioner creates a local campaign for their own authority, whatever area is sent; the code is normalised and audited', async () => {
    const res = await leeds.post(
      '/campaigns',
      form({ areaKind: 'regional', regionCode: 'E12000007', localAuthorityCode: MANCHESTER }),
      { from: '/campaigns/new' },
    );
    assert.equal(res.statusCode, 303, res.body.slice(0, 400));
    const id = String(res.headers.location).split('/').pop()!;
    const row = await t.db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.code, 'LEEDS-WINTER-26');
    assert.equal(row.local_authority_code, 'E08000035');
    assert.equal(row.region_code, null);
    assert.deepEqual(row.channels, ['posters', 'gp_letters']);
    const [a] = await audits(id);
    assert.equal(a!.action, 'create');
    assert.match(
      a!.detail ?? '',
      /code LEEDS-WINTER-26; local authority E08000035; 2026-12-01 to 2027-02-28; channels posters,gp_letters/,
    );
    const page = await leeds.get(`/campaigns/${id}`);
    assert.match(textOf(page.body), /Winter quit drive has been created/);
    assert.match(textOf(page.body), /1 December 2026 to 28 February 2027/);
  });

  test('mistakes are listed, what was typed is kept, and a code differing only by hyphens is taken', async () => {
    const res = await leeds.post(
      '/campaigns',
      form({
        code: 'leedstt2026',
        name: '',
        'endsOn-day': '30',
        'endsOn-month': '11',
        'endsOn-year': '2026',
        description: 'Keep <this>',
      }),
      { from: '/campaigns/new' },
    );
    assert.equal(res.statusCode, 400);
    const errors = errorsByField(res.body);
    assert.equal(errors.name, 'Enter the campaign name');
    assert.equal(errors['endsOn-day'], 'The end date must be the same as or after the start date');
    assert.equal(errors.description, 'The description must not include < > { or }');
    assert.equal(inputValue(res.body, 'code'), 'leedstt2026');
    assert.equal(textareaValue(res.body, 'description'), 'Keep <this>');
    assert.match(res.body, /value="posters" checked/);

    const taken = await leeds.post('/campaigns', form({ code: 'leedstt2026' }), { from: '/campaigns/new' });
    assert.equal(taken.statusCode, 400);
    assert.equal(
      errorsByField(taken.body).code,
      'This code is already used by another campaign. Choose a different code',
    );
    const bad = await leeds.post('/campaigns', form({ code: 'AB' }), { from: '/campaigns/new' });
    assert.equal(errorsByField(bad.body).code, 'The code must have at least 3 letters or numbers');
  });

  test('a form without its CSRF token changes nothing', async () => {
    const before = (await t.db.selectFrom('campaigns').select('id').execute()).length;
    const res = await leeds.post('/campaigns', form({ code: 'NO-TOKEN' }), { csrf: false });
    assert.equal(res.statusCode, 403);
    assert.equal((await t.db.selectFrom('campaigns').select('id').execute()).length, before);
  });

  test('the analyst creates a regional campaign; the commissioner cannot change it, but can change Leeds’s', async () => {
    const res = await analyst.post(
      '/campaigns',
      form({ code: 'NW-QUIT', name: 'North West quit', areaKind: 'regional', regionCode: 'E12000002' }),
      { from: '/campaigns/new' },
    );
    assert.equal(res.statusCode, 303, res.body.slice(0, 400));
    const noRegion = await analyst.post(
      '/campaigns',
      form({ code: 'NO-AREA', areaKind: 'regional', regionCode: 'E12999999' }),
      { from: '/campaigns/new' },
    );
    assert.equal(errorsByField(noRegion.body).regionCode, 'Select the region');

    assert.equal((await leeds.get(`/campaigns/${regionalCampaign}/edit`)).statusCode, 403);
    assert.equal((await leeds.post(`/campaigns/${regionalCampaign}/edit`, form())).statusCode, 403);
    const regionalPage = await leeds.get(`/campaigns/${regionalCampaign}`);
    assert.ok(!regionalPage.body.includes(`/campaigns/${regionalCampaign}/edit`), 'no change link');

    const edit = await leeds.get(`/campaigns/${leedsCampaign}/edit`);
    assert.equal(edit.statusCode, 200);
    assert.equal(inputValue(edit.body, 'name'), 'Quit with Talking Therapies');
    const saved = await leeds.post(`/campaigns/${leedsCampaign}/edit`, {
      ...form({ code: 'CHANGED' }),
      name: 'Quit with Talking Therapies',
      'startsOn-day': '1',
      'startsOn-month': '1',
      'startsOn-year': '2026',
      'endsOn-day': '',
      'endsOn-month': '',
      'endsOn-year': '',
    });
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 400));
    const row = await t.db
      .selectFrom('campaigns')
      .selectAll()
      .where('id', '=', leedsCampaign)
      .executeTakeFirstOrThrow();
    assert.equal(row.code, LEEDS_CAMPAIGN_CODE, 'the code never changes');
    const last = (await audits(leedsCampaign)).at(-1)!;
    assert.equal(last.action, 'update');
    assert.match(last.detail ?? '', /starts "\d{4}-\d{2}-\d{2}" to "2026-01-01"/);
    assert.match(
      last.detail ?? '',
      /channels \["gp_letters","leaflets","posters"\] to \["gp_letters","posters"\]/,
    );
  });
});

describe('results', () => {
  test('the page shows the counts for the Leeds commissioner exactly when every referral is Leeds’s', async () => {
    const res = await leeds.get(`/campaigns/${leedsCampaign}`);
    assert.equal(res.statusCode, 200);
    const table = textOf(tableWithCaption(res.body, 'Results of Quit with Talking Therapies'));
    assert.match(table, /Referrals 4 Set a quit date 1 Quit at 4 weeks 0 Quit, CO-verified 0/);
    const areas = textOf(tableWithCaption(res.body, 'Results by local authority the referral went to'));
    assert.match(areas, /Leeds Yes 4 1 0 0 Exact/);
    const sources = textOf(tableWithCaption(res.body, 'Results by referral source'));
    assert.match(sources, /NHS Talking Therapies 3 0 0 0/);
    assert.match(sources, /Foodbank 1 1 0 0/);
    assert.match(res.body, /scope="col"/);
    assert.match(textOf(res.body), /\/self-referral\?campaign=LEEDS-TT-2026/);
  });

  test('the CSV has the same figures, says whether each is exact, and is audited', async () => {
    const res = await leeds.get(`/campaigns/${leedsCampaign}/results.csv`);
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/csv/);
    const lines = res.body.trim().split('\r\n');
    assert.equal(
      lines[0],
      'campaign_code,campaign_name,breakdown,category,figures,referrals,set_quit_date,quit_4_weeks,quit_co_verified',
    );
    assert.ok(
      lines.includes(
        'LEEDS-TT-2026,Quit with Talking Therapies,total,All referrals that count,exact,4,1,0,0',
      ),
      lines.join('\n'),
    );
    assert.ok(
      lines.includes('LEEDS-TT-2026,Quit with Talking Therapies,local_authority,Leeds,exact,4,1,0,0'),
    );
    assert.equal((await audits(leedsCampaign)).filter((a) => a.action === 'export').length, 1);
  });
});
