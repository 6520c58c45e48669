import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { anonymous, hiddenField, signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import { LogNotifier, NotifyError, type Message, type Notifier } from '../../platform/notify.ts';
import { CONTACT_CONSENT } from './self-referral.schemas.ts';
import { CONFIRMATION_COOKIE } from './self-referral-sent.routes.ts';

// The public self-referral journey over HTTP: a person refers themself, the referral joins the same
// pipeline as every other (routed by postcode, on the Leeds worklist as a self-referral), and the form
// keeps what was typed, resists programs and floods, and never loses a referral to a failed message.

const valid = {
  givenName: 'Ffion',
  familyName: 'Ní Bhriain',
  'dateOfBirth-day': '9',
  'dateOfBirth-month': '4',
  'dateOfBirth-year': '1988',
  postcode: 'ls6 1an',
  phone: '07700 900321',
  email: 'ffion.nibhriain@example.com',
  contactMethods: ['text'],
  contactTimes: 'evening',
  helpWanted: 'switch_to_vaping',
  mentalHealth: 'anxiety',
  inTalkingTherapies: 'yes',
  notes: 'I take sertraline',
  consent: 'yes',
  extraDetails: '',
};

/** Everything in the form that identifies the person: none of it may reach a URL, a log or the confirmation. */
const PERSONAL = [
  'Ffion',
  'Bhriain',
  '07700 900321',
  '07700900321',
  'ffion.nibhriain',
  'LS6 1AN',
  'ls6 1an',
  '1988',
  'sertraline',
];

type LogLine = { obj: Record<string, unknown>; msg: string };
const captureLog = () => {
  const lines: LogLine[] = [];
  return {
    lines,
    info: (obj: Record<string, unknown>, msg: string) => void lines.push({ obj, msg }),
    warn: (obj: Record<string, unknown>, msg: string) => void lines.push({ obj, msg }),
  };
};

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/\s+/g, ' ');
const main = (html: string) => /<main[\s\S]*<\/main>/.exec(html)?.[0] ?? '';
const errorTexts = (html: string) =>
  [
    ...(/nhsuk-error-summary__list[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '').matchAll(
      /<a href="(#[^"]+)"[^>]*>\s*([^<]+?)\s*</g,
    ),
  ].map((m) => [m[1]!, m[2]!] as const);

let t: TestApp;
const log = captureLog();
const notifier = new LogNotifier(log);

before(async () => {
  t = await buildTestApp({ demo: true, notifier, env: { SELF_REFERRAL_RATE_LIMIT_MAX: '3' } });
});
after(() => t?.close());

