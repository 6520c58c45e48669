// The API's description against the running app: every JSON route under /api/ is in it, and what the
// real handlers answer (successes and problems) validates against its response schemas.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { buildTestApp } from '../test/helpers/test-app.ts';
import { addApiKey, captureRoutes } from '../test/helpers/route-table.ts';
import { OPENAPI_PATH } from './openapi.ts';

const { built: t, routes } = await captureRoutes(() => buildTestApp({ demo: true }));

type Operation = { responses: Record<string, { content?: Record<string, { schema: unknown }> }> };
type Document = { paths: Record<string, Record<string, Operation>>; components: unknown };

const served = await t.app.inject({ method: 'GET', url: OPENAPI_PATH });
const doc = served.json() as Document;

// Component references made absolute, so ajv finds them in the document added under its own id.
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema(
  JSON.parse(JSON.stringify(doc).replaceAll('"#/components/', '"openapi#/components/')),
  'openapi',
);

const leedsTalkingTherapies = await t.db
  .selectFrom('organisations')
  .select('id')
  .where('name', '=', 'Leeds NHS Talking Therapies')
  .executeTakeFirstOrThrow();
const { key } = await addApiKey(t.db, leedsTalkingTherapies.id, 'openapi test');

after(() => t.close());

/** `/api/v1/referrals/:id` as the description writes it. */
const documentedPath = (url: string) => url.replace(/:([A-Za-z]+)/g, '{$1}');

test('every JSON route under /api/ is in the description, with an operation id', () => {
  assert.equal(served.statusCode, 200);
  const apiRoutes = routes.filter(
    (r) =>
      r.url.startsWith('/api/') &&
      !r.url.endsWith('*') &&
      r.url !== OPENAPI_PATH &&
      r.method !== 'HEAD' &&
      r.method !== 'OPTIONS',
  );
  assert.ok(apiRoutes.length >= 8, 'the walk found the API routes');
  for (const r of apiRoutes) {
    const operation = doc.paths[documentedPath(r.url)]?.[r.method.toLowerCase()] as
      { operationId?: string } | undefined;
    assert.ok(operation, `${r.method} ${r.url} is not described`);
    assert.ok(operation.operationId, `${r.method} ${r.url} has no operationId`);
  }
  for (const [path, operations] of Object.entries(doc.paths))
    for (const method of Object.keys(operations))
      assert.ok(
        routes.some((r) => documentedPath(r.url) === path && r.method === method.toUpperCase()),
        `${method} ${path} is described but not served`,
      );
});

const checked = new Set<string>();

/** Checks an answer against the description's schema for its path, method, status and media type. */
function conforms(
  path: string,
  method: string,
  res: { statusCode: number; headers: Record<string, unknown>; body: string },
) {
  const response = doc.paths[path]?.[method]?.responses[String(res.statusCode)];
  assert.ok(response, `${method} ${path} answered ${res.statusCode}, which is not described: ${res.body}`);
  const mediaType = String(res.headers['content-type']).split(';')[0]!;
  const content = response.content?.[mediaType];
  assert.ok(content, `${method} ${path} ${res.statusCode} answered ${mediaType}, which is not described`);
  const validate = ajv.compile({
    $ref: `openapi#/paths/${path.replaceAll('~', '~0').replaceAll('/', '~1')}/${method}/responses/${res.statusCode}/content/${mediaType.replace('/', '~1')}/schema`,
  });
  assert.ok(
    validate(JSON.parse(res.body)),
    `${method} ${path} ${res.statusCode}: ${ajv.errorsText(validate.errors)}\n${res.body}`,
  );
  checked.add(`${method} ${path} ${res.statusCode}`);
}

