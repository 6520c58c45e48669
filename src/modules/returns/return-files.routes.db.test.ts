// Return files through HTTP on the real engine: a return uploaded as a file (multipart) with good and bad
// content, refused without the form's CSRF token, too large or malformed; and the return in the national
// collection's layout, with the written exception reasons, for one authority and for the quarter.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hashPassword } from '../../platform/passwords.ts';
import { buildTestApp, DEMO_PASSWORD, type TestApp } from '../../../test/helpers/test-app.ts';
import { signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import { errorSummary } from '../organisations/test-html.ts';
import { toCsv, toJson } from './csv-layout.ts';
import { figuresOf } from './return-figures.ts';
import { sampleReturn } from './return-files.fixtures.ts';
import { MANCHESTER } from '../../demo/demo-data.ts';

const BRADFORD = 'E08000032';
const PATH = `/returns/${BRADFORD}/2025/2`;
const ret = sampleReturn(BRADFORD);

let t: TestApp;
let bradford: HttpSession;
let manchester: HttpSession;
let analyst: HttpSession;

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
  bradford = await addCommissioner(
    'commissioner.bradford@demo.test',
    BRADFORD,
    'Bradford Council Public Health',
  );
  manchester = await addCommissioner(
    'commissioner.manchester2@demo.test',
    MANCHESTER,
    'Manchester Public Health 2',
  );
  analyst = await signIn(t.app, 'analyst@demo.test');
});
after(() => t?.close());

type Part =
  { name: string; value: string } | { name: string; filename: string; type: string; content: string };
const BOUNDARY = '----mortar-test-7d1f';

/** A multipart body as a browser sends it: each part with its headers, then the closing boundary. */
function multipart(parts: Part[]) {
  const body = parts
    .map((p) =>
      'filename' in p
        ? `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: ${p.type}\r\n\r\n${p.content}\r\n`
        : `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}\r\n`,
    )
    .join('');
  return { contentType: `multipart/form-data; boundary=${BOUNDARY}`, payload: `${body}--${BOUNDARY}--\r\n` };
}

/** Uploads a file from the import page with its form's token (or `token`), as a browser would. */
async function upload(
  s: HttpSession,
  filename: string,
  type: string,
  content: string,
  token?: string | null,
) {
  await s.get(`${PATH}/import`);
  const csrf = token === undefined ? s.csrfToken! : token;
  const parts: Part[] = [
    ...(csrf === null ? [] : [{ name: '_csrf', value: csrf }]),
    { name: 'file', filename, type, content },
  ];
  return s.request({ method: 'POST', url: `${PATH}/import`, raw: multipart(parts), csrf: false });
}

const stored = () =>
  t.db
    .selectFrom('returns as r')
    .innerJoin('return_versions as v', (j) =>
      j.onRef('v.return_id', '=', 'r.id').onRef('v.version', '=', 'r.current_version'),
    )
    .select(['r.status', 'r.source', 'r.current_version', 'v.data'])
    .where('r.local_authority_code', '=', BRADFORD)
    .executeTakeFirst();

