import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildTestApp, type TestApp } from '../../test/helpers/test-app.ts';
import { anonymous, signIn, type FormFields, type HttpSession } from '../../test/helpers/http-session.ts';
import {
  fieldsToCheck,
  fieldWords,
  isUnstorable,
  unstorablePaths,
  withoutUnstorable,
} from './unstorable-text.ts';

// Text PostgreSQL cannot store (a NUL) or that is not text at all (half a surrogate pair) is refused
// before any handler runs: forms are shown again with everything kept, APIs get a 400 problem document.

const SEED = 20260310;
const unstorable = fc
  .tuple(
    fc.string({ unit: 'grapheme' }),
    fc.constantFrom('\u0000', '\uD800', '\uDBFF', '\uDC00', '\uDFFF'),
    fc.string({ unit: 'grapheme' }),
  )
  .map(([a, bad, b]) => `${a}${bad}${b}`);

describe('which text cannot be stored', () => {
  test('any text of whole characters without a NUL is storable, with its emoji, accents and right-to-left marks', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        assert.equal(isUnstorable(s), s.includes('\u0000'));
        assert.equal(withoutUnstorable(s), s.replaceAll('\u0000', ''));
      }),
      { seed: SEED, numRuns: 500 },
    );
    for (const s of ['Zoë', '😀👩🏽‍⚕️', 'שלום', '\u202Eabc', 'e\u0301', '\uFEFF', '\uFFFF'])
      assert.equal(isUnstorable(s), false, s);
  });

  test('a NUL or a lone half of a surrogate pair is found, and taking them out leaves storable text', () => {
    fc.assert(
      fc.property(unstorable, (s) => {
        assert.equal(isUnstorable(s), true);
        assert.equal(isUnstorable(withoutUnstorable(s)), false);
      }),
      { seed: SEED, numRuns: 500 },
    );
    assert.equal(withoutUnstorable('a\uD83D\uDE00b\uD83Dc\u0000d\uDE00'), 'a\uD83D\uDE00bcd');
  });

  test('every place in a body is looked at: nested values, arrays and keys, however deep', () => {
    const body = { a: 'ok', b: ['fine', 'x\u0000'], c: { d: { '\uD800k': 1, e: '\uDC00' } }, n: 5, z: null };
    assert.deepEqual(unstorablePaths(body), [
      ['b', '1'],
      ['c', 'd', 'k'],
      ['c', 'd', 'e'],
    ]);
    let deep: unknown = 'bad\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    assert.equal(unstorablePaths(deep).length, 1, 'no stack overflow');
    assert.deepEqual(unstorablePaths('\u0000'), [[]]);
    assert.deepEqual(unstorablePaths(undefined), []);
  });

  test('a form shown again keeps every field, takes the characters out, and never writes back a password', () => {
    const { check, keep } = fieldsToCheck({
      _csrf: 'token',
      givenName: 'Sam',
      notes: 'line\u0000two',
      contactMethods: ['phone', 'te\uD800xt'],
      password: 'secret\u0000',
    });
    assert.deepEqual(
      keep.map((f) => [f.name, f.value]),
      [
        ['givenName', 'Sam'],
        ['contactMethods', 'phone'],
      ],
    );
    assert.deepEqual(
      check.map((f) => [f.name, f.value, f.id, f.label]),
      [
        ['notes', 'linetwo', 'check-1', 'Notes'],
        ['contactMethods', 'text', 'check-2', 'Contact methods'],
      ],
    );
    assert.equal(fieldWords('dateOfBirth-day'), 'Date of birth day');
  });
});

let t: TestApp;
let referrer: HttpSession;
before(async () => {
  t = await buildTestApp({ demo: true });
  referrer = await signIn(t.app, 'referrer@demo.test');
});
after(() => t?.close());

const referral = {
  smokingStatus: '1',
  vapingStatus: 'never',
  adviceGiven: 'yes',
  acceptsReferral: 'yes',
  givenName: 'Nula',
  familyName: 'Byte',
  'dateOfBirth-day': '14',
  'dateOfBirth-month': '6',
  'dateOfBirth-year': '1985',
  postcode: 'LS6 1AN',
  phone: '07700 900123',
  contactMethods: ['phone', 'text'],
  contactTimes: 'any',
  mentalHealth: 'depression',
  inTalkingTherapies: 'yes',
  consentShareProgress: 'yes',
  language: 'Welsh',
  accessNeeds: 'Large print',
  notes: 'Prefers\u0000mornings',
};

const referralsNamed = async (familyName: string) =>
  t.db.selectFrom('referrals').select(['notes', 'language']).where('family_name', '=', familyName).execute();

/** The fields of the first form in a page, as a browser would send them. */
function formFields(html: string): { action: string; fields: FormFields } {
  const form = /<form method="post" action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
  assert.ok(form, 'the page has a form');
  const decode = (s: string) =>
    s
      .replaceAll('&quot;', '"')
      .replaceAll('&#39;', "'")
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>')
      .replaceAll('&amp;', '&');
  const fields: Record<string, string[]> = {};
  const add = (name: string, value: string) => (fields[name] ??= []).push(decode(value));
  for (const m of form[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g))
    add(m[1]!, m[2]!);
  for (const m of form[2]!.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g))
    add(m[1]!, m[2]!);
  return { action: decode(form[1]!), fields };
}

