// The demographic items the return breaks every count by, asked at the pre-quit assessment (the form's
// questions live in returns/views/_demographic-questions.njk): every code of every list is offered, each
// question is optional with "not stated", what is chosen is stored on the episode and shown again, and
// the return counts it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import { dateBoxes } from '../treatment/treatment.schemas.ts';
import { errorsByField } from '../organisations/test-html.ts';
import { DEMOGRAPHIC_ITEMS } from '../referrals/demographics.ts';

let t: TestApp;
let adviser: HttpSession;
let episodeId: string;

before(async () => {
  t = await buildTestApp({ demo: true });
  adviser = await signIn(t.app, 'adviser@demo.test');
  const jo = await t.db
    .selectFrom('episodes as e')
    .innerJoin('people as p', 'p.id', 'e.person_id')
    .select('e.id')
    .where('p.given_name', '=', 'Jo')
    .executeTakeFirstOrThrow();
  episodeId = jo.id;
});
after(() => t?.close());

const form = (extra: Record<string, string> = {}) => ({
  ...dateBoxes('assessedOn', t.clock.today()),
  cigarettesPerDay: '20',
  timeToFirstCigarette: '6_to_30',
  coPpm: '21',
  vapingStatus: 'never',
  mentalHealth: 'both',
  mentalHealthBasis: 'diagnosed',
  inTalkingTherapies: 'yes',
  ...extra,
});

/** The values offered for a question: its radio buttons, or its select's options (less the empty one). */
function offered(html: string, name: string): string[] {
  const radios = [...html.matchAll(new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`, 'g'))].map(
    (m) => m[1]!,
  );
  if (radios.length) return radios;
  const start = html.search(new RegExp(`<select[^>]*name="${name}"`));
  const body = html.slice(start, html.indexOf('</select>', start));
  return [...body.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]!).filter((v) => v !== '');
}

/** What the list says the form offers: every code, less "not known" where "not stated" says the rest. */
function expected(name: keyof typeof DEMOGRAPHIC_ITEMS): string[] {
  const codes = [...DEMOGRAPHIC_ITEMS[name].codes] as string[];
  if (name === 'ethnicCategory') return codes.filter((c) => c !== '99');
  return codes.includes('not_stated') ? codes.filter((c) => c !== 'not_known') : codes;
}

const checked = (html: string, name: string) =>
  /value="([^"]*)"[^>]*checked/.exec(
    html.slice(html.indexOf(`name="${name}"`) - 200).split('</fieldset>')[0]!,
  )?.[1];

test('the assessment asks every demographic item with every code of its list, and not stated where the list has it', async () => {
  const res = await adviser.get(`/episodes/${episodeId}/assessment`);
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /About them, for the quarterly return/);
  for (const name of Object.keys(DEMOGRAPHIC_ITEMS) as (keyof typeof DEMOGRAPHIC_ITEMS)[]) {
    assert.deepEqual(
      offered(res.body, name),
      expected(name),
      `${name}: the form and demographics.ts must list the same codes`,
    );
    if ((DEMOGRAPHIC_ITEMS[name].codes as readonly string[]).includes('not_stated'))
      assert.ok(offered(res.body, name).includes('not_stated'), name);
  }
});

test('answers are stored on the episode and shown again; unanswered stays not recorded; a made-up code is refused', async () => {
  const bad = await adviser.post(
    `/episodes/${episodeId}/assessment`,
    form({ sex: 'robot', ethnicCategory: 'Q' }),
    { from: `/episodes/${episodeId}/assessment` },
  );
  assert.equal(bad.statusCode, 400);
  const errors = errorsByField(bad.body);
  assert.equal(errors.sex, 'Select their sex, or leave it unanswered');
  assert.equal(errors.ethnicCategory, 'Select their ethnic group, or leave it unanswered');

  const ok = await adviser.post(
    `/episodes/${episodeId}/assessment`,
    form({
      sex: 'female',
      genderSameAsBirth: 'not_stated',
      ethnicCategory: 'N',
      pregnant: 'no',
      freePrescriptions: 'yes',
      nsSec: 'students',
      sexualOrientation: 'bisexual',
    }),
    { from: `/episodes/${episodeId}/assessment` },
  );
  assert.equal(ok.statusCode, 303);
  const row = await t.db
    .selectFrom('episodes')
    .select([
      'sex',
      'gender_same_as_birth',
      'ethnic_category',
      'pregnant',
      'free_prescriptions',
      'ns_sec',
      'sexual_orientation',
    ])
    .where('id', '=', episodeId)
    .executeTakeFirstOrThrow();
  assert.deepEqual(row, {
    sex: 'female',
    gender_same_as_birth: 'not_stated',
    ethnic_category: 'N',
    pregnant: 'no',
    free_prescriptions: 'yes',
    ns_sec: 'students',
    sexual_orientation: 'bisexual',
  });

  const page = await adviser.get(`/episodes/${episodeId}/assessment`);
  assert.equal(checked(page.body, 'sex'), 'female');
  assert.equal(checked(page.body, 'nsSec'), 'students');
  assert.match(page.body, /<option value="N" selected/);

  // The form sends back what it shows: an item sent unanswered is not recorded any more.
  const blank = await adviser.post(`/episodes/${episodeId}/assessment`, form({ sex: '' }), {
    from: `/episodes/${episodeId}/assessment`,
  });
  assert.equal(blank.statusCode, 303);
  const after = await t.db
    .selectFrom('episodes')
    .select(['sex', 'ns_sec'])
    .where('id', '=', episodeId)
    .executeTakeFirstOrThrow();
  assert.deepEqual(after, { sex: null, ns_sec: null }, 'a question left unanswered is not recorded');
});
