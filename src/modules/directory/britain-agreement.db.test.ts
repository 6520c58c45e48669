import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { anonymous, signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import { insertServiceNotOnMortar } from '../../demo/demo-off-mortar.ts';
import { decideForPostcode } from '../referrals/referral.service.ts';
import { textOf } from '../organisations/test-html.ts';

// The public finder, the self-referral and the staff referral form make one decision about where a
// person's support is (referrals/where-to-send.ts), so they never disagree: Leeds's service reads
// referrals in Mortar; Sheffield's does not (nobody there has an account); Cardiff is Wales (Help Me
// Quit); Glasgow is Scotland (Quit Your Way Scotland). No referral is ever sent where nobody reads it.

const SHEFFIELD = { code: 'E08000039', name: 'Sheffield' };

const staffForm = {
  smokingStatus: '1',
  vapingStatus: 'never',
  adviceGiven: 'yes',
  acceptsReferral: 'yes',
  givenName: 'Rhys',
  familyName: 'Evans',
  'dateOfBirth-day': '3',
  'dateOfBirth-month': '11',
  'dateOfBirth-year': '1979',
  phone: '07700 900982',
  contactMethods: ['phone'],
  contactTimes: 'any',
  mentalHealth: 'both',
  inTalkingTherapies: 'yes',
  consentShareProgress: 'yes',
};

const selfForm = {
  givenName: 'Ffion',
  familyName: 'Jones',
  'dateOfBirth-day': '9',
  'dateOfBirth-month': '4',
  'dateOfBirth-year': '1988',
  phone: '07700 900321',
  email: '',
  contactMethods: ['phone'],
  contactTimes: 'any',
  helpWanted: 'stop_smoking',
  consent: 'yes',
  extraDetails: '',
};

type Case = {
  place: string;
  postcode: string;
  kind: string;
  /** The service each page names, and the number it gives (none where the referral is sent). */
  name: string;
  phone: string | null;
  signposted: { service: string | null; organisation: boolean } | null;
};

const CASES: Case[] = [
  {
    place: 'Leeds (on Mortar)',
    postcode: 'LS6 1AN',
    kind: 'refer_in_mortar',
    name: 'Leeds Stop Smoking Service',
    phone: null,
    signposted: null,
  },
  {
    place: 'Sheffield (not on Mortar)',
    postcode: 'S1 2HE',
    kind: 'contact_directly',
    name: 'Sheffield Community Stop Smoking Service',
    phone: '0114 496 0999',
    signposted: { service: null, organisation: true },
  },
  {
    place: 'Cardiff',
    postcode: 'CF10 1EP',
    kind: 'national_service',
    name: 'Help Me Quit',
    phone: '0800 085 2219',
    signposted: { service: 'help_me_quit', organisation: false },
  },
  {
    place: 'Glasgow',
    postcode: 'G2 1DU',
    kind: 'national_service',
    name: 'Quit Your Way Scotland',
    phone: '0800 84 84 84',
    signposted: { service: 'quit_your_way_scotland', organisation: false },
  },
];

let t: TestApp;
let referrer: HttpSession;
let sheffieldService: string;

before(async () => {
  t = await buildTestApp({ demo: true });
  sheffieldService = await insertServiceNotOnMortar(t.db, SHEFFIELD, '2025-04-01');
  referrer = await signIn(t.app, 'referrer@demo.test');
});
after(() => t.close());

const count = async (table: 'referrals' | 'advice_records') =>
  Number(
    (
      await t.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

const referLink = (html: string) => /<a[^>]*href="\/self-referral[^"]*"[^>]*role="button"/.test(html);

/** The contact card a page shows for a service Mortar does not send requests to, as text. */
const contactCard = (html: string) => {
  const start = html.indexOf('id="service-contact"');
  return start < 0 ? null : textOf(html.slice(start, html.indexOf('</div>\n</div>', start)));
};

describe('the finder, the self-referral and the staff referral form agree', () => {
  for (const c of CASES) {
    test(`${c.place}: ${c.kind}`, async () => {
      const decision = await decideForPostcode({ db: t.db, postcodes: t.postcodes }, c.postcode);
      assert.equal(decision.kind, c.kind);

      // The finder.
      const found = await anonymous(t.app).get(
        `/find-support/results?postcode=${encodeURIComponent(c.postcode)}`,
      );
      assert.equal(found.statusCode, 200);
      const card = contactCard(found.body);
      if (c.phone) {
        assert.ok(card?.includes(c.name) && card.includes(c.phone), `finder card: ${card}`);
        assert.equal(referLink(found.body), false, 'no "Refer yourself" where nobody would read it');
        assert.doesNotMatch(textOf(found.body), /Your local service is Leeds/);
      } else {
        assert.equal(card, null);
        assert.match(textOf(found.body), new RegExp(`Your local service is ${c.name}`));
        assert.equal(referLink(found.body), true);
      }
      if (c.kind === 'national_service') assert.doesNotMatch(card ?? '', /0300 123 1044/);

      // The staff referral form: a referral where the service reads it, otherwise the same details.
      const [referrals, advice] = [await count('referrals'), await count('advice_records')];
      const sent = await referrer.post(
        '/referrals',
        { ...staffForm, postcode: c.postcode },
        { from: '/referrals/new' },
      );
      assert.equal(sent.statusCode, 303);
      const location = String(sent.headers.location);
      if (!c.signposted) {
        assert.match(location, /^\/referrals\/[0-9a-f-]{36}\/sent$/);
        assert.equal(await count('referrals'), referrals + 1);
        const sentPage = await referrer.get(location);
        assert.match(textOf(sentPage.body), new RegExp(`We have sent the referral to ${c.name}`));
        return;
      }
      assert.match(location, /^\/referrals\/signposted\/[0-9a-f-]{36}$/);
      assert.equal(await count('referrals'), referrals, 'no referral is made');
      assert.equal(await count('advice_records'), advice + 1, 'the advice is counted');
      const row = await t.db
        .selectFrom('advice_records')
        .selectAll()
        .where('id', '=', location.split('/').pop()!)
        .executeTakeFirstOrThrow();
      assert.equal(row.outcome, 'signposted');
      assert.equal(row.advice_given, true);
      assert.equal(row.signposted_service, c.signposted.service);
      assert.equal(row.signposted_organisation_id, c.signposted.organisation ? sheffieldService : null);
      const page = await referrer.get(location);
      assert.equal(page.statusCode, 200);
      const staffCard = contactCard(page.body);
      assert.ok(staffCard?.includes(c.name) && staffCard.includes(c.phone!), `form card: ${staffCard}`);
      assert.doesNotMatch(page.body, /Rhys|Evans|07700/, 'nothing about the person is shown or kept');

      // The self-referral: not sent, the same service and number, and what was typed kept.
      const self = anonymous(t.app);
      const asked = await self.post(
        '/self-referral',
        { ...selfForm, postcode: c.postcode },
        { from: '/self-referral' },
      );
      assert.equal(asked.statusCode, 400);
      assert.equal(await count('referrals'), referrals);
      const selfCard = contactCard(asked.body);
      assert.ok(selfCard?.includes(c.name) && selfCard.includes(c.phone!), `self-referral card: ${selfCard}`);
      assert.ok(asked.body.includes('value="Ffion"'), 'what was typed is kept');
      assert.match(asked.body, /nhsuk-error-summary/);
    });
  }
});

describe('a service is on Mortar only while someone there reads referrals', () => {
  test('when Leeds has no active adviser or service manager, Leeds postcodes get its details and no referral is made', async () => {
    const readers = await t.db
      .updateTable('users')
      .set({ active: false })
      .where('role', 'in', ['adviser', 'service_manager'])
      .where('organisation_id', '=', (eb) =>
        eb.selectFrom('organisations').select('id').where('name', '=', 'Leeds Stop Smoking Service'),
      )
      .where('active', '=', true)
      .returning('id')
      .execute();
    try {
      assert.ok(readers.length > 0);
      const decision = await decideForPostcode({ db: t.db, postcodes: t.postcodes }, 'LS6 1AN');
      assert.equal(decision.kind, 'contact_directly');
      const found = await anonymous(t.app).get('/find-support/results?postcode=LS6+1AN');
      assert.match(contactCard(found.body) ?? '', /Leeds Stop Smoking Service.*0113 496 0000/);
      assert.equal(referLink(found.body), false);
      const before = await count('referrals');
      const sent = await referrer.post(
        '/referrals',
        { ...staffForm, postcode: 'LS6 1AN' },
        { from: '/referrals/new' },
      );
      assert.match(String(sent.headers.location), /^\/referrals\/signposted\//);
      assert.equal(await count('referrals'), before);
    } finally {
      await t.db
        .updateTable('users')
        .set({ active: true })
        .where(
          'id',
          'in',
          readers.map((r) => r.id),
        )
        .execute();
    }
  });
});

describe('the signposting page and record', () => {
  test('someone signposted needs only the Ask and Advise answers: their details are not asked for', async () => {
    const before = await count('advice_records');
    const res = await referrer.post(
      '/referrals',
      {
        smokingStatus: '1',
        vapingStatus: 'never',
        adviceGiven: 'yes',
        acceptsReferral: 'yes',
        postcode: 'cf10 1ep',
      },
      { from: '/referrals/new' },
    );
    assert.equal(res.statusCode, 303);
    assert.match(String(res.headers.location), /^\/referrals\/signposted\//);
    assert.equal(await count('advice_records'), before + 1);
  });

  test('without the advice answered, the form is shown again with the error summary', async () => {
    const res = await referrer.post(
      '/referrals',
      { ...staffForm, adviceGiven: undefined, postcode: 'G2 1DU' },
      { from: '/referrals/new' },
    );
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /nhsuk-error-summary/);
    assert.ok(res.body.includes('value="G2 1DU"'));
  });

  test("another organisation's signposting record, or a made-up one, is not found", async () => {
    const res = await referrer.post(
      '/referrals',
      { ...staffForm, postcode: 'G2 1DU' },
      { from: '/referrals/new' },
    );
    const location = String(res.headers.location);
    const other = await signIn(t.app, 'referrer.gp@demo.test');
    assert.equal((await other.get(location)).statusCode, 404);
    assert.equal((await referrer.get('/referrals/signposted/not-an-id')).statusCode, 404);
  });

  test('the database refuses a signposting record that names no place, or two', async () => {
    const base = {
      organisation_id: sheffieldService,
      smoking_status: '1',
      vaping_status: 'never',
      advice_given: true,
      outcome: 'signposted' as const,
    };
    await assert.rejects(t.db.insertInto('advice_records').values(base).execute());
    await assert.rejects(
      t.db
        .insertInto('advice_records')
        .values({ ...base, signposted_service: 'help_me_quit', signposted_organisation_id: sheffieldService })
        .execute(),
    );
    await assert.rejects(
      t.db
        .insertInto('advice_records')
        .values({ ...base, outcome: 'declined', signposted_service: 'help_me_quit' })
        .execute(),
    );
  });
});