const count = async (table: 'referrals' | 'audit_events' | 'advice_records') =>
  Number(
    (
      await t.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** A person in a browser of their own (an address of their own, so the rate limit is theirs). */
const person = () => anonymous(t.app);

async function refer(s: HttpSession, fields: Record<string, string | string[]> = valid) {
  return s.post('/self-referral', fields, { from: '/self-referral' });
}

describe('the self-referral form', () => {
  test('is public, short, works without JavaScript, and carries crisis contacts and a hidden honeypot', async () => {
    const res = await person().get('/self-referral?postcode=LS6%201AN');
    assert.equal(res.statusCode, 200);
    const html = res.body;
    assert.match(html, /<form method="post" action="\/self-referral" novalidate>/);
    assert.match(html, /name="_csrf" value="[^"]+"/);
    assert.ok(html.includes('value="LS6 1AN"'), 'the postcode from the finder is filled in');
    assert.match(html, /Do you have anxiety or depression\? \(optional\)/);
    assert.match(html, /so the service can offer support that fits you/);
    assert.match(html, /Smoking can make anxiety worse, and stopping often helps/);
    assert.match(html, /href="\/stopping-smoking-and-your-mental-health"/);
    for (const point of CONTACT_CONSENT.points) assert.ok(html.includes(point), point);
    // Crisis contacts: NHS 111 option 2, 999, Samaritans.
    assert.match(text(html), /NHS 111 and choose option 2/);
    assert.match(html, /href="tel:999"/);
    assert.match(text(html), /Samaritans free on 116 123/);
    // The honeypot: visually hidden, hidden from screen readers, out of the tab order, not autofilled.
    const trap =
      /<div class="nhsuk-u-visually-hidden" aria-hidden="true">\s*<label for="extraDetails">Leave this blank<\/label>\s*<input ([^>]+)>/.exec(
        html,
      );
    assert.ok(trap, 'honeypot markup');
    for (const attr of ['name="extraDetails"', 'tabindex="-1"', 'autocomplete="off"', 'value=""'])
      assert.ok(trap[1]!.includes(attr), attr);
    assert.ok(
      !/<(?:script|link|img)[^>]+(?:src|href)="(?:https?:)?\/\//.test(html),
      'nothing loaded from another website',
    );
  });

  test('a query postcode is escaped and cut to a postcode length', async () => {
    const res = await person().get(`/self-referral?postcode=${encodeURIComponent('"><script>x</script>')}`);
    assert.equal(res.statusCode, 200);
    assert.ok(!res.body.includes('<script>x'));
  });

  test('a valid self-referral is routed to Leeds, stored with source self, and confirmed with the reference only', async () => {
    const before = {
      referrals: await count('referrals'),
      advice: await count('advice_records'),
      outbox: notifier.outbox.length,
    };
    const s = person();
    const res = await refer(s);
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    const location = String(res.headers.location);
    assert.match(
      location,
      /^\/self-referral\/sent\/MOR-\d{6}$/,
      'the URL holds the reference and nothing else',
    );
    const reference = location.split('/').pop()!;

    const row = await t.db
      .selectFrom('referrals as r')
      .innerJoin('organisations as o', 'o.id', 'r.service_organisation_id')
      .select([
        'r.id',
        'r.source',
        'o.name',
        'r.postcode',
        'r.local_authority_code',
        'r.advice_record_id',
        'r.referrer_organisation_id',
        'r.referrer_user_id',
        'r.help_wanted',
        'r.contact_consent_version',
        'r.mental_health',
        'r.in_talking_therapies',
        'r.contact_methods',
        'r.contact_times',
        'r.smoking_status',
        'r.consent_share_progress',
        'r.notes',
        'r.date_of_birth',
      ])
      .where('r.reference', '=', reference)
      .executeTakeFirstOrThrow();
    assert.deepEqual(
      { ...row, id: undefined },
      {
        id: undefined,
        source: 'self',
        name: 'Leeds Stop Smoking Service',
        postcode: 'LS6 1AN',
        local_authority_code: 'E08000035',
        advice_record_id: null,
        referrer_organisation_id: null,
        referrer_user_id: null,
        help_wanted: 'switch_to_vaping',
        contact_consent_version: CONTACT_CONSENT.version,
        mental_health: 'anxiety',
        in_talking_therapies: 'yes',
        contact_methods: ['text'],
        contact_times: 'evening',
        smoking_status: '1',
        consent_share_progress: false,
        notes: 'I take sertraline',
        date_of_birth: '1988-04-09',
      },
    );
    assert.equal(await count('referrals'), before.referrals + 1);
    assert.equal(await count('advice_records'), before.advice, 'nobody gave advice, so none is counted');
    const events = await t.db
      .selectFrom('referral_events')
      .select(['kind', 'actor_user_id'])
      .where('referral_id', '=', row.id)
      .execute();
    assert.deepEqual(events, [{ kind: 'received', actor_user_id: null }]);
    const audits = await t.db
      .selectFrom('audit_events')
      .select(['action', 'actor_user_id', 'organisation_id'])
      .where('entity_id', '=', row.id)
      .execute();
    assert.deepEqual(audits, [{ action: 'create', actor_user_id: null, organisation_id: null }]);

    // The confirmation: reference, who will contact them, how and when, and what to do if nobody does.
    const sent = await s.get(location);
    assert.equal(sent.statusCode, 200);
    const words = text(main(sent.body));
    assert.ok(words.includes(reference));
    assert.match(
      words,
      /Leeds Stop Smoking Service will contact you within 3 working days, by text message, in the evening\./,
    );
    assert.match(words, /We have also sent it to you by text message and email\./);
    assert.match(
      words,
      /If nobody has been in touch after 3 working days, call the National Smokefree Helpline free on 0300 123 1044/,
    );
    assert.match(words, /NHS 111 and choose option 2/);
    for (const p of PERSONAL) assert.ok(!sent.body.includes(p), `the confirmation does not show ${p}`);

    // The message: after the commit, through the log transport, with the right template and no personal details logged.
    assert.equal(notifier.outbox.length, before.outbox + 1);
    const msg = notifier.outbox.at(-1)!;
    assert.equal(msg.template, 'self_referral_confirmation');
    assert.deepEqual(msg.to, { email: 'ffion.nibhriain@example.com', phone: '07700 900321' });
    assert.deepEqual(msg.channels, ['email', 'sms']);
    assert.deepEqual(msg.personalisation, {
      reference,
      service_name: 'Leeds Stop Smoking Service',
      when: 'within 3 working days, by text message, in the evening',
    });
    assert.match(
      msg.sms,
      new RegExp(
        `Your stop smoking reference is ${reference}\\. Leeds Stop Smoking Service will contact you within 3 working days`,
      ),
    );
    for (const p of PERSONAL)
      assert.ok(!msg.email.includes(p) && !msg.sms.includes(p), `the message text has no ${p}`);
    const line = log.lines.at(-1)!;
    assert.equal(line.msg, 'notification sent');
    assert.deepEqual(line.obj, {
      notification: { template: 'self_referral_confirmation', channels: ['email', 'sms'], transport: 'log' },
    });
    const logged = JSON.stringify(log.lines);
    for (const p of PERSONAL) assert.ok(!logged.includes(p), `the log has no ${p}`);
  });

  test('the Leeds adviser sees the self-referral on the worklist, labelled, with what the person asked for', async () => {
    const res = await refer(person(), {
      ...valid,
      givenName: 'Worklist',
      familyName: 'Checker',
      mentalHealth: 'none',
      helpWanted: 'cut_down_first',
    });
    const reference = String(res.headers.location).split('/').pop()!;
    const adviser = await signIn(t.app, 'adviser@demo.test');
    const list = await adviser.get('/worklist');
    assert.equal(list.statusCode, 200);
    const row = /<tr class="nhsuk-table__row"[^>]*>(?:(?!<\/tr>)[\s\S])*?Worklist Checker[\s\S]*?<\/tr>/.exec(
      list.body,
    )?.[0];
    assert.ok(row, 'the referral is on the Leeds worklist');
    assert.ok(row.includes(reference));
    assert.match(text(row), /Self-referral/);
    assert.match(text(row), /No anxiety or depression \(they told us\)/);
    const id = /href="\/worklist\/([0-9a-f-]{36})"/.exec(row)![1]!;
    const detail = text(main((await adviser.get(`/worklist/${id}`)).body));
    assert.match(detail, /They referred themself and would like help with cutting down first \./);
    assert.match(detail, /Would like help with Cutting down first/);
    assert.match(detail, /Referred by Self-referral/);
    assert.match(detail, /What they told us I take sertraline/);
    assert.ok(!detail.includes('Progress shared with referrer'), 'there is no referrer');

    // The same status events as any referral: the adviser can record contact and accept.
    const accepted = await adviser.post(`/worklist/${id}/accept`, { note: '' }, { from: `/worklist/${id}` });
    assert.equal(accepted.statusCode, 303);
    const kinds = await t.db
      .selectFrom('referral_events')
      .select('kind')
      .where('referral_id', '=', id)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      kinds.map((k) => k.kind),
      ['received', 'accepted'],
    );

    // Manchester never sees it.
    const manchester = await signIn(t.app, 'adviser.manchester@demo.test');
    assert.ok(!(await manchester.get('/worklist?status=all')).body.includes(reference));
    assert.equal((await manchester.get(`/worklist/${id}`)).statusCode, 404);
  });

  test('the confirmation page tells another browser nothing about the referral', async () => {
    const res = await refer(person());
    const location = String(res.headers.location);
    const stranger = await person().get(location);
    assert.equal(stranger.statusCode, 200);
    const words = text(main(stranger.body));
    assert.match(words, /Your local stop smoking service will contact you within 3 working days\./);
    assert.ok(!words.includes('Leeds'), 'the service is not named to a browser that did not send the form');
    assert.ok(!words.includes('text message,'));
    assert.equal((await person().get('/self-referral/sent/not-a-reference')).statusCode, 404);
  });

  test('a form with mistakes lists every one, links each to its field, keeps everything typed and stores nothing', async () => {
    const before = await count('referrals');
    const res = await refer(person(), {});
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /<title>Error: /);
    assert.deepEqual(errorTexts(res.body), [
      ['#givenName', 'Enter your first name'],
      ['#familyName', 'Enter your last name'],
      ['#dateOfBirth-day', 'Enter your date of birth'],
      ['#postcode', 'Enter your postcode'],
      ['#contactMethods', 'Select how you would like the service to contact you'],
      ['#helpWanted', 'Select what you would like help with'],
      ['#consent', 'Select &quot;I agree&quot; so that the service can contact you'],
    ]);

    const typed = {
      ...valid,
      givenName: '<b>Ffion</b>',
      'dateOfBirth-month': '13',
      email: 'not-an-email',
      phone: '0113 496 0000',
      consent: [] as string[],
    };
    const again = await refer(person(), typed);
    assert.equal(again.statusCode, 400);
    const messages = errorTexts(again.body).map(([, m]) => m);
    for (const expected of [
      /first name must only include letters/,
      /Date of birth must be a real date/,
      /email address in the correct format/,
      /I agree/,
    ]) {
      assert.ok(
        messages.some((m) => expected.test(m)),
        `${expected} in ${messages.join(' | ')}`,
      );
    }
    for (const kept of [
      'value="&lt;b&gt;Ffion&lt;/b&gt;"',
      'value="13"',
      'value="not-an-email"',
      'value="0113 496 0000"',
      'value="ls6 1an"',
      '>I take sertraline</textarea>',
    ]) {
      assert.ok(again.body.includes(kept), `kept ${kept}`);
    }
    assert.match(again.body, /value="switch_to_vaping" checked/);
    assert.match(again.body, /value="anxiety" checked/);
    assert.match(again.body, /value="evening" checked/);
    assert.equal(await count('referrals'), before);
  });

  test('a phone number or an email address is needed, and the one the chosen way of contact needs', async () => {
    const none = await refer(person(), { ...valid, phone: '', email: '' });
    assert.ok(
      errorTexts(none.body).some(
        ([href, m]) => href === '#phone' && /phone number or an email address/.test(m),
      ),
    );
    const landline = await refer(person(), {
      ...valid,
      givenName: '',
      phone: '0113 496 0000',
      contactMethods: ['text'],
    });
    assert.ok(
      errorTexts(landline.body).some(
        ([href, m]) => href === '#phone' && /Enter a mobile number to get text messages/.test(m),
      ),
    );
    assert.ok(
      errorTexts(landline.body).some(([href]) => href === '#givenName'),
      'listed with the other mistakes',
    );
    const emailWanted = await refer(person(), { ...valid, email: '', contactMethods: ['email'] });
    assert.ok(
      errorTexts(emailWanted.body).some(
        ([href, m]) => href === '#email' && /Enter your email address/.test(m),
      ),
    );
  });

  test('postcodes that cannot be routed get a kind message, the helpline and the finder, with everything kept', async () => {
    const cases: [string, RegExp][] = [
      ['LS6 9ZZ', /We cannot find this postcode/],
      ['SW1A 1AA', /We cannot send requests to a stop smoking service for this postcode yet/],
    ];
    for (const [postcode, message] of cases) {
      const before = await count('referrals');
      const res = await refer(person(), { ...valid, postcode });
      assert.equal(res.statusCode, 400, postcode);
      assert.match(text(res.body), message);
      assert.match(text(res.body), /You can still get free help to stop smoking/);
      assert.match(res.body, /href="tel:03001231044"/);
      assert.match(res.body, /href="\/find-support"/);
      assert.ok(res.body.includes(`value="${postcode}"`), 'postcode kept');
      assert.ok(res.body.includes('value="Ffion"'), 'other answers kept');
      assert.equal(await count('referrals'), before, postcode);
    }
  });

  test('a Northern Ireland postcode is told Mortar covers Britain, and where free help is there', async () => {
    const before = await count('referrals');
    const res = await refer(person(), { ...valid, postcode: 'BT1 1AA' });
    assert.equal(res.statusCode, 400);
    assert.match(
      text(res.body),
      /This postcode is in Northern Ireland\. We can only send requests to services in England, Scotland and Wales/,
    );
    assert.match(
      text(res.body),
      /In Northern Ireland, many pharmacies and GP practices give free help to stop smoking/,
    );
    assert.doesNotMatch(text(res.body), /We cannot find this postcode/);
    assert.ok(res.body.includes('value="BT1 1AA"'), 'postcode kept');
    assert.equal(await count('referrals'), before);
  });

  test("a Welsh or Scottish postcode is given its nation's service, not England's helpline", async () => {
    for (const [postcode, name, phone] of [
      ['CF10 1EP', 'Help Me Quit', '0800 085 2219'],
      ['EH1 1YZ', 'Quit Your Way Scotland', '0800 84 84 84'],
    ] as const) {
      const res = await refer(person(), { ...valid, postcode });
      assert.equal(res.statusCode, 400, postcode);
      assert.match(text(res.body), new RegExp(`We cannot send requests to ${name}`));
      assert.ok(res.body.includes(`href="tel:${phone.replace(/ /g, '')}"`), phone);
      assert.doesNotMatch(res.body, /href="tel:03001231044"/);
    }
  });

  test('a filled honeypot gets a normal-looking confirmation, and nothing is stored or sent', async () => {
    const before = {
      referrals: await count('referrals'),
      audits: await count('audit_events'),
      outbox: notifier.outbox.length,
    };
    const bot = person();
    const res = await refer(bot, { ...valid, extraDetails: 'http://spam.example' });
    assert.equal(res.statusCode, 303);
    const location = String(res.headers.location);
    assert.match(location, /^\/self-referral\/sent\/MOR-\d{6}$/);
    const page = await bot.get(location);
    assert.equal(page.statusCode, 200);
    assert.match(
      text(main(page.body)),
      /Leeds Stop Smoking Service will contact you within 3 working days, by text message, in the evening\./,
    );
    assert.equal(await count('referrals'), before.referrals, 'nothing stored');
    assert.equal(await count('audit_events'), before.audits);
    assert.equal(notifier.outbox.length, before.outbox, 'no message to an address a program typed');
    const reference = location.split('/').pop()!;
    assert.equal(
      await t.db.selectFrom('referrals').select('id').where('reference', '=', reference).executeTakeFirst(),
      undefined,
    );
  });

  test('a form without its CSRF token is refused and stores nothing', async () => {
    const before = await count('referrals');
    const res = await person().post('/self-referral', valid, { csrf: false, from: '/self-referral' });
    assert.equal(res.statusCode, 403);
    assert.equal(await count('referrals'), before);
  });

  test('a body far bigger than the form is refused before it is read', async () => {
    const before = await count('referrals');
    const res = await refer(person(), { ...valid, notes: 'x'.repeat(20 * 1024) });
    assert.equal(res.statusCode, 413);
    assert.equal(await count('referrals'), before);
  });
});

