// The worklist and the referrer's list through HTTP with more than a page of referrals: every referral
// can be reached, the total is shown, search finds by reference, name and status within the caller's
// scope only, and each referral shown is audited.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import { LEEDS } from '../../demo/demo-data.ts';
import { hashToken, newToken } from '../../platform/tokens.ts';

let t: TestApp;
let adviser: HttpSession;
let referrer: HttpSession;
let manchester: HttpSession;

const orgId = async (name: string) =>
  (await t.db.selectFrom('organisations').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;

/**
 * `n` referrals from an organisation to the Leeds service, one a minute from a fixed day, named
 * "<prefix>0001 Bulk" and so on, with references <prefix>-000001...; all received and waiting.
 */
async function bulkReferrals(prefix: string, referrerOrg: string, n: number, consent = true) {
  const service = await orgId('Leeds Stop Smoking Service');
  await sql`
    insert into referrals (
      reference, source, referrer_organisation_id, service_organisation_id, local_authority_code,
      given_name, family_name, date_of_birth, postcode, contact_methods, contact_times, smoking_status,
      vaping_status, mental_health, in_talking_therapies, consent_share_progress, created_at)
    select ${prefix} || '-' || lpad(i::text, 6, '0'), 'staff', ${referrerOrg}::uuid, ${service}::uuid, ${LEEDS},
      ${prefix} || lpad(i::text, 4, '0'), 'Bulk', date '1980-01-01', 'LS6 1AN', array['phone'], 'any', '1',
      'never', 'depression', 'yes', ${consent}, timestamptz '2025-01-06 09:00Z' + i * interval '1 minute'
    from generate_series(1, ${n}) as i
  `.execute(t.db);
}

/** The referrals the latest list request audited. */
async function lastListed(): Promise<(string | null)[]> {
  const latest = await t.db
    .selectFrom('audit_events')
    .select('request_id')
    .where('action', '=', 'list')
    .where('entity_type', '=', 'referral')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  const rows = await t.db
    .selectFrom('audit_events')
    .select('entity_id')
    .where('request_id', '=', latest.request_id)
    .where('action', '=', 'list')
    .where('entity_type', '=', 'referral')
    .execute();
  return rows.map((r) => r.entity_id);
}

/** Referral links on a list page, in order. */
const referralLinks = (html: string, base: string) =>
  [...html.matchAll(new RegExp(`href="${base}/([0-9a-f-]{36})"`, 'g'))].map((m) => m[1]!);
const totalIn = (html: string) => /(\d[\d,]*) referrals?\b/.exec(html.replace(/<[^>]+>/g, ' '))?.[1];

before(async () => {
  t = await buildTestApp({ demo: true });
  const tt = await orgId('Leeds NHS Talking Therapies');
  await bulkReferrals('BLK', tt, 530);
  adviser = await signIn(t.app, 'adviser@demo.test');
  referrer = await signIn(t.app, 'referrer@demo.test');
  manchester = await signIn(t.app, 'adviser.manchester@demo.test');
});
after(() => t?.close());

describe('the worklist', () => {
  test('is paged, shows the total, and reaches the newest referral beyond the 500th', async () => {
    const res = await adviser.get('/worklist');
    assert.equal(res.statusCode, 200);
    // Three demo referrals are to do (Sam and Priya received, Jordan contacted) besides the 530.
    assert.equal(totalIn(res.body), '533');
    assert.match(res.body, /class="nhsuk-pagination[^"]*"/);
    assert.match(res.body, /aria-current="page"[^>]*>\s*1\s*</);
    const first = referralLinks(res.body, '/worklist');
    assert.equal(first.length, 50, 'one page of 50');
    assert.deepEqual((await lastListed()).sort(), [...first].sort(), 'each referral shown is audited');

    const last = await adviser.get('/worklist?page=11');
    assert.equal(last.statusCode, 200);
    assert.match(last.body, /BLK0530 Bulk/, 'the newest referral is on the last page');
    assert.equal(referralLinks(last.body, '/worklist').length, 33);
    // Beyond the end: the last page, not an empty one.
    const beyond = await adviser.get('/worklist?page=999');
    assert.match(beyond.body, /BLK0530 Bulk/);
    // Nonsense is the first page.
    const nonsense = await adviser.get('/worklist?page=abc');
    assert.equal(nonsense.statusCode, 200);
    assert.deepEqual(referralLinks(nonsense.body, '/worklist'), first);
  });

  test('the pages together hold every referral once, in order, and keep the filter and search', async () => {
    const seen: string[] = [];
    for (let page = 1; page <= 11; page++) {
      const res = await adviser.get(`/worklist?status=open&page=${page}`);
      seen.push(...referralLinks(res.body, '/worklist'));
      if (page < 11)
        assert.match(res.body, new RegExp(`href="/worklist\\?status=open&amp;page=${page + 1}"`));
    }
    assert.equal(seen.length, 533);
    assert.equal(new Set(seen).size, 533);
    const searched = await adviser.get('/worklist?status=all&q=bulk&page=2');
    assert.match(searched.body, /href="\/worklist\?status=all&amp;q=bulk&amp;page=3"/);
  });

  test('search by reference, name or NHS number, within the service only', async () => {
    const sam = await t.db
      .selectFrom('referrals')
      .select(['id', 'reference'])
      .where('given_name', '=', 'Sam')
      .executeTakeFirstOrThrow();
    for (const q of [sam.reference, sam.reference.toLowerCase(), 'sam taylor', 'TAYLOR', 'Sam']) {
      const res = await adviser.get(`/worklist?status=all&q=${encodeURIComponent(q)}`);
      assert.equal(res.statusCode, 200);
      assert.deepEqual(referralLinks(res.body, '/worklist'), [sam.id], q);
      assert.equal(totalIn(res.body), '1', q);
    }
    await t.db.updateTable('referrals').set({ nhs_number: '9434765919' }).where('id', '=', sam.id).execute();
    const byNhs = await adviser.get('/worklist?status=all&q=943+476+5919');
    assert.deepEqual(referralLinks(byNhs.body, '/worklist'), [sam.id]);
    // The search keeps what was typed, and a status filter narrows it.
    assert.match(byNhs.body, /value="943 476 5919"/);
    const accepted = await adviser.get('/worklist?status=accepted&q=bulk');
    assert.equal(referralLinks(accepted.body, '/worklist').length, 0);
    // Manchester's adviser finds none of Leeds's referrals, whatever they type.
    for (const q of [sam.reference, 'Taylor', 'bulk', '9434765919']) {
      const res = await manchester.get(`/worklist?status=all&q=${encodeURIComponent(q)}`);
      assert.deepEqual(referralLinks(res.body, '/worklist'), [], q);
    }
    // Characters that mean something to SQL's LIKE are only characters.
    const wild = await adviser.get('/worklist?status=all&q=%25');
    assert.equal(referralLinks(wild.body, '/worklist').length, 0);
    const underscore = await adviser.get('/worklist?status=all&q=_');
    assert.equal(referralLinks(underscore.body, '/worklist').length, 0);
  });

  test('a search that is too long is refused with the error summary, keeping what was typed', async () => {
    const long = 'x'.repeat(101);
    const res = await adviser.get(`/worklist?q=${long}`);
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /nhsuk-error-summary/);
    assert.match(res.body, /Search must be 100 characters or fewer/);
    assert.ok(res.body.includes(`value="${long}"`));
  });
});

