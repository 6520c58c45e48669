import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { hashToken, newToken } from '../../platform/tokens.ts';
import { stepCodeValues } from '../../platform/clinical-code-log.ts';
import { insertReferral } from './referral.repository.ts';
import { parseApiBody } from './referral.schemas.ts';

let t: TestApp;
let key: string;
let gpKey: string;

const body = {
  smokingStatus: '1',
  vapingStatus: 'current',
  adviceGiven: 'yes',
  acceptsReferral: 'yes',
  givenName: 'Kai',
  familyName: 'Nowak',
  dateOfBirth: '1992-04-30',
  postcode: 'M14 5TQ',
  email: 'kai@example.com',
  contactMethods: ['email'],
  mentalHealth: 'anxiety',
  inTalkingTherapies: 'yes',
  consentShareProgress: 'yes',
};

async function keyFor(orgName: string) {
  const org = await t.db
    .selectFrom('organisations')
    .select('id')
    .where('name', '=', orgName)
    .executeTakeFirstOrThrow();
  const k = `mk_${newToken()}`;
  await t.db
    .insertInto('api_keys')
    .values({
      organisation_id: org.id,
      name: 'test',
      key_prefix: k.slice(0, 11),
      key_hash: hashToken(k),
      created_by: null,
    })
    .execute();
  return k;
}

const call = (
  method: 'GET' | 'POST',
  url: string,
  k: string | null,
  payload?: unknown,
  contentType = 'application/json',
) =>
  t.app.inject({
    method,
    url,
    headers: {
      ...(k ? { authorization: `Bearer ${k}` } : {}),
      ...(payload !== undefined ? { 'content-type': contentType } : {}),
    },
    ...(payload !== undefined
      ? { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }
      : {}),
  });

before(async () => {
  t = await buildTestApp({ demo: true });
  key = await keyFor('Manchester NHS Talking Therapies');
  gpKey = await keyFor('Hyde Park Surgery');
});
after(() => t.close());

test('POST creates a referral routed by postcode, with Location and reference', async () => {
  const res = await call('POST', '/api/v1/referrals', key, body);
  assert.equal(res.statusCode, 201);
  const json = res.json();
  assert.equal(json.outcome, 'referred');
  assert.match(json.reference, /^MOR-\d{6}$/);
  assert.equal(json.service.name, 'Manchester Stop Smoking Service');
  assert.equal(res.headers.location, `/api/v1/referrals/${json.id}`);
  const row = await t.db
    .selectFrom('referrals')
    .select(['source', 'api_key_id', 'referrer_user_id'])
    .where('id', '=', json.id)
    .executeTakeFirstOrThrow();
  assert.equal(row.source, 'api');
  assert.ok(row.api_key_id);
  assert.equal(row.referrer_user_id, null);
  const got = await call('GET', `/api/v1/referrals/${json.id}`, key);
  assert.equal(got.statusCode, 200);
  assert.equal(got.json().status, 'received');
  assert.equal(got.json().localAuthority.code, 'E08000003');
});

test('advice without a referral is recorded and keeps no personal details', async () => {
  const res = await call('POST', '/api/v1/referrals', key, {
    smokingStatus: '1',
    vapingStatus: 'never',
    adviceGiven: 'yes',
    acceptsReferral: 'no',
  });
  assert.equal(res.statusCode, 201);
  assert.equal(res.json().outcome, 'advice_recorded');
});

test('asking someone who does not smoke is recorded and counted, with nothing about them kept', async () => {
  const res = await call('POST', '/api/v1/referrals', key, { smokingStatus: '4', vapingStatus: 'never' });
  assert.equal(res.statusCode, 201);
  assert.equal(res.json().outcome, 'asked_recorded');
  const row = await t.db
    .selectFrom('advice_records')
    .selectAll()
    .where('id', '=', res.json().adviceId)
    .executeTakeFirstOrThrow();
  assert.equal(row.outcome, 'asked_only');
  assert.equal(row.advice_given, false);
  assert.equal(row.smoking_status, '4');
  assert.ok(row.api_key_id);

  // Someone who smokes still needs the advice and the referral answer.
  const smoker = await call('POST', '/api/v1/referrals', key, { smokingStatus: '1', vapingStatus: 'never' });
  assert.equal(smoker.statusCode, 400);
});

