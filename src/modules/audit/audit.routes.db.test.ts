// Reading the audit through HTTP on the real engine: who sees which rows, searching by person, user,
// date and action, more than one page, the CSV export and its formula guard, and that reading the audit
// is itself audited.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { hashPassword } from '../../platform/passwords.ts';
import { buildTestApp, DEMO_PASSWORD, type TestApp } from '../../../test/helpers/test-app.ts';
import { signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import { errorsByField, inputValue, textOf } from '../organisations/test-html.ts';

let t: TestApp;
let manager: HttpSession;
let adviser: HttpSession;
let sam: { id: string; reference: string };

const orgId = async (name: string) =>
  (await t.db.selectFrom('organisations').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
const userId = async (email: string) =>
  (await t.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;

/** The number of entries a page says it found. */
const totalOf = (html: string) =>
  /Nothing in the audit matches your search/.test(html)
    ? 0
    : Number(/(\d+) entr(?:y|ies)\b/.exec(textOf(html))?.[1] ?? NaN);
/** The table's rows as text, one string per row. */
const rowsOf = (html: string) =>
  [...html.matchAll(/<tr[^>]*class="nhsuk-table__row"[^>]*>\s*<td[\s\S]*?<\/tr>/g)].map((m) =>
    textOf(m[0]).trim(),
  );

/** Parses a CSV document (quoted cells, doubled quotes) into rows of cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

async function addAudit(values: {
  at: Date;
  actor: string;
  organisationId: string;
  action: string;
  entityType: string;
  entityId: string;
  detail?: string;
}) {
  await t.db
    .insertInto('audit_events')
    .values({
      at: values.at,
      actor_user_id: values.actor,
      organisation_id: values.organisationId,
      action: values.action,
      entity_type: values.entityType,
      entity_id: values.entityId,
      detail: values.detail ?? null,
    })
    .execute();
}

before(async () => {
  t = await buildTestApp({ demo: true });
  manager = await signIn(t.app, 'manager@demo.test');
  adviser = await signIn(t.app, 'adviser@demo.test');
  sam = await t.db
    .selectFrom('referrals')
    .select(['id', 'reference'])
    .where('given_name', '=', 'Sam')
    .executeTakeFirstOrThrow();
  // The adviser opens Sam's referral; a Manchester adviser opens Manchester's.
  assert.equal((await adviser.get(`/worklist/${sam.id}`)).statusCode, 200);
  const robin = await t.db
    .selectFrom('referrals')
    .select('id')
    .where('given_name', '=', 'Robin')
    .executeTakeFirstOrThrow();
  const mcr = await signIn(t.app, 'adviser.manchester@demo.test');
  assert.equal((await mcr.get(`/worklist/${robin.id}`)).statusCode, 200);
});
after(() => t?.close());

describe('a service manager reads the audit of the records their service holds', () => {
  test('who viewed Sam’s referral and when, and nothing about other services’ records', async () => {
    const res = await manager.get('/audit');
    assert.equal(res.statusCode, 200);
    assert.match(textOf(res.body), /Adam Clarke Leeds Stop Smoking Service Viewed Referral MOR-\d{6}/);

    // Every row of the full export is about a record the Leeds service holds.
    const csv = await manager.get('/audit.csv');
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    assert.equal(csv.headers['cache-control'], 'no-store');
    const [header, ...rows] = parseCsv(csv.body);
    assert.equal(header![7], 'Record id');
    assert.ok(rows.length > 10);
    const leeds = await orgId('Leeds Stop Smoking Service');
    const held = new Set(
      (
        await t.db
          .selectFrom('audit_subjects')
          .select(['entity_type', 'entity_id'])
          .where('organisation_id', '=', leeds)
          .execute()
      ).map((s) => s.entity_id),
    );
    for (const r of rows) assert.ok(held.has(r[7]!), `row about ${r[5]} ${r[7]} is the service's`);
    assert.ok(!csv.body.includes('Megan Doyle'), 'the Manchester adviser’s reading is not shown');
  });

  test('search by person: reference, name or NHS number, and the records of their treatment', async () => {
    const expected = Number(
      (
        await t.db
          .selectFrom('audit_events')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('entity_type', '=', 'referral')
          .where('entity_id', '=', sam.id)
          .executeTakeFirstOrThrow()
      ).n,
    );
    assert.ok(expected > 0);
    await t.db.updateTable('referrals').set({ nhs_number: '9434765919' }).where('id', '=', sam.id).execute();
    for (const record of [sam.reference, sam.reference.toLowerCase(), 'Sam Taylor', '943 476 5919']) {
      const res = await manager.get(`/audit?record=${encodeURIComponent(record)}`);
      assert.equal(res.statusCode, 200, record);
      // Reading the audit is audited too, but not as a view of Sam's record.
      assert.equal(totalOf(res.body), expected, record);
      for (const row of rowsOf(res.body)) assert.match(row, new RegExp(sam.reference), record);
    }
    // Morgan Hughes was referred, accepted and is being treated: the search finds every part of it.
    const morgan = await manager.get('/audit?record=Morgan+Hughes');
    const kinds = new Set(
      rowsOf(morgan.body).map((r) => /(Referral|Treatment episode|Session|Person)/.exec(r)?.[1]),
    );
    assert.ok(kinds.has('Referral') && kinds.has('Treatment episode'), [...kinds].join());
    // Manchester's people are not found, whatever is typed.
    assert.equal(totalOf((await manager.get('/audit?record=Ashworth')).body), 0);
  });

  test('search by user, by action and by dates in England’s time', async () => {
    const byUser = await manager.get('/audit?user=ADAM');
    const who = rowsOf(byUser.body).map((r) => /\d\d:\d\d (.+?) Leeds Stop Smoking Service/.exec(r)?.[1]);
    assert.ok(who.length > 0);
    for (const w of who) assert.equal(w, 'Adam Clarke');

    const changed = await manager.get('/audit?action=update');
    assert.ok(totalOf(changed.body) > 0);
    for (const r of rowsOf(changed.body)) assert.match(r, / Changed /);

    // 23:30 on 31 March 2024 in London is 22:30 GMT; 00:30 on 1 April is 23:30 GMT the day before (BST).
    const adam = await userId('adviser@demo.test');
    const leeds = await orgId('Leeds Stop Smoking Service');
    for (const at of [
      '2024-03-31T22:30:00Z',
      '2024-03-31T23:30:00Z',
      '2024-04-01T22:59:00Z',
      '2024-04-01T23:00:00Z',
    ]) {
      await addAudit({
        at: new Date(at),
        actor: adam,
        organisationId: leeds,
        action: 'view',
        entityType: 'referral',
        entityId: sam.id,
        detail: `at ${at}`,
      });
    }
    const day = await manager.get(
      '/audit?from-day=1&from-month=4&from-year=2024&to-day=1&to-month=4&to-year=2024',
    );
    assert.equal(day.statusCode, 200);
    assert.deepEqual(
      rowsOf(day.body).map((r) => /at (\S+)/.exec(r)?.[1]),
      ['2024-04-01T22:59:00Z', '2024-03-31T23:30:00Z'],
    );
  });

  test('more than a page: the total, the NHS pagination, and every row reachable once', async () => {
    const adam = await userId('adviser@demo.test');
    const leeds = await orgId('Leeds Stop Smoking Service');
    for (let i = 0; i < 120; i++) {
      await addAudit({
        at: new Date(Date.UTC(2023, 0, 1, 9, i)),
        actor: adam,
        organisationId: leeds,
        action: 'list',
        entityType: 'referral',
        entityId: sam.id,
        detail: `bulk ${i}`,
      });
    }
    const q = '/audit?record=' + encodeURIComponent(sam.reference) + '&to-day=31&to-month=12&to-year=2023';
    const first = await manager.get(q);
    assert.equal(totalOf(first.body), 120);
    assert.match(first.body, /class="nhsuk-pagination[^"]*"/);
    const seen: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const res = await manager.get(`${q}&page=${page}`);
      seen.push(...rowsOf(res.body).map((r) => /bulk (\d+)/.exec(r)?.[1] ?? '?'));
    }
    assert.equal(seen.length, 120);
    assert.equal(new Set(seen).size, 120);
    assert.equal(seen[0], '119', 'newest first');
    assert.equal(seen.at(-1), '0');
    // The next-page link keeps the search.
    assert.match(
      first.body,
      /href="\/audit\?record=MOR-\d+&amp;to-day=31&amp;to-month=12&amp;to-year=2023&amp;page=2"/,
    );
  });

  test('bad search: 400, the error summary, and what was typed kept; the export refuses it too', async () => {
    const res = await manager.get('/audit?from-day=31&from-month=2&from-year=2025&user=someone');
    assert.equal(res.statusCode, 400);
    assert.deepEqual(errorsByField(res.body), { 'from-day': 'Date from must be a real date' });
    assert.equal(inputValue(res.body, 'from-day'), '31');
    assert.equal(inputValue(res.body, 'user'), 'someone');
    const csv = await manager.get('/audit.csv?from-day=31&from-month=2&from-year=2025');
    assert.equal(csv.statusCode, 400);
  });

  test('reading and exporting the audit are audited, without what was typed', async () => {
    const me = await userId('manager@demo.test');
    await manager.get('/audit?record=Sam+Taylor&action=view&page=1');
    await manager.get('/audit.csv?user=adam');
    const rows = await t.db
      .selectFrom('audit_events')
      .select(['action', 'detail', 'entity_type'])
      .where('actor_user_id', '=', me)
      .where('entity_type', '=', 'audit_log')
      .orderBy('id', 'desc')
      .limit(2)
      .execute();
    assert.deepEqual(rows, [
      { action: 'export', detail: 'searched by user, all rows', entity_type: 'audit_log' },
      {
        action: 'view',
        detail: 'searched by person or record, action view, page 1',
        entity_type: 'audit_log',
      },
    ]);
  });

  test('the export guards spreadsheet formulas in every cell', async () => {
    const leeds = await orgId('Leeds Stop Smoking Service');
    const hostile = await t.db
      .insertInto('users')
      .values({
        email: '@evil.example.org',
        name: '=HYPERLINK("http://evil.example.org","Click")',
        role: 'adviser',
        organisation_id: leeds,
        password_hash: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await addAudit({
      at: new Date(),
      actor: hostile.id,
      organisationId: leeds,
      action: 'view',
      entityType: 'referral',
      entityId: sam.id,
      detail: '+SUM(1,2)',
    });
    const csv = await manager.get('/audit.csv?user=evil');
    const [, row] = parseCsv(csv.body);
    assert.ok(row);
    assert.equal(row[1], `'=HYPERLINK("http://evil.example.org","Click")`);
    assert.equal(row[2], `'@evil.example.org`);
    assert.equal(row[8], `'+SUM(1,2)`);
    for (const cell of row) assert.ok(!/^[=+\-@]/.test(cell), cell);
  });
});

describe('an administrator reads the audit of their organisation', () => {
  test('what their own people did, and not another organisation’s reading of its own records', async () => {
    const admin = await signIn(t.app, 'admin@demo.test');
    const council = await orgId('Leeds City Council Public Health');
    const res = await admin.post('/admin/users', {
      name: 'Jo Walsh',
      email: 'jo.walsh@example.org',
      role: 'commissioner',
      organisationId: council,
    });
    assert.equal(res.statusCode, 200);
    const page = textOf((await admin.get('/audit')).body);
    assert.match(page, /Alex Morgan Leeds City Council Public Health Created Invitation/);
    assert.match(page, /Alex Morgan Leeds City Council Public Health Created Access granted/);
    assert.ok(!page.includes('Adam Clarke'), 'the service’s reading of referrals is the service’s');
  });

  test('a referring organisation’s administrator sees who read the referrals it sent', async () => {
    const tt = await orgId('Leeds NHS Talking Therapies');
    await t.db
      .insertInto('users')
      .values({
        email: 'admin.tt@example.org',
        name: 'Tess Admin',
        role: 'administrator',
        organisation_id: tt,
        password_hash: await hashPassword(DEMO_PASSWORD),
      })
      .execute();
    const ttAdmin = await signIn(t.app, 'admin.tt@example.org');
    const res = await ttAdmin.get(`/audit?record=${sam.reference}&action=view`);
    assert.equal(res.statusCode, 200);
    assert.match(
      textOf(res.body),
      new RegExp(`Adam Clarke Leeds Stop Smoking Service Viewed Referral ${sam.reference}`),
    );
    // No link into a record the administrator may not open.
    assert.ok(!res.body.includes(`href="/worklist/${sam.id}"`));
    // Priya Shah was referred by the GP practice: not this organisation's to audit.
    assert.equal(totalOf((await ttAdmin.get('/audit?record=Priya+Shah')).body), 0);
  });
});

describe('nobody else reads the audit', () => {
  test('advisers, referrers, commissioners and analysts are refused', async () => {
    for (const email of [
      'adviser@demo.test',
      'referrer@demo.test',
      'commissioner@demo.test',
      'analyst@demo.test',
    ]) {
      const s = email === 'adviser@demo.test' ? adviser : await signIn(t.app, email);
      assert.equal((await s.get('/audit')).statusCode, 403, email);
      assert.equal((await s.get('/audit.csv')).statusCode, 403, email);
    }
  });
});

describe('who may read each audit row is kept by the database', () => {
  test('a referral made through the form is in its service’s audit at once, as written in one statement', async () => {
    const referrer = await signIn(t.app, 'referrer@demo.test');
    const res = await referrer.post(
      '/referrals',
      {
        smokingStatus: '1',
        vapingStatus: 'never',
        adviceGiven: 'yes',
        acceptsReferral: 'yes',
        givenName: 'Quinn',
        familyName: 'Audited',
        'dateOfBirth-day': '14',
        'dateOfBirth-month': '6',
        'dateOfBirth-year': '1985',
        postcode: 'LS6 1AN',
        phone: '07700 900123',
        contactMethods: ['phone'],
        contactTimes: 'any',
        mentalHealth: 'depression',
        inTalkingTherapies: 'yes',
        consentShareProgress: 'yes',
      },
      { from: '/referrals/new' },
    );
    assert.equal(res.statusCode, 303, textOf(res.body).slice(0, 300));
    const page = await manager.get('/audit?record=Quinn+Audited&action=create');
    assert.equal(totalOf(page.body), 1);
    assert.match(textOf(page.body), /Riya Patel Leeds NHS Talking Therapies Created Referral MOR-\d{6}/);
  });

  test('audit_reach agrees, row for row, with the records and the people behind every audit row', async () => {
    const expected = await sql<{
      organisation_id: string;
      audit_event_id: string;
      holds: boolean;
      acted: boolean;
    }>`
      select org as organisation_id, id::text as audit_event_id, bool_or(holds) as holds, bool_or(acted) as acted
      from (
        select s.organisation_id as org, a.id, true as holds, false as acted
        from audit_events a join audit_subjects s
          on s.entity_type = a.entity_type and s.entity_id::text = a.entity_id
        union all
        select a.organisation_id, a.id, false, true from audit_events a where a.organisation_id is not null
      ) x group by org, id order by 1, 2`.execute(t.db);
    const kept = await sql<{
      organisation_id: string;
      audit_event_id: string;
      holds: boolean;
      acted: boolean;
    }>`
      select organisation_id, audit_event_id::text, holds, acted from audit_reach order by 1, 2`.execute(
      t.db,
    );
    assert.ok(expected.rows.length > 100);
    assert.deepEqual(kept.rows, expected.rows);
  });
});
