// The self-referral journey in Welsh over HTTP: the form, its mistakes told in Welsh in the summary and
// beside each field with everything typed kept, why a request cannot be sent (Wales, Northern Ireland),
// and the confirmation with its promise of contact. The choice comes from the finder's cookie or the
// link, and forms keep it with no field of their own.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { anonymous, type HttpSession } from '../../../test/helpers/http-session.ts';
import { LANGUAGE_COOKIE } from '../../platform/language.ts';
import { LogNotifier } from '../../platform/notify.ts';
import { decode, errorsByField, inputValue, textOf, textareaValue } from '../organisations/test-html.ts';

const quiet = { info: () => {}, warn: () => {} };
let t: TestApp;
before(async () => {
  t = await buildTestApp({
    demo: true,
    notifier: new LogNotifier(quiet),
    now: new Date('2026-10-15T10:00:00Z'),
  });
});
after(() => t?.close());

const valid = {
  givenName: 'Rhys',
  familyName: 'Llywelyn',
  'dateOfBirth-day': '9',
  'dateOfBirth-month': '4',
  'dateOfBirth-year': '1988',
  postcode: 'ls6 1an',
  phone: '07700 900321',
  email: 'rhys@example.com',
  contactMethods: ['text', 'email'],
  contactTimes: 'evening',
  helpWanted: 'stop_smoking',
  mentalHealth: 'both',
  inTalkingTherapies: 'yes',
  notes: 'Mae angen cyfieithydd arna i',
  consent: 'yes',
};

/** A person who chose Cymraeg (on the finder, say): the cookie is all that carries it. */
const welshPerson = () => {
  const s = anonymous(t.app);
  s.setCookie(LANGUAGE_COOKIE, 'cy');
  return s;
};
const main = (html: string) =>
  textOf(/<main[\s\S]*<\/main>/.exec(html)?.[0] ?? '')
    .replace(/\s+/g, ' ')
    .replace(/ ([.,:])/g, '$1');
const refer = (s: HttpSession, fields: Record<string, string | string[]>) =>
  s.post('/self-referral', fields, { from: '/self-referral' });
/** The message beside a field, after its visually hidden prefix. */
const fieldError = (html: string, id: string) =>
  decode(
    new RegExp(`id="${id}-error">\\s*<span class="nhsuk-u-visually-hidden">([^<]*)</span>([^<]*)<`)
      .exec(html)
      ?.slice(1)
      .join('')
      .trim() ?? '',
  );