test('bad input gets a 400 problem document listing each field, never a 500', async () => {
  const cases: unknown[] = [
    {},
    { ...body, givenName: '<script>alert(1)</script>' },
    { ...body, givenName: 'x'.repeat(500) },
    { ...body, dateOfBirth: 12 },
    { ...body, contactMethods: 'email' },
    { ...body, postcode: 'ZZZ' },
    { ...body, nhsNumber: '1234567890' },
    [body],
    'just a string',
    null,
  ];
  for (const payload of cases) {
    const res = await call('POST', '/api/v1/referrals', key, payload);
    assert.equal(res.statusCode, 400, JSON.stringify(payload).slice(0, 80));
    assert.match(String(res.headers['content-type']), /application\/problem\+json/);
    const p = res.json();
    assert.equal(p.status, 400);
    assert.ok(!JSON.stringify(p).includes('at '), 'no stack trace');
  }
  const fields = (await call('POST', '/api/v1/referrals', key, { ...body, givenName: '', postcode: 'ZZZ' }))
    .json()
    .errors.map((e: { path: string }) => e.path);
  assert.ok(fields.includes('givenName') && fields.includes('postcode'));
});

test('malformed JSON, a wrong content type and an oversized body are 4xx problems', async () => {
  const bad = await call('POST', '/api/v1/referrals', key, '{"smokingStatus":', 'application/json');
  assert.equal(bad.statusCode, 400);
  assert.match(String(bad.headers['content-type']), /problem\+json/);
  const xml = await call('POST', '/api/v1/referrals', key, '<referral/>', 'application/xml');
  assert.equal(xml.statusCode, 415);
  assert.match(String(xml.headers['content-type']), /problem\+json/);
  const huge = await call('POST', '/api/v1/referrals', key, { ...body, notes: 'x'.repeat(300_000) });
  assert.equal(huge.statusCode, 413);
});

test('an unroutable postcode is a 422 naming the field', async () => {
  const res = await call('POST', '/api/v1/referrals', key, { ...body, postcode: 'BT1 1AA' });
  assert.equal(res.statusCode, 422);
  assert.equal(res.json().field, 'postcode');
  assert.equal(res.json().reason, 'outside_britain');
});

test('a Scottish postcode is a 422 giving Quit Your Way Scotland, and no referral is made', async () => {
  const res = await call('POST', '/api/v1/referrals', key, { ...body, postcode: 'EH1 1YZ' });
  assert.equal(res.statusCode, 422);
  assert.match(String(res.headers['content-type']), /problem\+json/);
  assert.equal(res.json().reason, 'national_service');
  assert.deepEqual(res.json().contact, {
    name: 'Quit Your Way Scotland',
    phone: '0800 84 84 84',
    email: null,
    website: 'https://www.quityourway.scot',
  });
  assert.match(res.json().detail, /in Scotland/);
});

test('no key, a wrong key or a revoked key is 401', async () => {
  assert.equal((await call('GET', '/api/v1/referrals', null)).statusCode, 401);
  assert.equal((await call('GET', '/api/v1/referrals', 'mk_wrong')).statusCode, 401);
  const revoked = await keyFor('Leeds North Foodbank');
  await t.db
    .updateTable('api_keys')
    .set({ revoked_at: new Date() })
    .where('key_hash', '=', hashToken(revoked))
    .execute();
  assert.equal((await call('GET', '/api/v1/referrals', revoked)).statusCode, 401);
});

