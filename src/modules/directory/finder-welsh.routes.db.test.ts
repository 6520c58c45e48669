// The finder in Welsh over HTTP: chosen by the link (?lang=cy) or remembered by the cookie, every one of
// Mortar's words is Welsh, a Cardiff postcode is given Help Me Quit by its Welsh name, a service's own
// entry stays as the service wrote it, and the link back to English keeps the search.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { buildTestApp } from '../../../test/helpers/test-app.ts';
import { anonymous } from '../../../test/helpers/http-session.ts';
import { LANGUAGE_COOKIE } from '../../platform/language.ts';
import { decode, errorsByField, inputValue, textOf } from '../organisations/test-html.ts';

const t = await buildTestApp({ demo: true, now: new Date('2026-10-15T10:00:00Z') });
after(() => t.close());

const inWelsh = (url: string) => t.app.inject({ method: 'GET', url, cookies: { [LANGUAGE_COOKIE]: 'cy' } });
/** The page's main text as read: no space left where a tag ended before a full stop or colon. */
const main = (html: string) =>
  textOf(/<main[\s\S]*<\/main>/.exec(html)?.[0] ?? '')
    .replace(/\s+/g, ' ')
    .replace(/ ([.,:])/g, '$1');
const switchHref = (html: string) =>
  decode(
    /<nav class="app-language-switch"[^>]*>\s*<a class="nhsuk-link" href="([^"]+)"/.exec(html)?.[1] ?? '',
  );

/** English words of the finder that must not be left on a Welsh page. */
const ENGLISH = [
  /Find help to stop smoking/,
  /Stop smoking services near/,
  /Your local service/,
  /The nearest is first/,
  /How to get in touch/,
  /Refer yourself/,
  /Search again/,
  /\bmiles? away\b/,
  /This service is free/,
  /Who can use it/,
  /last updated/,
];
const noEnglish = (text: string) => {
  for (const e of ENGLISH) assert.doesNotMatch(text, e);
};

