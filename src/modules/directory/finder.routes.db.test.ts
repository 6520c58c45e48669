import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { buildTestApp } from '../../../test/helpers/test-app.ts';
import { anonymous, type Response } from '../../../test/helpers/http-session.ts';
import { decode, errorsByField, inputValue, textOf } from '../organisations/test-html.ts';

const t = await buildTestApp({ demo: true });
after(() => t.close());

const serviceIdOf = async (name: string) =>
  (
    await t.db
      .selectFrom('directory_services as s')
      .innerJoin('organisations as o', 'o.id', 's.organisation_id')
      .select('s.id')
      .where('o.name', '=', name)
      .executeTakeFirstOrThrow()
  ).id;
const LEEDS_SERVICE = await serviceIdOf('Leeds Stop Smoking Service');
const MANCHESTER_SERVICE = await serviceIdOf('Manchester Stop Smoking Service');

type Card = { name: string; local: boolean; distance: string | null; text: string };

/** The result cards, in page order. */
function cards(html: string): Card[] {
  const start = html.indexOf('aria-label="Services, nearest first"');
  if (start < 0) return [];
  // The cards hold lists of their own, but no <ol>: the first </ol> ends the results.
  const list = html.slice(start, html.indexOf('</ol>', start));
  return list
    .split('<li class="nhsuk-card">')
    .slice(1)
    .map((body) => {
      return {
        name: decode(/<h2[^>]*><a [^>]*>([^<]+)<\/a><\/h2>/.exec(body)?.[1] ?? ''),
        local: body.includes('Your local service'),
        distance: /<strong>([^<]+) away<\/strong>/.exec(body)?.[1] ?? null,
        text: textOf(body),
      };
    });
}

const search = (q: string) => anonymous(t.app).get(`/find-support/results?postcode=${encodeURIComponent(q)}`);
const referLink = (html: string) =>
  /<a[^>]*href="([^"]*)"[^>]*role="button"[^>]*>\s*Refer yourself/.exec(html)?.[1];
const noCookies = (res: Response) => assert.equal(res.headers['set-cookie'], undefined, 'no cookie is set');

describe('the search page', () => {
  test('is a GET form that sets no cookie', async () => {
    const res = await anonymous(t.app).get('/find-support');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<form method="get" action="\/find-support\/results"/);
    assert.doesNotMatch(res.body, /name="_csrf"/);
    assert.match(res.body, /<label[^>]*for="postcode">\s*Enter your postcode/);
    noCookies(res);
  });
});

