// The FHIR API through HTTP on the real database: every resource it answers is checked by the FHIR R4
// validator and against the UK Core profile it claims (test/helpers/fhir-validation.ts).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { addApiKey } from '../../../test/helpers/route-table.ts';
import { assertValidFhir } from '../../../test/helpers/fhir-validation.ts';
import { issueAccessToken } from '../../platform/oauth-tokens.ts';

let t: TestApp;
let key: { id: string; key: string };
let otherKey: { id: string; key: string };
const FHIR = 'application/fhir+json';

// What the API answers, read as JSON without a schema: the validator checks its shape.
type Json = ReturnType<typeof JSON.parse>;

async function orgId(name: string) {
  return (
    await t.db.selectFrom('organisations').select('id').where('name', '=', name).executeTakeFirstOrThrow()
  ).id;
}

before(async () => {
  t = await buildTestApp({ demo: true });
  key = await addApiKey(t.db, await orgId('Manchester NHS Talking Therapies'), 'fhir test');
  otherKey = await addApiKey(t.db, await orgId('Hyde Park Surgery'), 'fhir test, another organisation');
});
after(() => t.close());

async function call(
  method: string,
  url: string,
  opts: { bearer?: string | null; body?: unknown; type?: string; headers?: Json } = {},
) {
  const res = await t.app.inject({
    method: method as 'GET',
    url,
    headers: {
      ...(opts.bearer === null ? {} : { authorization: `Bearer ${opts.bearer ?? key.key}` }),
      accept: FHIR,
      ...(opts.body !== undefined ? { 'content-type': opts.type ?? FHIR } : {}),
      ...opts.headers,
    },
    ...(opts.body !== undefined
      ? { payload: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) }
      : {}),
  });
  return { res, json: res.body ? (JSON.parse(res.body) as Json) : {} };
}

/** A referral as a referring system sends it: the person, their smoking status and the form's answers. */
function serviceRequest(
  over: { identifier?: string; consent?: boolean; patient?: Json; postcode?: string } = {},
): Json {
  return {
    resourceType: 'ServiceRequest',
    ...(over.identifier
      ? { identifier: [{ system: 'https://gp.example/referrals', value: over.identifier }] }
      : {}),
    contained: [
      {
        resourceType: 'Patient',
        id: 'person',
        identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9434765919' }],
        name: [{ family: 'Nowak', given: ['Kai'] }],
        birthDate: '1992-04-30',
        address: [{ postalCode: over.postcode ?? 'M14 5TQ' }],
        telecom: [
          { system: 'email', value: 'kai@example.com' },
          { system: 'sms', value: '07700 900982' },
        ],
        ...over.patient,
      },
      {
        resourceType: 'Observation',
        id: 'smoking',
        status: 'final',
        code: { coding: [{ system: 'http://loinc.org', code: '72166-2' }] },
        subject: { reference: '#person' },
        valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '77176002' }] },
      },
      {
        resourceType: 'QuestionnaireResponse',
        id: 'answers',
        status: 'completed',
        item: [
          { linkId: 'adviceGiven', answer: [{ valueBoolean: true }] },
          { linkId: 'vapingStatus', answer: [{ valueCoding: { code: 'current' } }] },
          { linkId: 'mentalHealth', answer: [{ valueCoding: { code: 'anxiety' } }] },
          { linkId: 'inTalkingTherapies', answer: [{ valueCoding: { code: 'yes' } }] },
          { linkId: 'consentShareProgress', answer: [{ valueBoolean: over.consent ?? true }] },
        ],
      },
    ],
    status: 'active',
    intent: 'order',
    subject: { reference: '#person' },
    supportingInfo: [{ reference: '#smoking' }, { reference: '#answers' }],
  };
}

async function create(over: Parameters<typeof serviceRequest>[0] = {}) {
  const { res, json } = await call('POST', '/fhir/ServiceRequest', { body: serviceRequest(over) });
  assert.equal(res.statusCode, 201, res.body);
  return json;
}

