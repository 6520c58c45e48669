// Partners, contacts, smokefree policies and training records through HTTP: who may see and change what
// (a commissioner their own authority's, an analyst every authority's to read, nobody else), forms that
// keep what was typed, CSRF, audit, the counts on the pages, and the CSV exports.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LEEDS, MANCHESTER } from '../../demo/demo-data.ts';
import { hashPassword } from '../../platform/passwords.ts';
import { buildTestApp, DEMO_PASSWORD, type TestApp } from '../../../test/helpers/test-app.ts';
import { signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import {
  errorsByField,
  inputValue,
  selectedOption,
  tableWithCaption,
  textareaValue,
  textOf,
} from '../organisations/test-html.ts';
import { addYears } from './training.ts';
import { loadWorkforceCounts } from './training.service.ts';

let t: TestApp;
let leeds: HttpSession;
let analyst: HttpSession;
let manchester: HttpSession;
let adviser: HttpSession;
let today: string;
const todayFields = (name: string) => {
  const [year, month, day] = today.split('-');
  return {
    [`${name}-day`]: String(Number(day)),
    [`${name}-month`]: String(Number(month)),
    [`${name}-year`]: year,
  };
};

before(async () => {
  t = await buildTestApp({ demo: true });
  today = t.clock.today();
  leeds = await signIn(t.app, 'commissioner@demo.test');
  analyst = await signIn(t.app, 'analyst@demo.test');
  adviser = await signIn(t.app, 'adviser@demo.test');
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
});
after(() => t?.close());

const partnerId = async (name: string) =>
  (await t.db.selectFrom('partners').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
const auditOf = (entityType: string) =>
  t.db
    .selectFrom('audit_events')
    .select(['action', 'entity_id', 'detail', 'actor_user_id'])
    .where('entity_type', '=', entityType)
    .orderBy('id')
    .execute();
/** The figure in the summary table for one measure. */
const summaryCount = (html: string, key: string) =>
  Number(new RegExp(`data-count="${key}">(\\d+)<`).exec(html)?.[1]);

describe('who sees partners', () => {
  test('the Leeds commissioner sees Leeds partners only, with policy, review and trained staff', async () => {
    const res = await leeds.get('/partners');
    assert.equal(res.statusCode, 200);
    const text = textOf(res.body);
    for (const name of [
      'Leeds NHS Talking Therapies',
      'Hyde Park Surgery',
      'Leeds North Foodbank',
      'Aire Valley Housing Association',
      'Leeds Community Recovery Service',
      'Leeds Mental Health NHS Trust',
    ]) {
      assert.ok(text.includes(name), name);
    }
    assert.ok(!text.includes('Manchester'), 'nothing of another authority');
    assert.match(text, /Review overdue/);
    assert.match(
      res.body,
      /href="\/partners"[^>]*aria-current="page"|aria-current="page"[^>]*href="\/partners"/,
    );
  });

  test('the counts follow the rules: active partners, adopted policies, each person once while current', async () => {
    const res = await leeds.get('/partners');
    // Active: Talking Therapies, Hyde Park, the foodbank and the housing association (the trust is paused).
    assert.equal(summaryCount(res.body, 'activePartners'), 4);
    assert.equal(summaryCount(res.body, 'partnersWithAdoptedPolicy'), 2);
    // Very Brief Advice: Riya, Dana (due soon but current), Gareth, Helen, Fran, Joe, Sean; Tom's has lapsed.
    assert.equal(summaryCount(res.body, 'vbaTrainedStaff'), 7);
    // Dana only: Helen's has lapsed and Ruth works at the paused trust.
    assert.equal(summaryCount(res.body, 'ncsctTrainedStaff'), 1);
    assert.equal(summaryCount(res.body, 'mentalHealthModuleStaff'), 1);
    const counts = (await loadWorkforceCounts(t.db, [LEEDS], today)).get(LEEDS);
    assert.deepEqual(counts, {
      activePartners: 4,
      partnersWithAdoptedPolicy: 2,
      vbaTrainedStaff: 7,
      ncsctTrainedStaff: 1,
      mentalHealthModuleStaff: 1,
    });
    // Dana Whitfield, typed two ways, is one person with current training at Talking Therapies; Tom's has lapsed.
    const table = tableWithCaption(res.body, '6 partners');
    const tt = table.split('<tr').find((r) => r.includes('Leeds NHS Talking Therapies'))!;
    assert.deepEqual(
      [...tt.matchAll(/nhsuk-table__cell--numeric"[^>]*>[\s\S]*?<\/span>\s*(\d+)\s*</g)].map((m) =>
        Number(m[1]),
      ),
      [2, 2, 1, 1],
    );
  });

  test('filters by status and sector', async () => {
    const active = await leeds.get('/partners?status=active');
    assert.match(textOf(active.body), /4 partners matching the filter/);
    assert.ok(!textOf(active.body).includes('Leeds Community Recovery Service'));
    const nhs = await leeds.get('/partners?sector=nhs&status=paused');
    assert.match(textOf(nhs.body), /1 partner matching the filter/);
    assert.equal(selectedOption(nhs.body, 'sector'), 'nhs');
    const junk = await leeds.get('/partners?status=deleted');
    assert.equal(junk.statusCode, 200);
    assert.match(textOf(junk.body), /6 partners/);
  });

  test('a Manchester commissioner cannot see or change a Leeds partner: it does not exist for them', async () => {
    const list = await manchester.get('/partners');
    assert.equal(list.statusCode, 200);
    assert.ok(textOf(list.body).includes('Manchester NHS Talking Therapies'));
    assert.ok(!textOf(list.body).includes('Leeds'), 'no Leeds partner listed');
    const id = await partnerId('Hyde Park Surgery');
    for (const url of [
      `/partners/${id}`,
      `/partners/${id}/edit`,
      `/partners/${id}/policy`,
      `/partners/${id}/training/new`,
      `/partners/${id}/contacts/new`,
    ]) {
      assert.equal((await manchester.get(url)).statusCode, 404, url);
    }
    const res = await manchester.post(
      `/partners/${id}/policy`,
      { policyStatus: 'none' },
      { from: '/partners' },
    );
    assert.equal(res.statusCode, 404);
    const csv = await manchester.get('/partners.csv?authority=E08000035');
    assert.ok(!csv.body.includes('Hyde Park'), 'the authority filter is ignored for a commissioner');
    const training = await manchester.get('/training');
    assert.ok(!textOf(training.body).includes('Helen Marsh'));
  });

  test('the analyst reads every authority’s partners and may filter by authority, but changes nothing', async () => {
    const all = await analyst.get('/partners');
    assert.equal(all.statusCode, 200);
    assert.ok(
      textOf(all.body).includes('Manchester NHS Talking Therapies') &&
        textOf(all.body).includes('Hyde Park Surgery'),
    );
    const one = await analyst.get(`/partners?authority=${MANCHESTER}`);
    assert.ok(!textOf(one.body).includes('Hyde Park Surgery'));
    assert.equal(selectedOption(one.body, 'authority'), MANCHESTER);
    const id = await partnerId('Hyde Park Surgery');
    const page = await analyst.get(`/partners/${id}`);
    assert.equal(page.statusCode, 200);
    assert.ok(!page.body.includes(`/partners/${id}/edit`), 'no change links');
    assert.equal((await analyst.get(`/partners/${id}/edit`)).statusCode, 403);
    assert.equal(
      (await analyst.post('/partners', { name: 'X', sector: 'nhs', status: 'active' })).statusCode,
      403,
    );
  });

  test('nobody else sees partners or training', async () => {
    for (const url of ['/partners', '/training', '/partners.csv', '/training.csv'])
      assert.equal((await adviser.get(url)).statusCode, 403, url);
  });

  test('opening a partner is audited (it names contacts and staff)', async () => {
    const id = await partnerId('Leeds North Foodbank');
    await leeds.get(`/partners/${id}`);
    assert.ok((await auditOf('partner')).some((a) => a.action === 'view' && a.entity_id === id));
  });
});

describe('adding and changing a partner', () => {
  test('a form sent with mistakes says what is wrong and keeps what was typed', async () => {
    const res = await leeds.post(
      '/partners',
      {
        name: 'Kirkstall <Family> Hub',
        notes: 'Met at the health fair',
        'joinedOn-day': '31',
        'joinedOn-month': '2',
        'joinedOn-year': '2025',
      },
      { from: '/partners/new' },
    );
    assert.equal(res.statusCode, 400);
    const errors = errorsByField(res.body);
    assert.match(errors.name!, /must only include/);
    assert.equal(errors.sector, 'Select the sector');
    assert.equal(errors.status, 'Select the partner’s status');
    assert.equal(errors['joinedOn-day'], 'The date they joined must be a real date');
    assert.equal(inputValue(res.body, 'name'), 'Kirkstall <Family> Hub');
    assert.equal(textareaValue(res.body, 'notes'), 'Met at the health fair');
    assert.equal(inputValue(res.body, 'joinedOn-day'), '31');
    assert.match(res.body, /<title>Error: /);
  });

  test('a form without its CSRF token is refused', async () => {
    const before = (await t.db.selectFrom('partners').select('id').execute()).length;
    const res = await leeds.post(
      '/partners',
      { name: 'No token', sector: 'community', status: 'active' },
      { csrf: false },
    );
    assert.equal(res.statusCode, 403);
    assert.equal((await t.db.selectFrom('partners').select('id').execute()).length, before);
  });

  test('a partner linked to its organisation in Mortar takes its name; the link is offered once', async () => {
    const council = await t.db
      .selectFrom('organisations')
      .select('id')
      .where('name', '=', 'Leeds City Council Public Health')
      .executeTakeFirstOrThrow();
    const form = await leeds.get('/partners/new');
    assert.ok(form.body.includes(council.id), 'the council is offered');
    const linked = await t.db
      .selectFrom('organisations')
      .select('id')
      .where('name', '=', 'Hyde Park Surgery')
      .executeTakeFirstOrThrow();
    assert.ok(!form.body.includes(linked.id), 'an organisation already a partner is not offered');
    const mcr = await t.db
      .selectFrom('organisations')
      .select('id')
      .where('name', '=', 'Manchester City Council Public Health')
      .executeTakeFirstOrThrow();
    assert.ok(!form.body.includes(mcr.id), 'nor one in another authority');

    const res = await leeds.post('/partners', {
      organisationId: council.id,
      name: '',
      sector: 'local_authority',
      status: 'active',
      ...todayFields('joinedOn'),
    });
    assert.equal(res.statusCode, 303);
    const row = await t.db
      .selectFrom('partners')
      .selectAll()
      .where('organisation_id', '=', council.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.name, 'Leeds City Council Public Health');
    assert.equal(row.kind, 'local_authority');
    assert.equal(row.local_authority_code, LEEDS);
    assert.equal(row.joined_on, today);
    const audits = await auditOf('partner');
    assert.ok(
      audits.some(
        (a) =>
          a.action === 'create' && a.entity_id === row.id && /linked to an organisation/.test(a.detail ?? ''),
      ),
    );

    const again = await leeds.post(
      '/partners',
      { organisationId: council.id, sector: 'local_authority', status: 'active' },
      { from: '/partners/new' },
    );
    assert.equal(again.statusCode, 400);
    assert.match(errorsByField(again.body).organisationId!, /not already a partner/);
    const foreign = await leeds.post(
      '/partners',
      { organisationId: mcr.id, sector: 'local_authority', status: 'active' },
      { from: '/partners/new' },
    );
    assert.equal(foreign.statusCode, 400);
    assert.equal(
      await t.db.selectFrom('partners').select('id').where('organisation_id', '=', mcr.id).executeTakeFirst(),
      undefined,
    );
  });

  test('a partner not in Mortar needs a name; editing keeps its values and records what changed', async () => {
    const noName = await leeds.post(
      '/partners',
      { sector: 'private', status: 'prospective' },
      { from: '/partners/new' },
    );
    assert.equal(noName.statusCode, 400);
    assert.match(errorsByField(noName.body).name!, /Enter the partner’s name/);

    const res = await leeds.post(
      '/partners',
      { name: 'Holbeck Pharmacy', sector: 'private', kind: 'pharmacy', status: 'prospective' },
      { from: '/partners/new' },
    );
    assert.equal(res.statusCode, 303);
    const id = String(res.headers.location).split('/').pop()!;
    const edit = await leeds.get(`/partners/${id}/edit`);
    assert.equal(inputValue(edit.body, 'name'), 'Holbeck Pharmacy');
    assert.equal(selectedOption(edit.body, 'kind'), 'pharmacy');
    const saved = await leeds.post(`/partners/${id}/edit`, {
      name: 'Holbeck Pharmacy',
      sector: 'private',
      kind: 'pharmacy',
      status: 'active',
    });
    assert.equal(saved.statusCode, 303);
    const page = await leeds.get(`/partners/${id}`);
    assert.match(textOf(page.body), /The details of Holbeck Pharmacy have been saved/);
    assert.ok(
      (await auditOf('partner')).some(
        (a) => a.action === 'update' && a.entity_id === id && a.detail === 'status prospective to active',
      ),
    );
    const future = await leeds.post(`/partners/${id}/edit`, {
      name: 'Holbeck Pharmacy',
      sector: 'private',
      status: 'active',
      'joinedOn-day': '1',
      'joinedOn-month': '1',
      'joinedOn-year': String(Number(today.slice(0, 4)) + 1),
    });
    assert.equal(future.statusCode, 400);
    assert.equal(
      errorsByField(future.body)['joinedOn-day'],
      'The date they joined must be today or in the past',
    );
  });

  test('unknown and malformed ids are not found', async () => {
    assert.equal((await leeds.get('/partners/not-a-uuid')).statusCode, 404);
    assert.equal((await leeds.get('/partners/00000000-0000-4000-8000-000000000000')).statusCode, 404);
  });
});

describe('smokefree policy', () => {
  test('adopted needs its date; the review must follow it; saving it counts the partner', async () => {
    const id = await partnerId('Aire Valley Housing Association');
    const before = (await loadWorkforceCounts(t.db, [LEEDS], today)).get(LEEDS)!;
    const missing = await leeds.post(
      `/partners/${id}/policy`,
      { policyStatus: 'adopted', policyNotes: 'Signed by the board' },
      { from: `/partners/${id}/policy` },
    );
    assert.equal(missing.statusCode, 400);
    assert.equal(errorsByField(missing.body)['adoptedOn-day'], 'Enter the date the policy was adopted');
    assert.equal(textareaValue(missing.body, 'policyNotes'), 'Signed by the board');
    assert.match(missing.body, /value="adopted" checked/);
    const backwards = await leeds.post(`/partners/${id}/policy`, {
      policyStatus: 'adopted',
      ...todayFields('adoptedOn'),
      'reviewOn-day': '1',
      'reviewOn-month': '1',
      'reviewOn-year': '2020',
    });
    assert.equal(
      errorsByField(backwards.body)['reviewOn-day'],
      'The review date must be after the date it was adopted',
    );
    const none = await leeds.post(`/partners/${id}/policy`, {
      policyStatus: 'drafted',
      ...todayFields('adoptedOn'),
    });
    assert.equal(
      errorsByField(none.body)['adoptedOn-day'],
      'Leave the date adopted blank unless the policy is adopted',
    );

    const ok = await leeds.post(`/partners/${id}/policy`, {
      policyStatus: 'adopted',
      ...todayFields('adoptedOn'),
      'reviewOn-day': '1',
      'reviewOn-month': '6',
      'reviewOn-year': String(Number(today.slice(0, 4)) + 1),
    });
    assert.equal(ok.statusCode, 303);
    const after = (await loadWorkforceCounts(t.db, [LEEDS], today)).get(LEEDS)!;
    assert.equal(after.partnersWithAdoptedPolicy, before.partnersWithAdoptedPolicy + 1);
    const audit = (await auditOf('smokefree_policy')).find((a) => a.entity_id === id);
    assert.match(audit!.detail!, /status none to adopted/);
    const form = await leeds.get(`/partners/${id}/policy`);
    assert.equal(inputValue(form.body, 'adoptedOn-year'), today.slice(0, 4));
  });
});

describe('training records', () => {
  test('a record without a renewal date gets the course default, and counts once per person', async () => {
    const id = await partnerId('Aire Valley Housing Association');
    const before = (await loadWorkforceCounts(t.db, [LEEDS], today)).get(LEEDS)!;
    const bad = await leeds.post(
      `/partners/${id}/training`,
      { staffName: 'Lena Fox', staffRole: 'Support worker' },
      { from: `/partners/${id}/training/new` },
    );
    assert.equal(bad.statusCode, 400);
    const errors = errorsByField(bad.body);
    assert.equal(errors.course, 'Select the training they completed');
    assert.equal(errors['completedOn-day'], 'Enter the date they completed it');
    assert.equal(inputValue(bad.body, 'staffName'), 'Lena Fox');
    assert.equal(inputValue(bad.body, 'staffRole'), 'Support worker');

    const res = await leeds.post(`/partners/${id}/training`, {
      staffName: 'Lena Fox',
      staffRole: 'Support worker',
      course: 'vba',
      ...todayFields('completedOn'),
    });
    assert.equal(res.statusCode, 303);
    const row = await t.db
      .selectFrom('training_records')
      .selectAll()
      .where('staff_name', '=', 'Lena Fox')
      .executeTakeFirstOrThrow();
    assert.equal(row.renewal_due_on, addYears(today, 2));
    assert.equal(row.staff_key, 'lena fox');
    const page = await leeds.get(`/partners/${id}`);
    assert.match(
      textOf(page.body),
      /Renewal is due on .* \(every 2 years for Very Brief Advice, as no date was given\)/,
    );
    // The same person typed again: still one.
    await leeds.post(`/partners/${id}/training`, {
      staffName: '  LENA   fox ',
      course: 'vba',
      ...todayFields('completedOn'),
    });
    const after = (await loadWorkforceCounts(t.db, [LEEDS], today)).get(LEEDS)!;
    assert.equal(after.vbaTrainedStaff, before.vbaTrainedStaff + 1);
    const audits = (await auditOf('training_record')).filter((a) => a.action === 'create');
    assert.ok(
      audits.every((a) => !/Lena/i.test(a.detail ?? '')),
      'no names in the audit',
    );
    assert.ok(
      audits.some((a) => a.entity_id === row.id && /vba completed .* \(default\)/.test(a.detail ?? '')),
    );
  });

  test('renewal must come after completion; completion cannot be in the future', async () => {
    const id = await partnerId('Aire Valley Housing Association');
    const res = await leeds.post(
      `/partners/${id}/training`,
      {
        staffName: 'Ola Ade',
        course: 'ncsct_practitioner',
        ...todayFields('completedOn'),
        'renewalDueOn-day': '1',
        'renewalDueOn-month': '1',
        'renewalDueOn-year': '2020',
      },
      { from: `/partners/${id}/training/new` },
    );
    assert.equal(
      errorsByField(res.body)['renewalDueOn-day'],
      'The renewal date must be after the date they completed it',
    );
    const future = await leeds.post(`/partners/${id}/training`, {
      staffName: 'Ola Ade',
      course: 'vba',
      'completedOn-day': '1',
      'completedOn-month': '1',
      'completedOn-year': String(Number(today.slice(0, 4)) + 1),
    });
    assert.equal(
      errorsByField(future.body)['completedOn-day'],
      'The date they completed it must be today or in the past',
    );
  });

  test('a record can be changed and removed, each audited', async () => {
    const id = await partnerId('Hyde Park Surgery');
    const rec = await t.db
      .selectFrom('training_records')
      .select(['id'])
      .where('partner_id', '=', id)
      .where('staff_name', '=', 'Gareth Price')
      .executeTakeFirstOrThrow();
    const edit = await leeds.get(`/partners/${id}/training/${rec.id}/edit`);
    assert.equal(inputValue(edit.body, 'staffName'), 'Gareth Price');
    assert.ok(!inputValue(edit.body, 'renewalDueOn-day'), 'a default renewal date is left blank');
    const saved = await leeds.post(`/partners/${id}/training/${rec.id}/edit`, {
      staffName: 'Gareth Price',
      course: 'ncsct_practitioner',
      ...todayFields('completedOn'),
    });
    assert.equal(saved.statusCode, 303);
    const row = await t.db
      .selectFrom('training_records')
      .selectAll()
      .where('id', '=', rec.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.course, 'ncsct_practitioner');
    assert.equal(row.renewal_due_on, addYears(today, 3));

    const confirm = await leeds.get(`/partners/${id}/training/${rec.id}/remove`);
    assert.match(textOf(confirm.body), /Remove Gareth Price’s NCSCT practitioner training record\?/);
    const removed = await leeds.post(`/partners/${id}/training/${rec.id}/remove`, {});
    assert.equal(removed.statusCode, 303);
    assert.equal(
      await t.db.selectFrom('training_records').select('id').where('id', '=', rec.id).executeTakeFirst(),
      undefined,
    );
    const audits = (await auditOf('training_record')).filter((a) => a.entity_id === rec.id);
    assert.deepEqual(
      audits.map((a) => a.action),
      ['update', 'update'],
    );
    assert.match(audits[1]!.detail!, /removed/);
    // A record of one partner cannot be reached through another.
    const other = await partnerId('Leeds North Foodbank');
    const foreign = await t.db
      .selectFrom('training_records')
      .select('id')
      .where('partner_id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal((await leeds.get(`/partners/${other}/training/${foreign.id}/edit`)).statusCode, 404);
  });

  test('/training lists the authority’s staff, soonest renewal first, with counts by course', async () => {
    const res = await leeds.get('/training');
    assert.equal(res.statusCode, 200);
    const table = tableWithCaption(res.body, 'Training records (');
    // Each row's header cell: the heading shown on a phone, then the name.
    const names = [
      ...table.matchAll(/<th\b[^>]*scope="row"[^>]*>\s*(?:<span[^>]*>[^<]*<\/span>)?(?:<span>)?([^<]+)/g),
    ].map((m) => m[1]!.trim());
    // Lapsed first (Helen's NCSCT, then Tom's), then the soonest due (Helen's VBA in 20 days).
    assert.deepEqual(names.slice(0, 3), ['Helen Marsh', 'Tom Ellis', 'Helen Marsh']);
    assert.ok(!names.includes('Maya Reid'), 'no Manchester staff');
    const counts = (await loadWorkforceCounts(t.db, [LEEDS], today)).get(LEEDS)!;
    assert.match(res.body, new RegExp(`data-course="vba">${counts.vbaTrainedStaff}<`));
    const vbaOnly = await leeds.get('/training?course=ncsct_mental_health');
    assert.ok(!textOf(vbaOnly.body).includes('Tom Ellis'));
    assert.ok((await auditOf('training_record')).some((a) => a.action === 'list'));
  });
});

describe('contacts', () => {
  test('add, change and remove, with one main contact at a time', async () => {
    const id = await partnerId('Leeds Community Recovery Service');
    const bad = await leeds.post(
      `/partners/${id}/contacts`,
      { contactName: '', email: 'not-an-email', phone: '123', contactRole: 'Keyworker lead' },
      { from: `/partners/${id}/contacts/new` },
    );
    assert.equal(bad.statusCode, 400);
    const errors = errorsByField(bad.body);
    assert.equal(errors.contactName, 'Enter their name');
    assert.match(errors.email!, /correct format/);
    assert.match(errors.phone!, /UK phone number/);
    assert.equal(inputValue(bad.body, 'contactRole'), 'Keyworker lead');

    const ok = await leeds.post(`/partners/${id}/contacts`, {
      contactName: 'Bea Lowe',
      email: 'bea@example.org',
      isPrimary: 'yes',
    });
    assert.equal(ok.statusCode, 303);
    const contacts = await t.db
      .selectFrom('partner_contacts')
      .selectAll()
      .where('partner_id', '=', id)
      .orderBy('name')
      .execute();
    assert.deepEqual(
      contacts.map((c) => [c.name, c.is_primary]),
      [
        ['Bea Lowe', true],
        ['Kim Adeyemi', false],
      ],
    );
    const bea = contacts[0]!;
    const kim = contacts[1]!;
    const edit = await leeds.get(`/partners/${id}/contacts/${kim.id}/edit`);
    assert.equal(inputValue(edit.body, 'contactName'), 'Kim Adeyemi');
    await leeds.post(`/partners/${id}/contacts/${kim.id}/edit`, {
      contactName: 'Kim Adeyemi',
      contactRole: 'Operations lead',
      isPrimary: 'yes',
    });
    const after = await t.db
      .selectFrom('partner_contacts')
      .select(['id', 'is_primary'])
      .where('partner_id', '=', id)
      .execute();
    assert.deepEqual(
      after.filter((c) => c.is_primary).map((c) => c.id),
      [kim.id],
    );

    assert.equal(
      (
        await leeds.post(
          `/partners/${id}/contacts/${bea.id}/remove`,
          {},
          { from: `/partners/${id}/contacts/${bea.id}/remove` },
        )
      ).statusCode,
      303,
    );
    assert.equal(
      (await t.db.selectFrom('partner_contacts').select('id').where('partner_id', '=', id).execute()).length,
      1,
    );
    const audits = await auditOf('partner_contact');
    assert.ok(audits.some((a) => a.entity_id === bea.id && a.action === 'create'));
    assert.ok(audits.some((a) => a.entity_id === bea.id && /removed/.test(a.detail ?? '')));
    assert.ok(
      audits.every((a) => !/Bea|Kim|example\.org/.test(a.detail ?? '')),
      'no names or addresses in the audit',
    );
  });
});

describe('CSV exports', () => {
  test('partners and training records, audited, with formula-like text made harmless', async () => {
    const id = await partnerId('Leeds North Foodbank');
    await leeds.post(
      `/partners/${id}/training`,
      { staffName: 'Sam Jones', staffRole: '=HYPERLINK("x")', course: 'vba', ...todayFields('completedOn') },
      { from: `/partners/${id}/training/new` },
    );
    const partners = await leeds.get('/partners.csv');
    assert.equal(partners.statusCode, 200);
    assert.match(String(partners.headers['content-type']), /^text\/csv/);
    const lines = partners.body.trim().split('\r\n');
    assert.match(lines[0]!, /^Local authority code,Local authority,Partner,/);
    assert.ok(
      lines.some((l) =>
        l.startsWith('E08000035,Leeds,Leeds North Foodbank,Leeds North Foodbank,Voluntary,Foodbank,Active,'),
      ),
    );
    assert.ok(!partners.body.includes('Manchester'));
    const training = await leeds.get('/training.csv');
    assert.ok(training.body.includes(`"'=HYPERLINK(""x"")"`), 'a formula is prefixed with an apostrophe');
    const exports = (
      await t.db
        .selectFrom('audit_events')
        .select(['entity_type', 'detail'])
        .where('action', '=', 'export')
        .execute()
    ).map((a) => a.entity_type);
    assert.ok(exports.includes('partner') && exports.includes('training_record'));
  });
});