describe('uploading a return file', () => {
  test('the import page has a labelled file input with a hint, in a multipart form, and the paste box beside it', async () => {
    const res = await bradford.get(`${PATH}/import`);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<form method="post" action="[^"]+\/import" enctype="multipart\/form-data"/);
    const label = /<label[^>]*for="file"[^>]*>/.exec(res.body);
    assert.ok(
      label,
      res.body.slice(res.body.indexOf('nhsuk-file-upload'), res.body.indexOf('nhsuk-file-upload') + 600),
    );
    assert.match(
      res.body,
      /<input class="nhsuk-file-upload__input" id="file" name="file" type="file" aria-describedby="file-hint"/,
    );
    assert.match(res.body, /<textarea[^>]*id="csv"/);
  });

  test('without the form’s CSRF token, or with a wrong one, the upload is refused and nothing is stored', async () => {
    assert.equal((await upload(bradford, 'r.csv', 'text/csv', toCsv(ret), null)).statusCode, 403);
    assert.equal((await upload(bradford, 'r.csv', 'text/csv', toCsv(ret), 'not-the-token')).statusCode, 403);
    assert.equal(await stored(), undefined);
  });

  test('bad content: every problem in the error summary with its row and column, linking to the file input; nothing stored', async () => {
    const lines = toCsv(ret).split('\r\n');
    lines[1] = lines[1]!.replace(/,\d+$/, ',lots');
    lines[3] = lines[3]!.replace(/^E08000032/, 'E08000035');
    const res = await upload(bradford, 'bradford.csv', 'text/csv', lines.join('\r\n'));
    assert.equal(res.statusCode, 400);
    const summary = errorSummary(res.body);
    assert.deepEqual(summary.slice(0, 2), [
      ['#file', 'Row 2, column value: "lots" is not a whole number'],
      [
        '#file',
        'Row 4, column local_authority_code: This row is for E08000035, but the file is being loaded for E08000032',
      ],
    ]);
    assert.match(res.body, /id="file-error"/);
    const rows = toJson(ret).map((r) => ({ ...r }));
    rows[20]!.measure = 'quits';
    const json = await upload(bradford, 'bradford.json', 'application/json', JSON.stringify(rows));
    assert.deepEqual(errorSummary(json.body), [
      ['#file', 'Row 21, column measure: "quits" is not a measure in the layout (see CSV-LAYOUT.md)'],
    ]);
    const excel = await upload(
      bradford,
      'bradford.xlsx',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'PK',
    );
    assert.match(errorSummary(excel.body)[0]![1], /Excel workbook/);
    const none = await bradford.request({
      method: 'POST',
      url: `${PATH}/import`,
      raw: multipart([
        { name: '_csrf', value: bradford.csrfToken! },
        { name: 'file', filename: '', type: 'application/octet-stream', content: '' },
      ]),
      csrf: false,
    });
    assert.deepEqual(errorSummary(none.body), [['#file', 'Select the return’s CSV or JSON file']]);
    assert.equal(await stored(), undefined);
  });

  test('a file over the limit is refused with 413 and the error summary; a malformed body is a 400, never a 500', async () => {
    const big = await upload(bradford, 'big.csv', 'text/csv', `${toCsv(ret)}${'x'.repeat(1024 * 1024)}`);
    assert.equal(big.statusCode, 413);
    assert.deepEqual(errorSummary(big.body), [['#file', 'The file must be 1024 KB or smaller']]);
    const cut = await bradford.request({
      method: 'POST',
      url: `${PATH}/import`,
      raw: {
        contentType: `multipart/form-data; boundary=${BOUNDARY}`,
        payload: `--${BOUNDARY}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\nabc`,
      },
      csrf: false,
    });
    assert.equal(cut.statusCode, 400);
    const noBoundary = await bradford.request({
      method: 'POST',
      url: `${PATH}/import`,
      raw: { contentType: 'multipart/form-data', payload: 'x' },
      csrf: false,
    });
    assert.equal(noBoundary.statusCode, 400);
    assert.equal(await stored(), undefined);
  });

  test('only the import reads multipart bodies: another form refuses one (415)', async () => {
    const res = await bradford.request({
      method: 'POST',
      url: `${PATH}/exception-reasons`,
      raw: multipart([
        { name: '_csrf', value: bradford.csrfToken! },
        { name: 'reason-pharmacy', value: 'x' },
      ]),
      csrf: false,
    });
    assert.equal(res.statusCode, 415);
  });

  test('a good CSV file becomes a version; Mortar’s JSON export of it uploads again to the same figures', async () => {
    const res = await upload(bradford, 'bradford.csv', 'application/vnd.ms-excel', toCsv(ret));
    assert.equal(res.statusCode, 303, errorSummary(res.body).join('\n'));
    assert.equal(res.headers.location, `${PATH}?done=imported`);
    const v = (await stored())!;
    assert.deepEqual([v.source, v.status, v.current_version], ['import', 'draft', 1]);
    assert.deepEqual(figuresOf(v.data as typeof ret), figuresOf(ret));
    const exported = await bradford.get(`${PATH}/return.json`);
    const again = await upload(bradford, 'bradford.json', 'application/json', exported.body);
    assert.equal(again.statusCode, 303, errorSummary(again.body).join('\n'));
    const v2 = (await stored())!;
    assert.equal(v2.current_version, 2);
    assert.deepEqual(figuresOf(v2.data as typeof ret), figuresOf(ret));
  });
});

