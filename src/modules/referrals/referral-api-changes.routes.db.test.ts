// The referrer's changes through the API: withdraw, or correct the phone and email, with a reason, until
// the service accepts; validation problems, 404 for another organisation's referral, 409 once accepted.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { hashToken, newToken } from '../../platform/tokens.ts';

let t: TestApp;
let key: string;
let otherKey: string;

const referral = {
  smokingStatus: '1',
  vapingStatus: 'current',
  adviceGiven: 'yes',
  acceptsReferral: 'yes',
  givenName: 'Kai',
  familyName: 'Nowak',
  dateOfBirth: '1992-04-30',
  postcode: 'M14 5TQ',
  phone: '07700 900461',
  contactMethods: ['text'],
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

const post = (url: string, k: string, payload: unknown) =>
  t.app.inject({
    method: 'POST',
    url,
    headers: { authorization: `Bearer ${k}`, 'content-type': 'application/json' },
    payload: JSON.stringify(payload),
  });

async function refer(): Promise<string> {
  const res = await post('/api/v1/referrals', key, referral);
  assert.equal(res.statusCode, 201, res.body);
  return (res.json() as { id: string }).id;
}
const eventsOf = async (id: string) =>
  (
    await t.db
      .selectFrom('referral_events')
      .select(['kind', 'reason', 'note', 'actor_user_id'])
      .where('referral_id', '=', id)
      .orderBy('id')
      .execute()
  ).map((e) => ({ ...e }));

before(async () => {
  t = await buildTestApp({ demo: true });
  key = await keyFor('Manchester NHS Talking Therapies');
  otherKey = await keyFor('Hyde Park Surgery');
});
after(() => t.close());

test('a referral is withdrawn through the API with a reason; the service reads it in its history', async () => {
  const id = await refer();
  const res = await post(`/api/v1/referrals/${id}/withdraw`, key, { reason: 'They have moved away' });
  assert.equal(res.statusCode, 200, res.body);
  const doc = res.json() as { status: string; history: { status: string; reason: string | null }[] };
  assert.equal(doc.status, 'withdrawn');
  assert.equal(doc.history.at(-1)!.reason, 'They have moved away');
  const events = await eventsOf(id);
  assert.deepEqual(events.at(-1), {
    kind: 'withdrawn',
    reason: 'They have moved away',
    note: null,
    actor_user_id: null,
  });
  const audit = await t.db
    .selectFrom('audit_events')
    .select(['action', 'actor_api_key_id'])
    .where('entity_id', '=', id)
    .where('action', '=', 'update')
    .execute();
  assert.equal(audit.length, 1);
  assert.ok(audit[0]!.actor_api_key_id);
  // Withdrawn is final.
  const again = await post(`/api/v1/referrals/${id}/withdraw`, key, { reason: 'Twice' });
  assert.equal(again.statusCode, 409);
  assert.match(again.headers['content-type'] ?? '', /application\/problem\+json/);
});

test('contact details are corrected with a reason; the new number is the one the service sees', async () => {
  const id = await refer();
  const res = await post(`/api/v1/referrals/${id}/contact-details`, key, {
    phone: '07700 900999',
    reason: 'Wrong number given',
  });
  assert.equal(res.statusCode, 200, res.body);
  const row = await t.db
    .selectFrom('referrals')
    .select(['phone'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  assert.equal(row.phone, '07700 900999');
  assert.equal((await eventsOf(id)).at(-1)!.note, 'Changed: phone number');
});

test('bad requests are problem documents that name the field, and nothing changes', async () => {
  const id = await refer();
  const noReason = await post(`/api/v1/referrals/${id}/withdraw`, key, {});
  assert.equal(noReason.statusCode, 400);
  assert.deepEqual(
    (noReason.json() as { errors: { path: string }[] }).errors.map((e) => e.path),
    ['reason'],
  );
  // They chose texts: a landline will not do.
  const landline = await post(`/api/v1/referrals/${id}/contact-details`, key, {
    phone: '0161 496 0000',
    reason: 'New number',
  });
  assert.equal(landline.statusCode, 400);
  assert.match(landline.body, /mobile number/);
  assert.deepEqual(
    (await eventsOf(id)).map((e) => e.kind),
    ['received'],
  );
});

test("another organisation's key gets 404; once the service accepts, 409 and nothing changes", async () => {
  const id = await refer();
  assert.equal(
    (await post(`/api/v1/referrals/${id}/withdraw`, otherKey, { reason: 'Not mine' })).statusCode,
    404,
  );
  await t.db
    .insertInto('referral_events')
    .values({
      referral_id: id,
      kind: 'accepted',
      contact_outcome: null,
      reason: null,
      note: null,
      actor_user_id: null,
      occurred_at: new Date(),
    })
    .execute();
  const refused = await post(`/api/v1/referrals/${id}/contact-details`, key, {
    phone: '07700 900111',
    reason: 'New',
  });
  assert.equal(refused.statusCode, 409);
  assert.equal(
    (await t.db.selectFrom('referrals').select('phone').where('id', '=', id).executeTakeFirstOrThrow()).phone,
    '07700 900461',
  );
});

test('the OpenAPI document describes both calls with operation ids', async () => {
  const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
    paths: Record<string, { post?: { operationId?: string } }>;
  };
  assert.equal(doc.paths['/api/v1/referrals/{id}/withdraw']?.post?.operationId, 'withdrawReferral');
  assert.equal(
    doc.paths['/api/v1/referrals/{id}/contact-details']?.post?.operationId,
    'correctReferralContactDetails',
  );
});