describe('results', () => {
  test('a Leeds postcode, in any spacing or case: the Leeds service, marked as theirs, with its distance', async () => {
    for (const q of ['LS6 1AN', 'ls61an', '  Ls6   1aN ']) {
      const res = await search(q);
      assert.equal(res.statusCode, 200, q);
      noCookies(res);
      assert.match(res.body, /<h1>Stop smoking services near LS6 1AN<\/h1>/);
      const found = cards(res.body);
      assert.deepEqual(
        found.map((c) => [c.name, c.local]),
        [['Leeds Stop Smoking Service', true]],
        q,
      );
      assert.match(found[0]!.distance ?? '', /^\d+(\.\d)? miles?$/);
      assert.equal(referLink(res.body), '/self-referral?postcode=LS6%201AN');
      const text = found[0]!.text;
      for (const fact of [
        '0113 496 0000',
        'stopsmoking@leeds.example.org',
        'Monday to Friday',
        'Group sessions',
        'Urdu',
        'extra help if you have anxiety or depression',
        'free vape starter kit (Swap to Stop)',
        'NHS Talking Therapies',
      ]) {
        assert.ok(text.includes(fact), `shows ${fact}`);
      }
    }
  });

  test('a Manchester postcode: the Manchester service, and no Swap to Stop or tailored support', async () => {
    const res = await search('M14 5TQ');
    const found = cards(res.body);
    assert.deepEqual(
      found.map((c) => [c.name, c.local]),
      [['Manchester Stop Smoking Service', true]],
    );
    assert.match(found[0]!.text, /Free vape kit No/);
    assert.match(found[0]!.text, /Ask the service what help they can give/);
  });

  test('between the two cities: both, nearest first, neither marked, and no self-referral to a service that is not theirs', async () => {
    const res = await search('HD1 2TA'); // Huddersfield: Kirklees commissions no service here
    assert.equal(res.statusCode, 200);
    const found = cards(res.body);
    assert.deepEqual(
      found.map((c) => c.name),
      ['Leeds Stop Smoking Service', 'Manchester Stop Smoking Service'],
    );
    assert.ok(found.every((c) => !c.local));
    const [near, far] = found.map((c) => Number.parseFloat(c.distance ?? 'NaN'));
    assert.ok(near! < far!, `${near} < ${far}`);
    assert.equal(referLink(res.body), undefined);
    assert.match(textOf(res.body), /None of these services is for people who live in your area/);
  });

  test('nearest first even when the nearest is not theirs; theirs is still marked', async () => {
    // A Manchester place in the middle of Leeds, nearer LS6 1AN than either Leeds place.
    const row = await t.db
      .insertInto('directory_locations')
      .values({
        service_id: MANCHESTER_SERVICE,
        name: 'Test place',
        address: 'Somewhere\nLeeds',
        postcode: 'LS6 1AN',
        latitude: 53.8113,
        longitude: -1.5704,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    try {
      const found = cards((await search('LS6 1AN')).body);
      assert.deepEqual(
        found.map((c) => [c.name, c.local]),
        [
          ['Manchester Stop Smoking Service', false],
          ['Leeds Stop Smoking Service', true],
        ],
      );
      assert.equal(found[0]!.distance, 'less than 0.1 miles');
    } finally {
      await t.db.deleteFrom('directory_locations').where('id', '=', row.id).execute();
    }
  });

  test('part of a postcode: a district or a sector', async () => {
    for (const q of ['LS6', 'ls6 1', 'LS61']) {
      const res = await search(q);
      assert.equal(res.statusCode, 200, q);
      assert.deepEqual(
        cards(res.body).map((c) => [c.name, c.local]),
        [['Leeds Stop Smoking Service', true]],
        q,
      );
    }
    assert.match((await search('ls6')).body, /<h1>Stop smoking services near LS6<\/h1>/);
    assert.match((await search('ls6 1')).body, /<h1>Stop smoking services near LS6 1<\/h1>/);
  });

  test('far from any service: says so, and gives the national helpline', async () => {
    const res = await search('TR18 4AA'); // Penzance
    assert.equal(res.statusCode, 200);
    assert.deepEqual(cards(res.body), []);
    assert.match(textOf(res.body), /We could not find a stop smoking service near TR18 4AA/);
    assert.match(res.body, /href="tel:03001231044"/);
  });

  test('a service that is not published is not shown', async () => {
    await t.db
      .updateTable('directory_services')
      .set({ published: false })
      .where('id', '=', MANCHESTER_SERVICE)
      .execute();
    try {
      assert.deepEqual(
        cards((await search('HD1 2TA')).body).map((c) => c.name),
        ['Leeds Stop Smoking Service'],
      );
      assert.equal(
        (await anonymous(t.app).get(`/find-support/services/${MANCHESTER_SERVICE}`)).statusCode,
        404,
      );
    } finally {
      await t.db
        .updateTable('directory_services')
        .set({ published: true })
        .where('id', '=', MANCHESTER_SERVICE)
        .execute();
    }
  });

  test('searching stores nothing', async () => {
    const count = async () =>
      Promise.all(
        ['audit_events', 'referrals', 'sessions'].map(async (table) =>
          Number(
            (
              await t.db
                .selectFrom(table as 'audit_events')
                .select((eb) => eb.fn.countAll().as('n'))
                .executeTakeFirstOrThrow()
            ).n,
          ),
        ),
      );
    const before = await count();
    await search('LS6 1AN');
    await search('nonsense');
    assert.deepEqual(await count(), before);
  });
});

describe('bad input', () => {
  const cases: [string, string][] = [
    ['', 'Enter your postcode'],
    ['   ', 'Enter your postcode'],
    ['Leeds', 'Enter a real postcode, like LS1 4AP, or the first part of one, like LS1'],
    ['LS6 1AI', 'Enter a real postcode, like LS1 4AP, or the first part of one, like LS1'],
    ['<b>LS6</b>', 'Enter a real postcode, like LS1 4AP, or the first part of one, like LS1'],
    ['LS6 1ZZ', 'We cannot find that postcode. Check it and try again'],
    ['YY9', 'We cannot find that postcode. Check it and try again'],
  ];
  for (const [q, message] of cases) {
    test(`${JSON.stringify(q)}: 400, the error summary, and what was typed kept`, async () => {
      const res = await search(q);
      assert.equal(res.statusCode, 400);
      noCookies(res);
      assert.deepEqual(errorsByField(res.body), { postcode: message });
      assert.match(res.body, /<title>Error: /);
      assert.equal(inputValue(res.body, 'postcode'), q);
      assert.doesNotMatch(res.body, /<b>LS6<\/b>/);
    });
  }

  test('Northern Ireland and the islands: where they are and where help is, not "cannot find"', async () => {
    for (const [q, message] of [
      [
        'BT1 1AA',
        /BT1 1AA is in Northern Ireland\. This service covers England, Scotland and Wales\. In Northern Ireland, many pharmacies and GP practices give free help/,
      ],
      ['bt7', /bt7 is in Northern Ireland/],
      ['JE2 3QN', /JE2 3QN is outside England, Scotland and Wales/],
    ] as const) {
      const res = await search(q);
      assert.equal(res.statusCode, 200, q);
      noCookies(res);
      assert.doesNotMatch(res.body, /nhsuk-error-summary/);
      assert.match(textOf(res.body), message);
      assert.equal(inputValue(res.body, 'postcode'), q);
    }
  });

  test('no postcode at all, or the postcode twice', async () => {
    const none = await anonymous(t.app).get('/find-support/results');
    assert.equal(none.statusCode, 400);
    assert.deepEqual(errorsByField(none.body), { postcode: 'Enter your postcode' });
    const twice = await anonymous(t.app).get('/find-support/results?postcode=LS6&postcode=M1');
    assert.equal(twice.statusCode, 400);
  });
});

describe('a service page', () => {
  test('everything about the service, its places and the areas it covers', async () => {
    const res = await anonymous(t.app).get(`/find-support/services/${LEEDS_SERVICE}`);
    assert.equal(res.statusCode, 200);
    noCookies(res);
    const text = textOf(res.body);
    assert.match(res.body, /<h1>Leeds Stop Smoking Service<\/h1>/);
    for (const fact of [
      'Leeds city centre clinic',
      'Merrion Centre',
      'LS2 8NG',
      'Armley community hub',
      'Step-free entrance',
      'It is for people who live in Leeds.',
      'Adults who live in Leeds',
    ]) {
      assert.ok(text.includes(fact), `shows ${fact}`);
    }
    assert.equal(referLink(res.body), '/self-referral');
  });

  test('from a search: distances to each place, and the postcode carried to the self-referral form', async () => {
    const res = await anonymous(t.app).get(`/find-support/services/${LEEDS_SERVICE}?postcode=LS6%201AN`);
    assert.equal(res.statusCode, 200);
    assert.match(textOf(res.body), /\d(\.\d)? miles? from LS6 1AN/);
    assert.match(res.body, /Your local service/);
    assert.equal(referLink(res.body), '/self-referral?postcode=LS6%201AN');
  });

  test('an unknown or malformed id is not found', async () => {
    assert.equal(
      (await anonymous(t.app).get('/find-support/services/00000000-0000-4000-8000-000000000000')).statusCode,
      404,
    );
    assert.equal((await anonymous(t.app).get('/find-support/services/not-an-id')).statusCode, 404);
  });
});

describe('a campaign link that lands on the finder', () => {
  test('its code goes along with the search, to each service and to the self-referral form', async () => {
    const s = anonymous(t.app);
    const search = await s.get('/find-support?campaign=leeds-tt-2026');
    assert.match(search.body, /<input type="hidden" name="campaign" value="LEEDS-TT-2026">/);
    const results = await s.get('/find-support/results?postcode=LS1+4AP&campaign=LEEDS-TT-2026');
    assert.equal(results.statusCode, 200);
    assert.match(results.body, /href="\/self-referral\?postcode=LS1%204AP&amp;campaign=LEEDS-TT-2026"/);
    assert.match(
      results.body,
      new RegExp(
        `href="/find-support/services/${LEEDS_SERVICE}\\?postcode=LS1%204AP&amp;campaign=LEEDS-TT-2026"`,
      ),
    );
    const service = await s.get(
      `/find-support/services/${LEEDS_SERVICE}?postcode=LS1+4AP&campaign=LEEDS-TT-2026`,
    );
    assert.match(service.body, /href="\/self-referral\?postcode=LS1%204AP&amp;campaign=LEEDS-TT-2026"/);
    // And the self-referral form carries it in its hidden field, as from the campaign's own link.
    const form = await s.get('/self-referral?postcode=LS1+4AP&campaign=LEEDS-TT-2026');
    assert.match(form.body, /name="campaign" value="LEEDS-TT-2026"/);
  });

  test('something that is not shaped like a code is not carried anywhere', async () => {
    const s = anonymous(t.app);
    const search = await s.get('/find-support?campaign=%3Cscript%3E');
    assert.doesNotMatch(search.body, /name="campaign"/);
    const results = await s.get('/find-support/results?postcode=LS1+4AP&campaign=%22%3E%3Cb%3E');
    assert.doesNotMatch(results.body, /campaign=/);
    assert.match(results.body, /href="\/self-referral\?postcode=LS1%204AP"/);
  });
});