const call = (method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({
    method,
    url,
    headers: {
      authorization: `Bearer ${key}`,
      ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
  });

const referral = {
  smokingStatus: '1',
  vapingStatus: 'current',
  adviceGiven: 'yes',
  acceptsReferral: 'yes',
  givenName: 'Robin',
  familyName: 'Okafor',
  dateOfBirth: '1985-02-11',
  postcode: 'LS6 1AN',
  phone: '07700 900461',
  contactMethods: ['text'],
  nhsNumber: '943 476 5919',
  mentalHealth: 'depression',
  inTalkingTherapies: 'yes',
  consentShareProgress: 'yes',
};

test("the referral API's answers validate against the description", async () => {
  const P = '/api/v1/referrals';
  const made = await call('POST', P, referral, { 'idempotency-key': 'openapi-1' });
  conforms(P, 'post', made);
  conforms(P, 'post', await call('POST', P, referral, { 'idempotency-key': 'openapi-1' }));
  conforms(
    P,
    'post',
    await call('POST', P, { ...referral, givenName: 'Other' }, { 'idempotency-key': 'openapi-1' }),
  );
  conforms(P, 'post', await call('POST', P, { smokingStatus: '4', vapingStatus: 'never' }));
  conforms(
    P,
    'post',
    await call('POST', P, {
      smokingStatus: '1',
      vapingStatus: 'never',
      adviceGiven: 'yes',
      acceptsReferral: 'no',
    }),
  );
  conforms(P, 'post', await call('POST', P, { ...referral, postcode: 'CF10 1AA' }));
  conforms(P, 'post', await call('POST', P, { ...referral, nhsNumber: '943 476 5918' }));
  conforms(P, 'post', await t.app.inject({ method: 'POST', url: P, payload: referral }));

  conforms(P, 'get', await call('GET', P));
  conforms(P, 'get', await call('GET', `${P}?limit=0`));
  const id = (made.json() as { id: string }).id;
  conforms(`${P}/{id}`, 'get', await call('GET', `${P}/${id}`));
  conforms(`${P}/{id}`, 'get', await call('GET', `${P}/00000000-0000-4000-8000-000000000000`));

  const contact = `${P}/{id}/contact-details`;
  conforms(
    contact,
    'post',
    await call('POST', `${P}/${id}/contact-details`, { phone: '07700 900462', reason: 'New number' }),
  );
  conforms(
    contact,
    'post',
    await call('POST', `${P}/${id}/contact-details`, { reason: 'No way to reach them' }),
  );
  const withdraw = `${P}/{id}/withdraw`;
  conforms(withdraw, 'post', await call('POST', `${P}/${id}/withdraw`, { reason: 'Changed their mind' }));
  conforms(withdraw, 'post', await call('POST', `${P}/${id}/withdraw`, { reason: 'Again' }));
  conforms(withdraw, 'post', await call('POST', `${P}/${id}/withdraw`, {}));
});

test("the directory API's answers validate against the description", async () => {
  const get = (url: string) => t.app.inject({ method: 'GET', url });
  conforms('/api/directory', 'get', await get('/api/directory'));
  const list = await get('/api/directory/services');
  conforms('/api/directory/services', 'get', list);
  const near = await get('/api/directory/services?postcode=LS6+1AN&per_page=5');
  conforms('/api/directory/services', 'get', near);
  assert.ok((near.json() as { contents: unknown[] }).contents.length > 0, 'found services near Leeds');
  conforms('/api/directory/services', 'get', await get('/api/directory/services?per_page=1000'));
  const first = (list.json() as { contents: { id: string }[] }).contents[0]!.id;
  conforms('/api/directory/services/{id}', 'get', await get(`/api/directory/services/${first}`));
  conforms('/api/directory/services/{id}', 'get', await get('/api/directory/services/nope'));
  conforms('/api/directory/services', 'get', await get('/api/directory/services?search=vape&taxonomy_id=x'));
  // The Open Referral UK records: each list, its first record, and one that is not there.
  for (const kind of ['organizations', 'locations', 'service_at_locations', 'taxonomies', 'taxonomy_terms']) {
    const page = await get(`/api/directory/${kind}`);
    conforms(`/api/directory/${kind}`, 'get', page);
    conforms(`/api/directory/${kind}`, 'get', await get(`/api/directory/${kind}?per_page=0`));
    const one = (page.json() as { contents: { id: string }[] }).contents[0]!.id;
    conforms(`/api/directory/${kind}/{id}`, 'get', await get(`/api/directory/${kind}/${one}`));
    conforms(`/api/directory/${kind}/{id}`, 'get', await get(`/api/directory/${kind}/nope`));
  }
});

test('every operation can answer 429 and 503, each a problem document with Retry-After', async () => {
  for (const [path, operations] of Object.entries(doc.paths))
    for (const [method, operation] of Object.entries(operations))
      for (const status of ['429', '503']) {
        const response = operation.responses[status] as
          { content?: Record<string, unknown>; headers?: Record<string, unknown> } | undefined;
        assert.ok(response?.content?.['application/problem+json'], `${method} ${path} ${status}`);
        assert.ok(response.headers?.['Retry-After'], `${method} ${path} ${status} Retry-After`);
      }
  // A real refusal, from an app allowed one request a minute, is what the description says.
  const limited = await buildTestApp({ env: { RATE_LIMIT_PER_MINUTE: '1' } });
  try {
    await limited.app.inject({ method: 'GET', url: '/api/directory' });
    const refused = await limited.app.inject({ method: 'GET', url: '/api/directory' });
    assert.equal(refused.statusCode, 429);
    assert.ok(refused.headers['retry-after']);
    conforms('/api/directory', 'get', refused);
  } finally {
    await limited.close();
  }
});

test("the directory's other filters and its ndjson export validate against the description", async () => {
  const get = (url: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url, headers });
  const S = '/api/directory/services';
  conforms(S, 'get', await get(`${S}?day=TH&start_time=18:00&modified_after=2000-01-01&minimum_age=16`));
  conforms(S, 'get', await get(`${S}?day=XX`));
  conforms(
    '/api/directory/service_at_locations',
    'get',
    await get('/api/directory/service_at_locations?day=TU'),
  );
  const ndjson = await get(`${S}?format=ndjson`);
  assert.equal(String(ndjson.headers['content-type']).split(';')[0], 'application/x-ndjson');
  const validate = ajv.compile({
    $ref: `openapi#/paths/${S.replaceAll('/', '~1')}/get/responses/200/content/application~1x-ndjson/schema`,
  });
  const lines = ndjson.body.trim().split('\n');
  assert.ok(lines.length > 1);
  for (const line of lines) assert.ok(validate(JSON.parse(line)), ajv.errorsText(validate.errors));
});

test("every operation's success was checked against the description", { concurrency: false }, () => {
  for (const [path, operations] of Object.entries(doc.paths))
    for (const method of Object.keys(operations))
      assert.ok(
        [...checked].some((c) => c.startsWith(`${method} ${path} 2`)),
        `${method} ${path}: no success answer was checked`,
      );
});