describe('the same form sent twice', () => {
  test('makes one referral and one message, and the repeat gets the same confirmation', async () => {
    const s = person();
    const formToken = hiddenField((await s.get('/self-referral')).body, 'formToken');
    const before = { referrals: await count('referrals'), outbox: notifier.outbox.length };
    const fields = { ...valid, givenName: 'Twice', formToken };
    const first = await s.post('/self-referral', fields);
    assert.equal(first.statusCode, 303, first.body.slice(0, 300));
    // The browser never saw the first answer (the person clicked again before it came).
    s.setCookie(CONFIRMATION_COOKIE, undefined);
    const second = await s.post('/self-referral', fields);
    assert.equal(second.statusCode, 303);
    assert.equal(second.headers.location, first.headers.location);
    assert.equal(await count('referrals'), before.referrals + 1);
    assert.equal(notifier.outbox.length, before.outbox + 1, 'one confirmation message');
    const page = await s.get(String(second.headers.location));
    assert.match(text(main(page.body)), /Leeds Stop Smoking Service will contact you/);
    assert.equal(page.headers['cache-control'], 'no-store', 'what this browser was told is not kept');
  });

  test('sent at the same moment, still one referral', async () => {
    const s = person();
    const formToken = hiddenField((await s.get('/self-referral')).body, 'formToken');
    const before = await count('referrals');
    const fields = { ...valid, givenName: 'Together', formToken };
    const [a, b] = await Promise.all([s.post('/self-referral', fields), s.post('/self-referral', fields)]);
    assert.deepEqual([a.statusCode, b.statusCode], [303, 303]);
    assert.equal(a.headers.location, b.headers.location);
    assert.equal(await count('referrals'), before + 1);
  });
});