describe('a form with text that cannot be stored', () => {
  test('is shown again with an error summary, everything typed kept, and nothing saved; sending it again saves it', async () => {
    const res = await referrer.post('/referrals', referral, { from: '/referrals/new' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /<title>Error: Check what you entered/);
    assert.match(res.body, /nhsuk-error-summary/);
    assert.match(res.body, /<a href="#check-1">\s*Notes had a character that cannot be saved/);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.deepEqual(await referralsNamed('Byte'), [], 'nothing saved');

    const { action, fields } = formFields(res.body);
    assert.equal(action, '/referrals');
    assert.deepEqual(fields.notes, ['Prefersmornings'], 'the character is taken out');
    assert.deepEqual(fields.contactMethods, ['phone', 'text'], 'every value of every field is kept');
    assert.deepEqual(fields.accessNeeds, ['Large print']);
    const again = await referrer.post(action, fields);
    assert.equal(again.statusCode, 303, again.body.slice(0, 300));
    assert.deepEqual(await referralsNamed('Byte'), [{ notes: 'Prefersmornings', language: 'Welsh' }]);
  });

  test('a person referring themself gets the same, and nothing is stored', async () => {
    const person = anonymous(t.app);
    const res = await person.post(
      '/self-referral',
      {
        givenName: 'Self',
        familyName: 'Nul',
        'dateOfBirth-day': '9',
        'dateOfBirth-month': '4',
        'dateOfBirth-year': '1988',
        postcode: 'LS6 1AN',
        phone: '07700 900321',
        contactMethods: ['text'],
        contactTimes: 'evening',
        helpWanted: 'stop_smoking',
        mentalHealth: 'anxiety',
        inTalkingTherapies: 'yes',
        notes: 'a\u0000b',
        consent: 'yes',
      },
      { from: '/self-referral' },
    );
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Notes had a character that cannot be saved/);
    assert.deepEqual(await referralsNamed('Nul'), []);
  });

  test('a campaign change is refused before anything is saved', async () => {
    const commissioner = await signIn(t.app, 'commissioner@demo.test');
    const campaign = await t.db
      .selectFrom('campaigns')
      .selectAll()
      .where('code', '=', 'LEEDS-TT-2026')
      .executeTakeFirstOrThrow();
    const res = await commissioner.post(
      `/campaigns/${campaign.id}/edit`,
      {
        name: 'Renamed\u0000',
        description: 'Changed',
        'startsOn-day': '1',
        'startsOn-month': '1',
        'startsOn-year': '2026',
        channels: ['posters'],
      },
      { from: `/campaigns/${campaign.id}/edit` },
    );
    assert.equal(res.statusCode, 400);
    const now = await t.db
      .selectFrom('campaigns')
      .selectAll()
      .where('id', '=', campaign.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(now, campaign, 'the campaign is unchanged');
  });

  test('a form sent from another site still fails its CSRF check first', async () => {
    const res = await referrer.post('/referrals', { ...referral, _csrf: 'forged' });
    assert.equal(res.statusCode, 403);
    assert.doesNotMatch(res.body, /Check what you entered/);
  });

  test('in a web address or its query it is refused with a 400 page', async () => {
    for (const url of [
      '/find-support/results?postcode=%00',
      '/find-support/services/a%00b',
      '/referrals?x=%00',
    ]) {
      const res = await referrer.get(url);
      assert.equal(res.statusCode, 400, url);
      assert.match(String(res.headers['content-type']), /^text\/html/);
    }
  });
});

describe('an API request with text that cannot be stored', () => {
  test('is a 400 problem document naming each field, and nothing is stored', async () => {
    const org = await t.db
      .selectFrom('organisations')
      .select('id')
      .where('name', '=', 'Leeds NHS Talking Therapies')
      .executeTakeFirstOrThrow();
    const { newToken, hashToken } = await import('./tokens.ts');
    const key = `mk_${newToken()}`;
    await t.db
      .insertInto('api_keys')
      .values({
        organisation_id: org.id,
        name: 'nul',
        key_prefix: key.slice(0, 8),
        key_hash: hashToken(key),
        created_by: null,
      })
      .execute();
    const body = {
      ...referral,
      familyName: 'Apinul',
      dateOfBirth: '1985-06-14',
      notes: 'x\u0000y',
      language: '\uD800',
      contactMethods: ['phone'],
    };
    // JSON.stringify writes a lone surrogate as the escape \ud800, as any client may.
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/referrals',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
    assert.equal(res.statusCode, 400);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    const problem = res.json() as { status: number; errors: { path: string }[] };
    assert.equal(problem.status, 400);
    assert.deepEqual(problem.errors.map((e) => e.path).sort(), ['language', 'notes']);
    assert.deepEqual(await referralsNamed('Apinul'), []);
  });
});
