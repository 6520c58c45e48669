// A referral carrying a campaign code, on each of the three paths: the staff form, the API and the
// public self-referral (a link's hidden code and a typed one). Unknown codes are refused where they are
// typed, with what was typed kept; a link's unknown code is dropped without troubling the person.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LEEDS_CAMPAIGN_CODE, REGIONAL_CAMPAIGN_CODE } from '../../demo/demo-campaigns.ts';
import { hashToken } from '../../platform/tokens.ts';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { anonymous, signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import { errorsByField, inputValue } from '../organisations/test-html.ts';

let t: TestApp;
let referrer: HttpSession;
let apiKey: string;
let leedsCampaign: string;
let regionalCampaign: string;

const campaignOf = async (given: string) =>
  (
    await t.db
      .selectFrom('referrals')
      .select('campaign_id')
      .where('given_name', '=', given)
      .executeTakeFirstOrThrow()
  ).campaign_id;
const referralCount = async () =>
  Number(
    (
      await t.db
        .selectFrom('referrals')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

before(async () => {
  t = await buildTestApp({ demo: true });
  referrer = await signIn(t.app, 'referrer@demo.test');
  const org = await t.db
    .selectFrom('organisations')
    .select('id')
    .where('name', '=', 'Leeds NHS Talking Therapies')
    .executeTakeFirstOrThrow();
  apiKey = 'mk_campaign_test_key_0123456789';
  await t.db
    .insertInto('api_keys')
    .values({
      organisation_id: org.id,
      name: 'campaign test',
      key_prefix: apiKey.slice(0, 8),
      key_hash: hashToken(apiKey),
      created_by: null,
    })
    .execute();
  const id = async (code: string) =>
    (await t.db.selectFrom('campaigns').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
  leedsCampaign = await id(LEEDS_CAMPAIGN_CODE);
  regionalCampaign = await id(REGIONAL_CAMPAIGN_CODE);
});
after(() => t?.close());

const staffForm = (given: string, campaignCode: string) => ({
  smokingStatus: '1',
  vapingStatus: 'never',
  adviceGiven: 'yes',
  acceptsReferral: 'yes',
  givenName: given,
  familyName: 'Okoro',
  'dateOfBirth-day': '3',
  'dateOfBirth-month': '2',
  'dateOfBirth-year': '1979',
  postcode: 'LS6 1AN',
  phone: '07700 900111',
  contactMethods: ['phone'],
  contactTimes: 'any',
  mentalHealth: 'depression',
  inTalkingTherapies: 'yes',
  consentShareProgress: 'yes',
  campaignCode,
});

describe('the staff referral form', () => {
  test('offers the optional field with its hint', async () => {
    const res = await referrer.get('/referrals/new');
    assert.match(res.body, /Campaign code \(optional\)/);
    assert.match(res.body, /If the person mentioned a campaign or you are referring as part of one/);
  });

  test('a code typed any way carries the referral to its campaign; none leaves it without one', async () => {
    assert.equal(
      (await referrer.post('/referrals', staffForm('Adaeze', ' leeds tt 2026 '), { from: '/referrals/new' }))
        .statusCode,
      303,
    );
    assert.equal(await campaignOf('Adaeze'), leedsCampaign);
    assert.equal(
      (await referrer.post('/referrals', staffForm('Bola', ''), { from: '/referrals/new' })).statusCode,
      303,
    );
    assert.equal(await campaignOf('Bola'), null);
  });

  test('an unknown or malformed code is refused against the field, nothing is stored, and everything typed is kept', async () => {
    const before = await referralCount();
    const res = await referrer.post('/referrals', staffForm('Chidi', 'LEEDS-TT-2025'), {
      from: '/referrals/new',
    });
    assert.equal(res.statusCode, 400);
    assert.equal(
      errorsByField(res.body).campaignCode,
      'There is no campaign with the code LEEDS-TT-2025. Check the code, or leave it blank',
    );
    assert.equal(inputValue(res.body, 'campaignCode'), 'LEEDS-TT-2025');
    assert.equal(inputValue(res.body, 'givenName'), 'Chidi');
    const bad = await referrer.post('/referrals', staffForm('Chidi', 'LEEDS/TT'), { from: '/referrals/new' });
    assert.equal(
      errorsByField(bad.body).campaignCode,
      'The campaign code must only include letters, numbers and hyphens, like LEEDS-TT-2026',
    );
    assert.equal(await referralCount(), before);
  });
});

describe('the API', () => {
  const call = (body: unknown) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/referrals',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
  const body = (given: string, campaignCode?: string) => ({
    smokingStatus: '1',
    vapingStatus: 'never',
    adviceGiven: 'yes',
    acceptsReferral: 'yes',
    givenName: given,
    familyName: 'Api',
    dateOfBirth: '1979-02-03',
    postcode: 'LS2 9JT',
    phone: '07700 900222',
    contactMethods: ['phone'],
    mentalHealth: 'anxiety',
    inTalkingTherapies: 'no',
    consentShareProgress: 'no',
    ...(campaignCode === undefined ? {} : { campaignCode }),
  });

  test('takes campaignCode, and refuses an unknown one with a 422 problem naming the field', async () => {
    const ok = await call(body('Dayo', 'yh-quit-2026'));
    assert.equal(ok.statusCode, 201, ok.body);
    assert.equal(await campaignOf('Dayo'), regionalCampaign);
    assert.equal((await call(body('Efe'))).statusCode, 201);
    assert.equal(await campaignOf('Efe'), null);

    const before = await referralCount();
    const unknown = await call(body('Funmi', 'NOPE-2026'));
    assert.equal(unknown.statusCode, 422);
    assert.match(String(unknown.headers['content-type']), /application\/problem\+json/);
    const problem = unknown.json();
    assert.equal(problem.field, 'campaignCode');
    assert.deepEqual(
      problem.errors.map((e: { path: string }) => e.path),
      ['campaignCode'],
    );
    const malformed = await call(body('Funmi', 'NOPE 2026 <b>'));
    assert.equal(malformed.statusCode, 400);
    assert.deepEqual(
      malformed.json().errors.map((e: { path: string }) => e.path),
      ['campaignCode'],
    );
    assert.equal(await referralCount(), before);
  });

  test('the OpenAPI document describes campaignCode', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const schema = JSON.stringify(doc.components.schemas.AskAdviseAct);
    assert.match(schema, /"campaignCode"/);
    assert.match(schema, /LEEDS-TT-2026/);
    assert.match(doc.paths['/api/v1/referrals'].post.responses['422'].description, /campaignCode/);
  });
});

describe('the public self-referral', () => {
  const selfForm = (given: string, extra: Record<string, string> = {}) => ({
    givenName: given,
    familyName: 'Public',
    'dateOfBirth-day': '9',
    'dateOfBirth-month': '4',
    'dateOfBirth-year': '1988',
    postcode: 'LS6 1AN',
    phone: '07700 900333',
    contactMethods: ['phone'],
    contactTimes: 'any',
    helpWanted: 'stop_smoking',
    consent: 'yes',
    extraDetails: '',
    ...extra,
  });

  test('a campaign link is carried in a hidden field, and the referral carries the campaign', async () => {
    const person = anonymous(t.app);
    const start = await person.get('/self-referral?campaign=leeds-tt-2026');
    assert.match(start.body, /<input type="hidden" name="campaign" value="LEEDS-TT-2026">/);
    assert.match(start.body, /Campaign code \(if you have one\)/);
    const res = await person.post('/self-referral', selfForm('Gozie', { campaign: 'LEEDS-TT-2026' }));
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    assert.equal(await campaignOf('Gozie'), leedsCampaign);
  });

  test('the hidden code survives a form sent back with mistakes', async () => {
    const person = anonymous(t.app);
    await person.get('/self-referral?campaign=LEEDS-TT-2026');
    const res = await person.post('/self-referral', {
      ...selfForm('Hadiza', { campaign: 'LEEDS-TT-2026' }),
      helpWanted: '',
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /<input type="hidden" name="campaign" value="LEEDS-TT-2026">/);
  });

  test('an unknown code in a link is dropped, never an error: the referral is made without a campaign', async () => {
    const person = anonymous(t.app);
    const start = await person.get('/self-referral?campaign=NOT-A-CAMPAIGN');
    assert.ok(!start.body.includes('name="campaign"'));
    const res = await person.post('/self-referral', selfForm('Ifeoma', { campaign: 'NOT-A-CAMPAIGN' }));
    assert.equal(res.statusCode, 303);
    assert.equal(await campaignOf('Ifeoma'), null);
  });

  test('a typed code wins over the link’s; an unknown typed code is a clear error that keeps what was typed', async () => {
    const person = anonymous(t.app);
    await person.get('/self-referral?campaign=LEEDS-TT-2026');
    const res = await person.post(
      '/self-referral',
      selfForm('Jumoke', { campaign: 'LEEDS-TT-2026', campaignCode: 'yhquit2026' }),
    );
    assert.equal(res.statusCode, 303);
    assert.equal(await campaignOf('Jumoke'), regionalCampaign);

    const before = await referralCount();
    const wrong = await person.post('/self-referral', selfForm('Kemi', { campaignCode: 'QUITNOW' }), {
      from: '/self-referral',
    });
    assert.equal(wrong.statusCode, 400);
    assert.equal(
      errorsByField(wrong.body).campaignCode,
      'We do not recognise this campaign code. Check it and enter it again, or leave it blank',
    );
    assert.equal(inputValue(wrong.body, 'campaignCode'), 'QUITNOW');
    assert.equal(inputValue(wrong.body, 'givenName'), 'Kemi');
    assert.equal(await referralCount(), before);
  });
});