test("an organisation lists only its own referrals, and cannot read another's", async () => {
  const mine = (await call('GET', '/api/v1/referrals?limit=500', key)).json().items as { id: string }[];
  const theirs = (await call('GET', '/api/v1/referrals?limit=500', gpKey)).json().items as { id: string }[];
  assert.ok(mine.length > 0 && theirs.length > 0);
  assert.ok(!mine.some((m) => theirs.some((x) => x.id === m.id)));
  assert.equal((await call('GET', `/api/v1/referrals/${mine[0]!.id}`, gpKey)).statusCode, 404);
  assert.equal((await call('GET', '/api/v1/referrals?limit=0', key)).statusCode, 400);
  assert.equal((await call('GET', '/api/v1/referrals?status=bogus', key)).statusCode, 400);
});

test('status is shared only with consent', async () => {
  const declined = await t.db
    .selectFrom('referrals')
    .select('id')
    .where('given_name', '=', 'Casey')
    .executeTakeFirstOrThrow();
  const res = await call('GET', `/api/v1/referrals/${declined.id}`, gpKey);
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().status, 'received');
  assert.deepEqual(
    res.json().history.map((h: { status: string }) => h.status),
    ['received'],
  );
});

test('the OpenAPI document is generated from the form schema', async () => {
  const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
  assert.equal(res.statusCode, 200);
  const doc = res.json();
  assert.equal(doc.openapi, '3.1.0');
  assert.deepEqual(Object.keys(doc.components.schemas.AskedOnly.properties).sort(), [
    'smokingStatus',
    'vapingStatus',
  ]);
  const schema = JSON.stringify(doc.components.schemas.AskAdviseAct);
  for (const field of ['smokingStatus', 'givenName', 'postcode', 'consentShareProgress', 'mentalHealth'])
    assert.ok(schema.includes(field), field);
  assert.equal((await t.app.inject({ method: 'GET', url: '/api/nothing-here' })).statusCode, 404);
});

test('using a key records when it was last used', async () => {
  const k = await keyFor('Leeds NHS Talking Therapies');
  assert.equal((await call('GET', '/api/v1/referrals', k)).statusCode, 200);
  const row = await t.db
    .selectFrom('api_keys')
    .select('last_used_at')
    .where('key_hash', '=', hashToken(k))
    .executeTakeFirstOrThrow();
  assert.ok(row.last_used_at && Date.now() - row.last_used_at.getTime() < 60_000);
});

test('a retry with the same Idempotency-Key returns the first referral instead of making another', async () => {
  const send = () =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/referrals',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        'idempotency-key': 'batch-7-row-12',
      },
      payload: JSON.stringify({ ...body, givenName: 'Retry' }),
    });
  const first = await send();
  assert.equal(first.statusCode, 201);
  const [second, third] = await Promise.all([send(), send()]);
  for (const r of [second, third]) {
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['idempotent-replayed'], 'true');
    assert.equal(r.json().id, first.json().id);
  }
  const rows = await t.db.selectFrom('referrals').select('id').where('given_name', '=', 'Retry').execute();
  assert.equal(rows.length, 1);
  const bad = await t.app.inject({
    method: 'POST',
    url: '/api/v1/referrals',
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      'idempotency-key': 'x'.repeat(201),
    },
    payload: JSON.stringify(body),
  });
  assert.equal(bad.statusCode, 400);
});

test('retries racing with the same Idempotency-Key make one referral, with its clinical codes once each', async () => {
  const send = () =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/referrals',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        'idempotency-key': 'batch-9-row-3',
      },
      payload: JSON.stringify({ ...body, givenName: 'Racing' }),
    });
  const answers = await Promise.all([send(), send(), send()]);
  assert.deepEqual(answers.map((r) => r.statusCode).sort(), [200, 200, 201]);
  const id = answers[0]!.json<{ id: string }>().id;
  for (const r of answers) assert.equal(r.json<{ id: string }>().id, id);
  // The codes are written by the referral's own statement: the losers of the race, which answer with
  // the winner's referral, write none (they used to write the winner's codes again, and answer 201).
  // On a server (DATABASE_URL) the three race every time; PGlite's one connection may run them in turn.
  const codes = await t.db
    .selectFrom('clinical_codes')
    .select(['step', 'position'])
    .where('referral_id', '=', id)
    .execute();
  assert.ok(codes.length >= 3, `codes: ${JSON.stringify(codes)}`);
  const distinct = new Set(codes.map((c) => `${c.step}/${c.position}`));
  assert.equal(distinct.size, codes.length, `codes written more than once: ${JSON.stringify(codes)}`);
  assert.deepEqual([...new Set(codes.map((c) => c.step))].sort(), [
    'referral_made',
    'smoking_status_at_referral',
    'vba_given',
  ]);
});