describe("the referrer's list", () => {
  test('is paged with the total, and the oldest referral is on the last page', async () => {
    const res = await referrer.get('/referrals');
    assert.equal(res.statusCode, 200);
    // The 530 and the three demo referrals Leeds Talking Therapies sent.
    assert.equal(totalIn(res.body), '533');
    const shown = referralLinks(res.body, '/referrals');
    assert.equal(shown.length, 50);
    assert.deepEqual((await lastListed()).sort(), [...shown].sort(), 'each referral shown is audited');
    const last = await referrer.get('/referrals?page=11');
    assert.match(last.body, /BLK-000001/);
  });

  test('search by reference or name, and only its own organisation’s referrals', async () => {
    const res = await referrer.get('/referrals?q=BLK-000007');
    assert.equal(referralLinks(res.body, '/referrals').length, 1);
    assert.match(res.body, /BLK-000007/);
    const byName = await referrer.get('/referrals?q=alex+wood');
    assert.match(byName.body, /Alex Wood/);
    assert.equal(referralLinks(byName.body, '/referrals').length, 1);
    // Priya Shah was referred by the GP practice, not by this referrer's organisation.
    const other = await referrer.get('/referrals?q=Shah');
    assert.equal(referralLinks(other.body, '/referrals').length, 0);
  });

  test('a status filter never reveals the status of a person who did not agree to share it', async () => {
    const tt = await orgId('Leeds NHS Talking Therapies');
    await bulkReferrals('PRV', tt, 2, false);
    await bulkReferrals('SHR', tt, 1, true);
    const ids = await t.db
      .selectFrom('referrals')
      .select(['id', 'reference'])
      .where('reference', 'in', ['PRV-000001', 'SHR-000001'])
      .execute();
    for (const r of ids) {
      await t.db.insertInto('referral_events').values({ referral_id: r.id, kind: 'declined' }).execute();
    }
    const res = await referrer.get('/referrals?status=declined');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /SHR-000001/);
    assert.ok(!res.body.includes('PRV-000001'), 'not shared, so not found by its status');
    assert.equal(totalIn(res.body), '1');
    // Searching for it by reference finds it, without its status.
    const found = await referrer.get('/referrals?q=PRV-000001');
    assert.match(found.body, /PRV-000001/);
    assert.match(found.body, /PRV-000001[\s\S]*?Sent\. Progress not shared/);
    assert.ok(!found.body.includes('nhsuk-tag--red'), 'no declined tag');
  });

  test("the API's status filter follows the same rule", async () => {
    const tt = await orgId('Leeds NHS Talking Therapies');
    const key = `mk_${newToken()}`;
    await t.db
      .insertInto('api_keys')
      .values({
        organisation_id: tt,
        name: 'lists test',
        key_prefix: key.slice(0, 8),
        key_hash: hashToken(key),
      })
      .execute();
    const api = async (query: string) => {
      const r = await t.app.inject({
        method: 'GET',
        url: `/api/v1/referrals?${query}`,
        headers: { authorization: `Bearer ${key}` },
      });
      assert.equal(r.statusCode, 200);
      return (r.json() as { items: { reference: string; status: string }[] }).items;
    };
    const declined = await api('status=declined&limit=500');
    assert.deepEqual(
      declined.map((i) => i.reference),
      ['SHR-000001'],
    );
    const received = [
      ...(await api('status=received&limit=500')),
      ...(await api('status=received&limit=500&offset=500')),
    ].map((i) => i.reference);
    assert.ok(received.includes('PRV-000001'), 'shown as received, as the referrer is told');
  });
});