async function recordStatus(referralId: string, kind: string, reason: string | null = null) {
  await t.db
    .insertInto('referral_events')
    .values({ referral_id: referralId, kind, reason, actor_user_id: null })
    .execute();
}

test('the CapabilityStatement is public, valid, and lists what the routes serve', async () => {
  const { res, json } = await call('GET', '/fhir/metadata', { bearer: null });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^application\/fhir\+json/);
  assertValidFhir(json, { ukCore: false });
  const task = json.rest[0].resource.find((r: Json) => r.type === 'Task');
  assert.deepEqual(task.interaction.map((i: Json) => i.code).sort(), [
    'history-instance',
    'patch',
    'read',
    'search-type',
    'update',
    'vread',
  ]);
  assert.deepEqual(
    task.searchParam.map((p: Json) => p.name),
    ['_lastUpdated', 'authored-on', 'status'],
  );
  const sr = json.rest[0].resource.find((r: Json) => r.type === 'ServiceRequest');
  assert.ok(sr.interaction.some((i: Json) => i.code === 'create'));
  assert.deepEqual(
    json.rest[0].interaction.map((i: Json) => i.code),
    ['transaction'],
  );
});

test('a ServiceRequest makes a referral, routed by postcode, with its Task and Patient', async () => {
  const sr = await create({ identifier: 'R-1' });
  assertValidFhir(sr);
  assert.equal(sr.status, 'active');
  assert.equal(sr.code.coding[0].code, '871661000000106');
  assert.equal(sr.performer[0].display, 'Manchester Stop Smoking Service');
  assert.deepEqual(sr.identifier[1], { system: 'https://gp.example/referrals', value: 'R-1' });

  const task = await call('GET', `/fhir/Task/${sr.id}`);
  assert.equal(task.res.statusCode, 200);
  assertValidFhir(task.json);
  assert.equal(task.json.status, 'received');
  assert.equal(task.json.intent, 'order');
  assert.equal(task.json.code.coding[0].code, 'fulfill');
  assert.equal(task.json.focus.reference, `ServiceRequest/${sr.id}`);

  const patient = await call('GET', `/fhir/Patient/${sr.id}`);
  assertValidFhir(patient.json);
  assert.equal(patient.json.identifier[0].value, '9434765919');
  assert.equal(patient.json.birthDate, '1992-04-30');

  const audited = await t.db
    .selectFrom('audit_events')
    .select(['action'])
    .where('entity_id', '=', sr.id)
    .where('actor_api_key_id', '=', key.id)
    .execute();
  assert.ok(audited.filter((a) => a.action === 'view').length >= 3, 'every read of the record is audited');
});

test('the same identifier again gives the same referral; with other content it is refused', async () => {
  const first = await create({ identifier: 'R-2' });
  const again = await call('POST', '/fhir/ServiceRequest', { body: serviceRequest({ identifier: 'R-2' }) });
  assert.equal(again.res.statusCode, 200);
  assert.equal(again.json.id, first.id);
  const changed = await call('POST', '/fhir/ServiceRequest', {
    body: serviceRequest({ identifier: 'R-2', patient: { birthDate: '1990-01-01' } }),
  });
  assert.equal(changed.res.statusCode, 422);
  assertValidFhir(changed.json);
  assert.equal(changed.json.resourceType, 'OperationOutcome');
});