describe('the self-referral rate limit', () => {
  test('counts complete forms per address; past the limit the form is kept and nothing is stored', async () => {
    const s = person();
    // Mistakes do not count: nobody is locked out for typing.
    for (let i = 0; i < 5; i++) assert.equal((await refer(s, { ...valid, helpWanted: '' })).statusCode, 400);
    for (let i = 0; i < 3; i++)
      assert.equal(
        (await refer(s, { ...valid, givenName: `Limit${'a'.repeat(i)}` })).statusCode,
        303,
        `referral ${i + 1}`,
      );
    const before = await count('referrals');
    const refused = await refer(s, { ...valid, givenName: 'Fourth' });
    assert.equal(refused.statusCode, 429);
    assert.ok(Number(refused.headers['retry-after']) > 0);
    assert.match(text(refused.body), /You have sent this form several times in the last 10 minutes/);
    assert.match(text(refused.body), /0300 123 1044/);
    assert.ok(refused.body.includes('value="Fourth"'), 'what was typed is kept');
    assert.equal(await count('referrals'), before);
    // Someone else, from another address, is not affected.
    assert.equal((await refer(person(), { ...valid, givenName: 'Neighbour' })).statusCode, 303);
  });
});

describe('when the confirmation message cannot be sent', () => {
  let failing: TestApp;
  const attempts: Message[] = [];
  const broken: Notifier = {
    transport: 'notify',
    sendOne: () => Promise.reject(new NotifyError('notify', { response: { status: 503 } })),
    findSent: async () => null,
    async send(message) {
      attempts.push(message);
      throw new NotifyError('notify', {
        response: { status: 500 },
        message: `could not send to ${message.to.email}`,
      });
    },
  };
  before(async () => {
    failing = await buildTestApp({ demo: true, notifier: broken });
  });
  after(() => failing?.close());

  test('the referral is kept and the person still sees their confirmation', async () => {
    const s = anonymous(failing.app);
    const res = await s.post('/self-referral', { ...valid, givenName: 'Kept' }, { from: '/self-referral' });
    assert.equal(res.statusCode, 303);
    assert.equal(attempts.length, 1, 'the send was tried');
    const reference = String(res.headers.location).split('/').pop()!;
    const row = await failing.db
      .selectFrom('referrals')
      .select(['given_name', 'source'])
      .where('reference', '=', reference)
      .executeTakeFirst();
    assert.deepEqual(row, { given_name: 'Kept', source: 'self' });
    const page = await s.get(String(res.headers.location));
    assert.equal(page.statusCode, 200);
    const words = text(main(page.body));
    assert.ok(words.includes(reference));
    assert.match(words, /Leeds Stop Smoking Service will contact you/);
    assert.ok(!/We have also sent it/.test(words), 'the page does not claim a message went out');
  });
});

describe('the page about stopping smoking and mental health', () => {
  test('answers the common worries, links to the form, and is linked from the home page', async () => {
    const res = await person().get('/stopping-smoking-and-your-mental-health');
    assert.equal(res.statusCode, 200);
    const words = text(main(res.body));
    for (const q of [
      'Will stopping make my anxiety worse?',
      'Can I keep my therapist?',
      'Are vapes safe?',
      'What support is there?',
    ]) {
      assert.ok(words.includes(q), q);
    }
    assert.match(words, /less anxious, less low and less stressed/);
    assert.match(words, /Swap to Stop/);
    assert.match(words, /clozapine/);
    assert.match(words, /tell your doctor or pharmacist/);
    assert.match(res.body, /href="\/self-referral"/);
    const home = await person().get('/');
    assert.match(home.body, /href="\/self-referral"/);
    assert.match(home.body, /href="\/stopping-smoking-and-your-mental-health"/);
    const privacy = text(main((await person().get('/privacy')).body));
    assert.match(privacy, /Only the stop smoking service for where you live can see your details/);
    assert.match(privacy, /no tracking or advertising cookies/);
  });
});