describe('the national layout', () => {
  const csvRows = (body: string) =>
    body
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));

  test('a draft is not exported in the national layout; signed off, it is, with the written exception reasons', async () => {
    assert.equal((await bradford.get(`${PATH}/national.csv`)).statusCode, 409);
    assert.ok(!(await bradford.get(PATH)).body.includes(`${PATH}/national.csv`), 'no link on a draft');
    const reasons = {
      'reason-pharmacy': 'New pharmacy scheme.',
      'reason-general_practice': 'One person only.',
    };
    assert.equal((await bradford.post(`${PATH}/exception-reasons`, reasons, { from: PATH })).statusCode, 303);
    assert.equal((await bradford.post(`${PATH}/sign-off`, {}, { from: PATH })).statusCode, 303);
    assert.ok((await bradford.get(PATH)).body.includes(`${PATH}/national.csv`), 'the link once signed off');

    const res = await bradford.get(`${PATH}/national.csv`);
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/csv/);
    assert.match(String(res.headers['content-disposition']), /lsss-return-E08000032-2025-26-Q2\.csv/);
    const rows = csvRows(res.body);
    assert.deepEqual(rows[0], [
      'local_authority_code',
      'period_start',
      'period_end',
      'section',
      'data_item',
      'code',
      'description',
      'data_element',
      'value',
      'confirmed',
      'note',
    ]);
    assert.deepEqual(rows[2], [
      'E08000032',
      '2025-07-01',
      '2025-09-30',
      'totals',
      'TOTAL',
      '',
      'All people',
      'STOP SMOKING SETTING QUIT DATE TOTAL',
      '10',
      'yes',
      '',
    ]);
    const exceptions = rows.filter((r) => r[3] === 'exception_reason').map((r) => [r[5], r[6], r[8]]);
    assert.deepEqual(exceptions, [
      ['pharmacy', 'Pharmacy: 0 of 3 quit (0%)', 'New pharmacy scheme.'],
      ['general_practice', 'GP practice: 1 of 1 quit (100%)', 'One person only.'],
    ]);
    const json = JSON.parse((await bradford.get(`${PATH}/national.json`)).body);
    assert.equal(json.layout, 'national');
    assert.equal(json.rows.length, rows.length - 1);
  });

  test('once submitted, the national analyst has every authority’s return of the quarter in one file; others cannot see Bradford’s', async () => {
    for (const step of ['approve', 'submit'])
      assert.equal((await bradford.post(`${PATH}/${step}`, {}, { from: PATH })).statusCode, 303, step);
    const res = await analyst.get('/national/returns/national-layout.csv?year=2025&quarter=2');
    assert.equal(res.statusCode, 200);
    const rows = csvRows(res.body).slice(1);
    assert.ok(
      rows.length > 0 && rows.every((r) => r[0] === BRADFORD),
      'only the submitted return, Bradford’s',
    );
    assert.ok(rows.some((r) => r[3] === 'exception_reason' && r[8] === 'New pharmacy scheme.'));
    assert.equal(
      (await bradford.get('/national/returns/national-layout.csv?year=2025&quarter=2')).statusCode,
      403,
    );
    assert.equal((await manchester.get(`${PATH}/national.csv`)).statusCode, 403);
    const audits = await t.db
      .selectFrom('audit_events')
      .select('detail')
      .where('action', '=', 'export')
      .execute();
    assert.ok(audits.some((a) => /national layout/.test(a.detail ?? '')));
  });
});
