import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { signIn, type HttpSession } from '../../../test/helpers/http-session.ts';

// The toolkit through its pages, on the demonstration data: the national team drafts and publishes,
// Leeds's commissioner adopts and adapts, and downloads are filled with Leeds's service details.

let t: TestApp;
let national: HttpSession;
let leeds: HttpSession;
let id: string;

before(async () => {
  t = await buildTestApp({ demo: true });
  national = await signIn(t.app, 'national.admin@demo.test');
  leeds = await signIn(t.app, 'commissioner@demo.test');
  id = (
    await t.db
      .selectFrom('toolkit_documents')
      .select('id')
      .where('slug', '=', 'vba-gp')
      .executeTakeFirstOrThrow()
  ).id;
});
after(() => t.close());

const versions = () =>
  t.db
    .selectFrom('toolkit_versions')
    .select(['number', 'title', 'body', 'published_at'])
    .where('document_id', '=', id)
    .orderBy('number')
    .execute();
const auditDetails = async () =>
  (
    await t.db.selectFrom('audit_events').select('detail').where('entity_id', '=', id).orderBy('id').execute()
  ).map((r) => r.detail);

test('every kind of document is seeded with a first published version', async () => {
  const kinds = await t.db
    .selectFrom('toolkit_documents as d')
    .innerJoin('toolkit_versions as v', 'v.document_id', 'd.id')
    .select('d.kind')
    .where('v.published_at', 'is not', null)
    .distinct()
    .execute();
  assert.deepEqual(kinds.map((k) => k.kind).sort(), [
    'campaign',
    'local_pathway',
    'local_strategy',
    'smokefree_policy',
    'vba_script',
  ]);
  const page = await leeds.get('/toolkit');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Very Brief Advice script: housing and tenancy support/);
});

test('a draft with an unknown placeholder is shown again with the error summary and what was typed', async () => {
  const res = await national.post(`/toolkit/${id}/draft`, {
    title: 'GP script',
    body: 'Call {{clinic hours}} <b>now</b>',
    changeNote: '',
  });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /There is a problem/);
  assert.match(res.body, /Mortar cannot fill \{\{clinic hours\}\}/);
  assert.match(res.body, /Call \{\{clinic hours\}\} &lt;b&gt;now&lt;\/b&gt;/);
  assert.equal((await versions()).length, 1, 'nothing saved');
});

test('Leeds adopts version 1, adapts it, and its own versions are kept with who and when', async () => {
  assert.equal((await leeds.post(`/toolkit/${id}/adopt`, {})).statusCode, 303);
  const edit = await leeds.post(`/toolkit/${id}/local`, {
    title: 'GP script for Leeds',
    body: '# Leeds\n\nRing {{service phone}} today.',
  });
  assert.equal(edit.statusCode, 303);
  const local = await t.db
    .selectFrom('toolkit_local_versions')
    .select(['number', 'title', 'created_by'])
    .orderBy('number')
    .execute();
  assert.deepEqual(
    local.map((l) => [l.number, l.title]),
    [
      [1, 'Very Brief Advice script: GP practice'],
      [2, 'GP script for Leeds'],
    ],
  );
  assert.ok(local.every((l) => l.created_by));
  const page = await leeds.get(`/toolkit/${id}`);
  assert.match(page.body, /Local version 2, saved by/);
  assert.doesNotMatch(page.body, /A newer national version exists/);
});

test('the national team publishes version 2; Leeds sees it is newer and what changed, and can start again from it', async () => {
  const body = (await versions())[0]!.body.replace(
    'Ask at every suitable consultation',
    'Ask at every consultation',
  );
  assert.equal(
    (
      await national.post(`/toolkit/${id}/draft`, {
        title: 'Very Brief Advice script: GP practice',
        body,
        changeNote: 'Ask every time',
      })
    ).statusCode,
    303,
  );
  assert.equal((await national.post(`/toolkit/${id}/publish`, {})).statusCode, 303);
  const v = await versions();
  assert.deepEqual(
    v.map((x) => [x.number, Boolean(x.published_at)]),
    [
      [1, true],
      [2, true],
    ],
  );
  await assert.rejects(
    t.db.updateTable('toolkit_versions').set({ body: 'changed' }).where('document_id', '=', id).execute(),
    /cannot be changed/,
  );

  const page = await leeds.get(`/toolkit/${id}`);
  assert.match(page.body, /A newer national version exists/);
  assert.match(page.body, /Removed: <\/span>- Ask at every suitable consultation/);
  assert.match(page.body, /Added: <\/span>- Ask at every consultation/);
  assert.equal((await leeds.post(`/toolkit/${id}/adopt`, { restart: 'yes' })).statusCode, 303);
  const after = await leeds.get(`/toolkit/${id}`);
  assert.match(after.body, /Local version 3, saved by .* based on national version 2/s);
  assert.deepEqual(await auditDetails(), [
    'E08000035 adopted national version 1',
    'E08000035 local version 2',
    'national draft saved',
    'national version 2 published',
    'E08000035 took national version 2',
  ]);
});

test('a download is filled with Leeds’s commissioned service, and missing details are named', async () => {
  const page = await leeds.get(`/toolkit/${id}/print`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Leeds Stop Smoking Service/);
  assert.match(page.body, /Leeds&#39;s version 3, based on national version 2|Leeds's version 3/);
  const pdf = await leeds.get(`/toolkit/${id}/download.pdf`);
  assert.equal(pdf.statusCode, 200);
  assert.equal(pdf.headers['content-type'], 'application/pdf');
  assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
  const nationalPage = await national.get(`/toolkit/${id}/print`);
  assert.match(nationalPage.body, /<mark class="app-toolkit-gap">\[service phone\]<\/mark>/);
});

test('only a commissioner adopts, and only the national team drafts', async () => {
  assert.equal((await national.post(`/toolkit/${id}/adopt`, {})).statusCode, 403);
  assert.equal((await leeds.post(`/toolkit/${id}/draft`, { title: 'x', body: 'y' })).statusCode, 403);
});