test("the referrer's clinical codes are written by the referral's own statement, or not at all", async () => {
  const parsed = parseApiBody({ ...body, givenName: 'Atomic' }, t.clock.today());
  assert.equal(parsed.kind, 'ask_advise_act');
  if (parsed.kind !== 'ask_advise_act' || parsed.data.acceptsReferral !== 'yes') return;
  const { postcode: _postcode, adviceGiven: _given, acceptsReferral: _accepts, ...input } = parsed.data;
  const k = await t.db
    .selectFrom('api_keys')
    .select(['id', 'organisation_id'])
    .where('key_hash', '=', hashToken(key))
    .executeTakeFirstOrThrow();
  const service = await t.db
    .selectFrom('organisations')
    .select('id')
    .where('name', '=', 'Manchester Stop Smoking Service')
    .executeTakeFirstOrThrow();
  const stepCodes = stepCodeValues([
    { kind: 'smoking_status_at_referral', smokingStatus: '1', vapingStatus: 'current' },
    { kind: 'vba_given' },
    { kind: 'referral_made' },
  ]);
  const referral = {
    actor: { organisationId: k.organisation_id, userId: null, apiKeyId: k.id, localAuthorityCode: null },
    source: 'api',
    serviceOrganisationId: service.id,
    localAuthorityCode: 'E08000003',
    postcode: 'M14 5TQ',
    input,
    requestId: null,
    idempotency: { key: 'atomic-1', fingerprint: 'f' },
    stepCodes,
  } as const;
  const codesNow = async () =>
    (
      await t.db
        .selectFrom('clinical_codes')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;

  const made = await insertReferral(t.db, referral);
  const codes = await t.db
    .selectFrom('clinical_codes')
    .select('step')
    .where('referral_id', '=', made.id)
    .execute();
  assert.equal(codes.length, stepCodes.length);
  const before = Number(await codesNow());
  // The same key again is refused by the unique index: the statement fails whole, codes and all.
  await assert.rejects(insertReferral(t.db, referral), (err: { code?: string }) => err.code === '23505');
  assert.equal(Number(await codesNow()), before);
});

test('the same Idempotency-Key with a different body is refused with 422, and the second person is not lost silently', async () => {
  const send = (payload: string, k = 'batch-8-row-1') =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/referrals',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': k },
      payload,
    });
  const first = await send(JSON.stringify({ ...body, givenName: 'Ada' }));
  assert.equal(first.statusCode, 201);

  const other = await send(JSON.stringify({ ...body, givenName: 'Bryn' }));
  assert.equal(other.statusCode, 422);
  assert.match(String(other.headers['content-type']), /^application\/problem\+json/);
  const problem = other.json() as { status: number; title: string; detail: string };
  assert.equal(problem.status, 422);
  assert.match(problem.detail, /different body/);
  assert.equal(other.headers.location, undefined, 'it does not point at the first referral');

  // The same request written another way (keys in another order, spaces) is still the same request.
  const reordered = Object.fromEntries(Object.entries({ ...body, givenName: 'Ada' }).reverse());
  const retry = await send(JSON.stringify(reordered, null, 2));
  assert.equal(retry.statusCode, 200);
  assert.equal(retry.json().id, first.json().id);

  const names = await t.db
    .selectFrom('referrals')
    .select('given_name')
    .where('given_name', 'in', ['Ada', 'Bryn'])
    .execute();
  assert.deepEqual(
    names.map((r) => r.given_name),
    ['Ada'],
  );
  // With a key of its own, the second person is referred.
  assert.equal((await send(JSON.stringify({ ...body, givenName: 'Bryn' }), 'batch-8-row-2')).statusCode, 201);
});