test('errors are OperationOutcomes with the right 4xx, pointing at what was sent', async () => {
  const invalid = await call('POST', '/fhir/ServiceRequest', {
    body: serviceRequest({ patient: { birthDate: undefined } }),
  });
  assert.equal(invalid.res.statusCode, 400);
  assertValidFhir(invalid.json);
  assert.ok(
    invalid.json.issue.some((i: Json) => i.expression?.[0] === 'Patient.birthDate'),
    invalid.res.body,
  );

  const wales = await call('POST', '/fhir/ServiceRequest', {
    body: serviceRequest({ postcode: 'CF10 1EP' }),
  });
  assert.equal(wales.res.statusCode, 422, wales.res.body);
  assertValidFhir(wales.json);
  assert.equal(wales.json.issue[0].details.coding[0].code, 'national_service');

  const form = await call('POST', '/fhir/ServiceRequest', {
    body: '<ServiceRequest/>',
    type: 'application/fhir+xml',
  });
  assert.equal(form.res.statusCode, 415);
  assert.equal(form.json.resourceType, 'OperationOutcome');

  const broken = await call('POST', '/fhir/ServiceRequest', { body: '{"resourceType":', type: FHIR });
  assert.equal(broken.res.statusCode, 400);
  assertValidFhir(broken.json);

  for (const url of [
    '/fhir/Task/not-an-id',
    '/fhir/Nothing',
    '/fhir/Task?colour=blue',
    '/fhir/Task?_count=9999',
  ]) {
    const { res, json } = await call('GET', url);
    assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${url}: ${res.statusCode}`);
    assertValidFhir(json);
  }
  const anonymous = await call('GET', '/fhir/Task', { bearer: null });
  assert.equal(anonymous.res.statusCode, 401);
  assertValidFhir(anonymous.json);
});

test('another organisation cannot read or search the referral', async () => {
  const sr = await create();
  for (const type of ['ServiceRequest', 'Task', 'Patient']) {
    const { res } = await call('GET', `/fhir/${type}/${sr.id}`, { bearer: otherKey.key });
    assert.equal(res.statusCode, 404, type);
  }
  const search = await call('GET', '/fhir/Task', { bearer: otherKey.key });
  assert.ok(!search.json.entry?.some((e: Json) => e.resource.id === sr.id));
});

test('the Task follows the referral: its versions show what changed, and only what the person agreed to share', async () => {
  const shared = await create({ consent: true });
  const unshared = await create({ consent: false });
  for (const { id } of [shared, unshared]) await recordStatus(id, 'accepted');

  const seen = await call('GET', `/fhir/Task/${shared.id}`);
  assert.equal(seen.json.status, 'accepted');
  assert.equal(seen.json.meta.versionId, '2');
  const history = await call('GET', `/fhir/Task/${shared.id}/_history`);
  assertValidFhir(history.json);
  assert.equal(history.json.type, 'history');
  assert.deepEqual(
    history.json.entry.map((e: Json) => e.resource.status),
    ['accepted', 'received'],
  );
  const first = await call('GET', `/fhir/Task/${shared.id}/_history/1`);
  assert.equal(first.json.status, 'received');

  const hidden = await call('GET', `/fhir/Task/${unshared.id}`);
  assert.equal(hidden.json.status, 'received', 'without consent the referrer sees only that it was received');
  assert.equal(hidden.json.meta.versionId, '1');

  await recordStatus(shared.id, 'declined', 'not_eligible');
  const rejected = await call('GET', `/fhir/Task/${shared.id}`);
  assert.equal(rejected.json.status, 'rejected');
  assert.equal(rejected.json.statusReason.text, 'Not eligible for this service');
  assertValidFhir(rejected.json);
});

test('searches are searchset Bundles with total, self link and paging, scoped and filtered', async () => {
  await create();
  await create();
  const all = await call('GET', '/fhir/ServiceRequest?status=active&_count=1');
  assert.equal(all.res.statusCode, 200, all.res.body);
  assertValidFhir(all.json);
  assert.equal(all.json.type, 'searchset');
  assert.ok(all.json.total >= 2);
  assert.equal(all.json.entry.length, 1);
  const self = all.json.link.find((l: Json) => l.relation === 'self').url;
  assert.match(self, /\/fhir\/ServiceRequest\?status=active&_count=1&_offset=0$/);
  const next = new URL(all.json.link.find((l: Json) => l.relation === 'next').url);
  const page2 = await call('GET', `${next.pathname}${next.search}`);
  assert.equal(page2.json.entry.length, 1);
  assert.notEqual(page2.json.entry[0].resource.id, all.json.entry[0].resource.id);

  const day = t.clock.today();
  const today = await call('GET', `/fhir/Task?authored-on=${day}&status=received`);
  assert.ok(today.json.total >= 2);
  assert.ok(today.json.entry.every((e: Json) => e.resource.status === 'received'));
  const tomorrow = await call('GET', `/fhir/Task?authored-on=gt${day}`);
  assert.equal(tomorrow.json.total, 0);
  const later = new Date(t.clock.now().getTime() + 3_600_000).toISOString();
  const changedSince = await call('GET', `/fhir/Task?_lastUpdated=gt${later}`);
  assert.equal(changedSince.json.total, 0);
  const changedBefore = await call('GET', `/fhir/Task?_lastUpdated=lt${later}&_count=0`);
  assert.ok(changedBefore.json.total >= 2);
  const failed = await call('GET', '/fhir/Task?status=failed');
  assert.equal(failed.json.total, 0);
});

test('cancelling the Task withdraws the referral, until the service has accepted it', async () => {
  const sr = await create();
  const withoutReason = await call('PATCH', `/fhir/Task/${sr.id}`, {
    body: [{ op: 'replace', path: '/status', value: 'cancelled' }],
    type: 'application/json-patch+json',
  });
  assert.equal(withoutReason.res.statusCode, 400);
  const cancelled = await call('PATCH', `/fhir/Task/${sr.id}`, {
    body: [
      { op: 'replace', path: '/status', value: 'cancelled' },
      { op: 'add', path: '/statusReason', value: { text: 'Sent to the wrong service' } },
    ],
    type: 'application/json-patch+json',
  });
  assert.equal(cancelled.res.statusCode, 200, cancelled.res.body);
  assertValidFhir(cancelled.json);
  assert.equal(cancelled.json.status, 'cancelled');
  assert.equal(cancelled.json.statusReason.text, 'Sent to the wrong service');
  const request = await call('GET', `/fhir/ServiceRequest/${sr.id}`);
  assert.equal(request.json.status, 'revoked');

  const accepted = await create();
  await recordStatus(accepted.id, 'accepted');
  const task = (await call('GET', `/fhir/Task/${accepted.id}`)).json;
  const tooLate = await call('PUT', `/fhir/Task/${accepted.id}`, {
    body: { ...task, status: 'cancelled', statusReason: { text: 'No longer needed' } },
  });
  assert.equal(tooLate.res.statusCode, 409);
  assertValidFhir(tooLate.json);
  const notMine = await call('PUT', `/fhir/Task/${accepted.id}`, { body: { ...task, status: 'completed' } });
  assert.equal(notMine.res.statusCode, 422);
});

test('OAuth client credentials: a short-lived token acts as its API key, and dies with it', async () => {
  const basic = Buffer.from(`${key.id}:${encodeURIComponent(key.key)}`).toString('base64');
  const form = 'application/x-www-form-urlencoded';
  const issued = await t.app.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: { authorization: `Basic ${basic}`, 'content-type': form },
    payload: 'grant_type=client_credentials',
  });
  assert.equal(issued.statusCode, 200, issued.body);
  const { access_token: token, token_type: type, expires_in: expires } = issued.json();
  assert.equal(type, 'Bearer');
  assert.equal(expires, 300);
  assert.match(String(issued.headers['cache-control']), /no-store/);

  const sr = await create();
  const viaToken = await call('GET', `/fhir/Task/${sr.id}`, { bearer: token });
  assert.equal(viaToken.res.statusCode, 200);

  const wrong = await t.app.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: { 'content-type': form },
    payload: `grant_type=client_credentials&client_id=${key.id}&client_secret=mk_wrong`,
  });
  assert.equal(wrong.statusCode, 401);
  assert.equal(wrong.json().error, 'invalid_client');
  const grant = await t.app.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: { authorization: `Basic ${basic}`, 'content-type': form },
    payload: 'grant_type=password',
  });
  assert.equal(grant.json().error, 'unsupported_grant_type');

  const settings = { key: t.config.oauthTokenKey!, issuer: t.config.publicUrl };
  const expired = await issueAccessToken(settings, key.id, 'x', new Date(t.clock.now().getTime() - 301_000));
  const forged = await issueAccessToken(
    { ...settings, key: 'another-key-of-at-least-32-characters' },
    key.id,
    'x',
    t.clock.now(),
  );
  for (const bad of [expired, forged, `${token}x`])
    assert.equal((await call('GET', `/fhir/Task/${sr.id}`, { bearer: bad })).res.statusCode, 401);

  await t.db.updateTable('api_keys').set({ revoked_at: new Date() }).where('id', '=', key.id).execute();
  assert.equal((await call('GET', `/fhir/Task/${sr.id}`, { bearer: token })).res.statusCode, 401);
  key = await addApiKey(t.db, await orgId('Manchester NHS Talking Therapies'), 'fhir test, after revoking');
});

test('the directory: HealthcareService, Organization and Location, public, from the published entries', async () => {
  const services = await call('GET', '/fhir/HealthcareService?_count=100', { bearer: null });
  assert.equal(services.res.statusCode, 200, services.res.body);
  assertValidFhir(services.json);
  assert.ok(services.json.total >= 2);
  const manchester = services.json.entry
    .map((e: Json) => e.resource)
    .find((r: Json) => r.name === 'Manchester Stop Smoking Service');
  assert.ok(manchester, 'the published Manchester service is listed');
  const organisation = manchester.providedBy.reference as string;

  const one = await call('GET', `/fhir/HealthcareService/${manchester.id}`, { bearer: null });
  assert.equal(one.res.statusCode, 200);
  assert.deepEqual(one.json, manchester);
  const org = await call('GET', `/fhir/${organisation}`, { bearer: null });
  assertValidFhir(org.json);
  assert.equal(org.json.name, 'Manchester Stop Smoking Service');

  const named = await call('GET', '/fhir/HealthcareService?name=manchester', { bearer: null });
  assert.deepEqual(
    named.json.entry.map((e: Json) => e.resource.id),
    [manchester.id],
  );
  const places = await call('GET', `/fhir/Location?organization=${organisation}`, { bearer: null });
  assertValidFhir(places.json);
  for (const e of places.json.entry ?? [])
    assert.equal(e.resource.managingOrganization.reference, organisation);

  const unknown = await call('GET', `/fhir/Organization/${crypto.randomUUID()}`, { bearer: null });
  assert.equal(unknown.res.statusCode, 404);
  assertValidFhir(unknown.json);
});

/** An episode of treatment from a referral, with one PHQ-9 and a four-week outcome. */
async function treat(referralId: string, consentShareWithClinician: boolean) {
  const r = await t.db
    .selectFrom('referrals')
    .selectAll()
    .where('id', '=', referralId)
    .executeTakeFirstOrThrow();
  const person = await t.db
    .insertInto('people')
    .values({
      service_organisation_id: r.service_organisation_id,
      local_authority_code: r.local_authority_code,
      given_name: r.given_name,
      family_name: r.family_name,
      date_of_birth: r.date_of_birth,
      postcode: r.postcode,
      phone: r.phone,
      email: r.email,
      nhs_number: r.nhs_number,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const episode = await t.db
    .insertInto('episodes')
    .values({
      person_id: person.id,
      service_organisation_id: r.service_organisation_id,
      local_authority_code: r.local_authority_code,
      referral_id: r.id,
      adviser_user_id: null,
      consent_share_with_clinician: consentShareWithClinician,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await t.db
    .insertInto('mood_measures')
    .values({
      episode_id: episode.id,
      session_id: null,
      instrument: 'phq9',
      items: [2, 2, 2, 2, 2, 2, 2, 2, 0],
      total: 16,
      taken_on: t.clock.today(),
      recorded_by: null,
    })
    .execute();
  await t.db
    .insertInto('episode_outcomes')
    .values({
      episode_id: episode.id,
      outcome: 'quit_co_verified',
      follow_up_on: t.clock.today(),
      smoked_days_15_to_28: false,
      co_ppm: 4,
      reason: 'test',
      recorded_by: null,
    })
    .execute();
}

test('clinical resources: smoking status always, outcome with consent, mood scores only with both consents', async () => {
  const both = await create({ consent: true });
  const progressOnly = await create({ consent: true });
  const none = await create({ consent: false });
  await treat(both.id, true);
  await treat(progressOnly.id, false);
  await treat(none.id, true);

  const search = async (id: string, type = 'Observation') => {
    const { res, json } = await call('GET', `/fhir/${type}?patient=Patient/${id}`);
    assert.equal(res.statusCode, 200, res.body);
    assertValidFhir(json);
    return (json.entry ?? []).map((e: Json) => e.resource);
  };
  const full = await search(both.id);
  const codes = full.map((o: Json) => o.code.coding[0].code);
  assert.deepEqual(codes.sort(), ['390902009', '44261-6', '72166-2']);
  const outcome = full.find((o: Json) => o.code.coding[0].code === '390902009');
  assert.equal(outcome.valueCodeableConcept.coding[0].code, '8517006', 'a CO-verified quit is Ex-smoker');
  assert.equal(outcome.component[0].valueQuantity.value, 4);
  const smoking = full.find((o: Json) => o.code.coding[0].code === '72166-2');
  assert.deepEqual(smoking.valueCodeableConcept.coding[0], {
    system: 'http://snomed.info/sct',
    code: '77176002',
    display: 'Smoker',
  });
  assert.equal(full.find((o: Json) => o.code.coding[0].code === '44261-6').valueInteger, 16);
  const [phq9] = await search(both.id, 'QuestionnaireResponse');
  assert.equal(phq9.item.length, 9);
  assert.equal(phq9.questionnaire, 'http://loinc.org/q/44249-1');
  const read = await call('GET', `/fhir/QuestionnaireResponse/${phq9.id}`);
  assert.deepEqual(read.json, phq9);

  assert.deepEqual((await search(progressOnly.id)).map((o: Json) => o.code.coding[0].code).sort(), [
    '390902009',
    '72166-2',
  ]);
  assert.deepEqual(await search(progressOnly.id, 'QuestionnaireResponse'), []);
  assert.deepEqual(
    (await search(none.id)).map((o: Json) => o.code.coding[0].code),
    ['72166-2'],
  );
  const hidden = await call('GET', `/fhir/Observation/${none.id}.outcome`);
  assert.equal(hidden.res.statusCode, 404);
  const elsewhere = await call('GET', `/fhir/Observation?patient=${both.id}`, { bearer: otherKey.key });
  assert.equal(elsewhere.res.statusCode, 404);
});

test('a referral can come as a transaction Bundle, the Patient its own entry', async () => {
  const sr = serviceRequest({ identifier: 'R-bundle' });
  const [patient, ...others] = sr.contained;
  const bundle = {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        fullUrl: 'urn:uuid:5f1c2c2e-1d4b-4c8e-9d6f-2f8a0c1b7e11',
        resource: { ...patient, id: undefined },
        request: { method: 'POST', url: 'Patient' },
      },
      {
        resource: {
          ...sr,
          contained: others,
          subject: { reference: 'urn:uuid:5f1c2c2e-1d4b-4c8e-9d6f-2f8a0c1b7e11' },
        },
        request: { method: 'POST', url: 'ServiceRequest' },
      },
    ],
  };
  const { res, json } = await call('POST', '/fhir', { body: bundle });
  assert.equal(res.statusCode, 200, res.body);
  assertValidFhir(json);
  assert.equal(json.type, 'transaction-response');
  assert.deepEqual(
    json.entry.map((e: Json) => [e.resource.resourceType, e.response.status]),
    [
      ['Patient', '201 Created'],
      ['ServiceRequest', '201 Created'],
    ],
  );
  assert.equal(json.entry[0].resource.id, json.entry[1].resource.id);
  const task = await call('GET', `/fhir/Task/${json.entry[1].resource.id}`);
  assert.equal(task.json.status, 'received');

  const extra = await call('POST', '/fhir', {
    body: {
      ...bundle,
      entry: [
        ...bundle.entry,
        { resource: { resourceType: 'Task' }, request: { method: 'POST', url: 'Task' } },
      ],
    },
  });
  assert.equal(extra.res.statusCode, 400);
  assert.equal(extra.json.issue[0].expression[0], 'Bundle.entry[2]');
});