describe('the self-referral form in Welsh', () => {
  test('?lang=cy: the form, its choices, the consent and the crisis contacts in Welsh', async () => {
    const res = await anonymous(t.app).get('/self-referral?lang=cy&postcode=LS6%201AN');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<html lang="cy"/);
    assert.match(res.body, /<title>Gofyn am help i roi’r gorau i smygu – Mortar<\/title>/);
    const words = main(res.body);
    for (const welsh of [
      'Dywedwch wrthon ni sut i gysylltu â chi',
      'Enw cyntaf',
      'Dyddiad geni',
      'Diwrnod',
      'Blwyddyn',
      'Sut hoffech chi i’r gwasanaeth gysylltu â chi?',
      'Neges destun',
      'Gyda’r nos',
      'Newid o smygu i fepio',
      'Oes, gorbryder',
      'Byddai’n well gen i beidio â dweud',
      'Ydw',
      'Nac ydw',
      'gall y gwasanaeth rhoi’r gorau i smygu ar gyfer lle rydych chi’n byw gysylltu â chi',
      'Darllenwch ein hysbysiad preifatrwydd.',
      'Rydw i’n cytuno',
      'Os oes angen help arnoch chi nawr',
    ]) {
      assert.ok(words.includes(welsh), welsh);
    }
    assert.match(res.body, /<button[^>]*>\s*Anfon\s*<\/button>/);
    assert.equal(inputValue(res.body, 'postcode'), 'LS6 1AN');
    for (const english of ['First name', 'Date of birth', 'Text message', 'I agree', 'If you need help now'])
      assert.ok(!words.includes(english), english);
    // English, chosen back, with the finder's postcode still there.
    assert.match(res.body, /href="\/self-referral\?postcode=LS6\+1AN&amp;lang=en"/);
  });

  test('a mistake: Welsh in the summary and beside each field, everything typed kept', async () => {
    const s = welshPerson();
    const res = await refer(s, {
      ...valid,
      familyName: '',
      'dateOfBirth-year': '2030',
      phone: '0113 496 0000',
      contactMethods: ['text'],
      helpWanted: '',
      consent: [],
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /<title>Gwall: Gofyn am help i roi’r gorau i smygu – Mortar<\/title>/);
    assert.match(res.body, /Mae problem/);
    assert.deepEqual(errorsByField(res.body), {
      familyName: 'Rhowch eich cyfenw',
      'dateOfBirth-day': 'Rhaid i’r dyddiad geni fod yn y gorffennol',
      helpWanted: 'Dewiswch gyda beth hoffech chi gael help',
      consent: 'Dewiswch "Rydw i’n cytuno" er mwyn i’r gwasanaeth allu cysylltu â chi',
      phone:
        'Rhowch rif ffôn symudol i gael negeseuon testun, fel 07700 900 982, neu dewiswch ffordd arall o gysylltu',
    });
    assert.equal(fieldError(res.body, 'familyName'), 'Gwall: Rhowch eich cyfenw');
    assert.equal(fieldError(res.body, 'helpWanted'), 'Gwall: Dewiswch gyda beth hoffech chi gael help');
    assert.equal(inputValue(res.body, 'givenName'), 'Rhys');
    assert.equal(inputValue(res.body, 'dateOfBirth-year'), '2030');
    assert.equal(inputValue(res.body, 'phone'), '0113 496 0000');
    assert.equal(textareaValue(res.body, 'notes'), 'Mae angen cyfieithydd arna i');
    assert.match(res.body, /value="both" checked/);
  });

  test('a Cardiff postcode: told in Welsh to contact Helpa Fi i Stopio, nothing kept', async () => {
    const res = await refer(welshPerson(), { ...valid, postcode: 'CF10 1EP' });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(errorsByField(res.body), {
      postcode:
        'Mae eich cod post yng Nghymru. Allwn ni ddim anfon ceisiadau at Helpa Fi i Stopio, gwasanaeth rhoi’r gorau i smygu am ddim GIG Cymru. Gallwch chi ffonio 0800 085 2219 neu fynd i www.helpafiistopio.cymru',
    });
    const words = main(res.body);
    assert.match(words, /Cysylltwch â’r gwasanaeth hwn eich hun/);
    assert.match(words, /Helpa Fi i Stopio Gwasanaeth rhoi’r gorau i smygu am ddim GIG Cymru\./);
    assert.equal(inputValue(res.body, 'postcode'), 'CF10 1EP');
  });

  test('a Northern Ireland postcode: told in Welsh where free help is', async () => {
    const res = await refer(welshPerson(), { ...valid, postcode: 'BT1 1AA' });
    assert.match(errorsByField(res.body).postcode ?? '', /^Mae’r cod post hwn yng Ngogledd Iwerddon\./);
    assert.match(main(res.body), /Gallwch chi gael help am ddim i roi’r gorau i smygu o hyd/);
  });

  test('sent: the confirmation in Welsh, with the promise of contact and how the reference was sent', async () => {
    const s = welshPerson();
    const res = await refer(s, valid);
    assert.equal(res.statusCode, 303, res.body.slice(0, 200));
    const page = await s.get(String(res.headers.location));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<html lang="cy"/);
    const words = main(page.body);
    assert.match(words, /Mae eich cais wedi cael ei anfon Eich cyfeirnod MOR-\d{6}/);
    assert.match(
      words,
      /Cadwch eich cyfeirnod\. Rydyn ni hefyd wedi ei anfon atoch chi mewn neges destun ac e-bost\./,
    );
    assert.match(
      words,
      /Bydd Leeds Stop Smoking Service yn cysylltu â chi o fewn 3 diwrnod gwaith, drwy neges destun neu drwy e-bost, gyda’r nos\./,
    );
    assert.match(
      words,
      /Os nad oes neb wedi cysylltu ar ôl 3 diwrnod gwaith, ffoniwch Linell Gymorth Genedlaethol Smokefree am ddim ar 0300 123 1044\./,
    );
    assert.match(words, /Gallwch chi hefyd ddod o hyd i gymorth i roi’r gorau i smygu yn agos atoch chi\./);
    for (const english of [
      'Your request has been sent',
      'will contact you',
      'working days',
      'Keep your reference',
    ])
      assert.ok(!words.includes(english), english);
    // Without this browser's cookie: only what is true of every referral, still in Welsh.
    const other = await welshPerson().get(String(res.headers.location));
    assert.match(
      main(other.body),
      /Bydd Eich gwasanaeth rhoi’r gorau i smygu lleol yn cysylltu â chi o fewn 3 diwrnod gwaith\./,
    );
  });

  test('English stays English: the same journey without a choice', async () => {
    const res = await refer(anonymous(t.app), { ...valid, familyName: '' });
    assert.match(res.body, /<html lang="en"/);
    assert.deepEqual(errorsByField(res.body), { familyName: 'Enter your last name' });
    assert.equal(fieldError(res.body, 'familyName'), 'Error: Enter your last name');
  });
});