describe('the finder in Welsh', () => {
  test('?lang=cy turns the search page Welsh and remembers it; the cookie keeps it', async () => {
    const chosen = await anonymous(t.app).get('/find-support?lang=cy');
    assert.equal(chosen.statusCode, 200);
    assert.match(chosen.body, /<html lang="cy"/);
    assert.match(
      chosen.body,
      /<title>Dod o hyd i help i roi’r gorau i smygu yn agos atoch chi – Mortar<\/title>/,
    );
    assert.equal(chosen.cookies.find((c) => c.name === LANGUAGE_COOKIE)?.value, 'cy');
    const page = await inWelsh('/find-support');
    assert.match(page.body, /<label[^>]*for="postcode">\s*Rhowch eich cod post/);
    assert.match(main(page.body), /Yng Nghymru, ffoniwch Helpa Fi i Stopio am ddim ar 0800 085 2219\./);
    assert.match(page.body, />English<\/a>/);
    noEnglish(main(page.body));
  });

  test('a Leeds search: the results, their facts and distances in Welsh, the services as they wrote them', async () => {
    const res = await inWelsh('/find-support/results?postcode=LS6+1AN');
    assert.equal(res.statusCode, 200);
    const words = main(res.body);
    assert.match(res.body, /<h1>Gwasanaethau rhoi’r gorau i smygu yn agos at LS6 1AN<\/h1>/);
    assert.match(
      words,
      /Eich gwasanaeth lleol yw Leeds Stop Smoking Service\. Mae am ddim i bobl sy’n byw yn eich ardal chi\./,
    );
    assert.match(words, /Rydyn ni wedi dod o hyd i \d+ gwasanaeth\./);
    assert.match(words, /\d+(\.\d)? (milltir|filltir) i ffwrdd/);
    assert.match(words, /Sut i gysylltu/);
    assert.match(words, /Help gyda gorbryder neu iselder/);
    assert.match(res.body, /aria-label="Gwasanaethau, yr agosaf yn gyntaf"/);
    assert.match(words, /Atgyfeirio eich hun/);
    noEnglish(words);
    // The link to English runs the same search.
    assert.equal(switchHref(res.body), '/find-support/results?postcode=LS6+1AN&lang=en');
  });

  test('a Cardiff postcode is given Help Me Quit by its Welsh name, with its Welsh site', async () => {
    const res = await inWelsh('/find-support/results?postcode=CF10+1EP');
    const words = main(res.body);
    assert.match(
      words,
      /Rydych chi’n byw yng Nghymru\. Gwasanaeth rhoi’r gorau i smygu am ddim GIG Cymru yw Helpa Fi i Stopio\. Cysylltwch â nhw eich hun:/,
    );
    const card = /<div class="nhsuk-card" id="service-contact">[\s\S]*?<\/ul>/.exec(res.body)?.[0] ?? '';
    assert.match(card, /<h2 class="nhsuk-card__heading nhsuk-heading-m">Helpa Fi i Stopio<\/h2>/);
    assert.match(card, /Gwasanaeth rhoi’r gorau i smygu am ddim GIG Cymru\./);
    assert.match(card, /Ffôn: <a href="tel:08000852219"/);
    assert.match(card, /Tecstiwch HMQ i 80818/);
    assert.match(
      card,
      /<a href="https:\/\/www\.helpafiistopio\.cymru" rel="noreferrer">www\.helpafiistopio\.cymru<\/a>/,
    );
    assert.doesNotMatch(words, /Help Me Quit/);
  });

  test("a service's page: Mortar's words in Welsh, the date in Welsh, the entry as entered", async () => {
    const { id, description } = await t.db
      .selectFrom('directory_services as s')
      .innerJoin('organisations as o', 'o.id', 's.organisation_id')
      .select(['s.id', 's.description'])
      .where('o.name', '=', 'Leeds Stop Smoking Service')
      .executeTakeFirstOrThrow();
    const res = await inWelsh(`/find-support/services/${id}?postcode=LS6+1AN`);
    assert.equal(res.statusCode, 200);
    const words = main(res.body);
    assert.match(words, /Mae’r gwasanaeth hwn am ddim\./);
    assert.match(words, /Am y gwasanaeth hwn/);
    assert.match(
      words,
      /Cafodd y dudalen hon ei diweddaru ddiwethaf ar \d{1,2} (Ionawr|Chwefror|Mawrth|Ebrill|Mai|Mehefin|Gorffennaf|Awst|Medi|Hydref|Tachwedd|Rhagfyr) \d{4}\./,
    );
    assert.match(words, /(milltir|filltir) o LS6 1AN/);
    if (description)
      assert.ok(words.includes(decode(description).trim().slice(0, 40)), 'description as entered');
    noEnglish(words);
  });

  test('a postcode mistake is told in Welsh, in the summary and by the field, and what was typed is kept', async () => {
    const res = await inWelsh('/find-support/results?postcode=QQ');
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /<title>Gwall: /);
    assert.deepEqual(errorsByField(res.body), {
      postcode: 'Rhowch god post go iawn, fel LS1 4AP, neu ran gyntaf un, fel LS1',
    });
    assert.match(
      res.body,
      /<span class="nhsuk-u-visually-hidden">Gwall: <\/span>Rhowch god post go iawn, fel LS1 4AP, neu ran gyntaf un, fel LS1/,
    );
    assert.match(res.body, /Mae problem/);
    assert.equal(inputValue(res.body, 'postcode'), 'QQ');
  });

  test('Northern Ireland is told in Welsh', async () => {
    const res = await inWelsh('/find-support/results?postcode=BT1+1AA');
    assert.match(
      main(res.body),
      /Mae BT1 1AA yng Ngogledd Iwerddon\. Mae’r gwasanaeth hwn ar gyfer Lloegr, yr Alban a Chymru\./,
    );
  });

  test('a campaign code that is not shaped like one is not carried back by the language link', async () => {
    const res = await anonymous(t.app).get('/find-support/results?postcode=LS1+4AP&campaign=%22%3E%3Cb%3E');
    assert.equal(switchHref(res.body), '/find-support/results?postcode=LS1+4AP&lang=cy');
  });
});
