import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { buildTestApp } from '../../../test/helpers/test-app.ts';
import { anonymous, signIn } from '../../../test/helpers/http-session.ts';
import {
  errorsByField,
  errorSummary,
  inputValue,
  textareaValue,
  textOf,
} from '../organisations/test-html.ts';

const t = await buildTestApp({ demo: true });
after(() => t.close());

const LEEDS_ORG = (
  await t.db
    .selectFrom('organisations')
    .select('id')
    .where('name', '=', 'Leeds Stop Smoking Service')
    .executeTakeFirstOrThrow()
).id;
const entryOf = () =>
  t.db
    .selectFrom('directory_services')
    .selectAll()
    .where('organisation_id', '=', LEEDS_ORG)
    .executeTakeFirstOrThrow();
const placesOf = async () =>
  t.db
    .selectFrom('directory_locations')
    .selectAll()
    .where('service_id', '=', (await entryOf()).id)
    .orderBy('name')
    .execute();
const EDIT = `/directory/services/${LEEDS_ORG}/edit`;

const manager = await signIn(t.app, 'manager@demo.test');

const VALID = {
  description: 'Free help to stop smoking in Leeds.',
  phone: '0113 496 0001',
  email: 'help@leeds.example.org',
  website: 'https://leeds.example.org/stop',
  openingTimes: 'Monday to Friday, 9am to 5pm',
  modes: ['in_person', 'telephone'],
  languages: 'English, Urdu,  urdu , Polish',
  tailoredSupport: 'yes',
  tailoredSupportText: 'Mood checks every week.',
  inTalkingTherapies: 'yes',
  aids: ['combination_nrt', 'e_cigarette_swap_to_stop'],
  eligibility: 'Adults in Leeds.',
  published: 'yes',
};

/** Whether the checkbox with this value in this group is ticked. */
const checked = (html: string, name: string, value: string) =>
  new RegExp(
    `<input[^>]*name="${name}"[^>]*value="${value}"[^>]*checked|<input[^>]*name="${name}"[^>]*checked[^>]*value="${value}"`,
  ).test(html);

describe('the entry form', () => {
  test('shows the saved entry', async () => {
    const res = await manager.get(EDIT);
    assert.equal(res.statusCode, 200);
    assert.match(
      textareaValue(res.body, 'description') ?? '',
      /^Free help to stop smoking for adults in Leeds/,
    );
    assert.equal(inputValue(res.body, 'languages'), 'English, Urdu, Punjabi, Polish');
    assert.ok(checked(res.body, 'modes', 'group'));
    assert.ok(checked(res.body, 'aids', 'e_cigarette_swap_to_stop'));
  });

  test('an empty form: 400, every problem in the summary, linked to its field', async () => {
    const res = await manager.post(EDIT, { languages: 'English' });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(errorsByField(res.body), {
      description: 'Enter a description of the service',
      phone: 'Enter at least one way to get in touch: a phone number, an email address or a website',
      modes: 'Select how the service gives support',
      tailoredSupport: 'Select yes if the service offers support made for people with anxiety or depression',
      inTalkingTherapies: 'Select yes if the service works inside NHS Talking Therapies',
      published: 'Select yes to show the service in the public finder',
    });
    // In the order of the page, each linking to a field on it.
    assert.deepEqual(
      errorSummary(res.body).map(([href]) => href),
      ['#description', '#phone', '#modes', '#tailoredSupport', '#inTalkingTherapies', '#published'],
    );
    for (const id of [
      'description',
      'phone',
      'modes',
      'tailoredSupport',
      'inTalkingTherapies',
      'published',
    ]) {
      assert.match(res.body, new RegExp(`id="${id}"`), `#${id} is on the page`);
    }
    assert.equal(inputValue(res.body, 'languages'), 'English');
  });

  test('bad values: the messages, and everything typed kept', async () => {
    const typed = {
      ...VALID,
      phone: '12345',
      email: 'not an email',
      website: 'www.leeds.example.org',
      languages: 'English; <script>',
      modes: ['telephone', 'carrier_pigeon'],
    };
    const res = await manager.post(EDIT, typed);
    assert.equal(res.statusCode, 400);
    assert.deepEqual(errorsByField(res.body), {
      phone: 'Enter a UK phone number, like 0113 496 0000',
      email: 'Enter an email address in the correct format, like name@example.com',
      website: 'Enter the website address in full, starting with https://',
      modes: 'Select how the service gives support',
      languages: 'Enter languages as words separated by commas, like English, Urdu, Polish',
    });
    assert.equal(inputValue(res.body, 'phone'), '12345');
    assert.equal(inputValue(res.body, 'website'), 'www.leeds.example.org');
    assert.equal(inputValue(res.body, 'languages'), 'English; <script>');
    assert.equal(textareaValue(res.body, 'description'), VALID.description);
    assert.ok(checked(res.body, 'modes', 'telephone'));
    assert.ok(checked(res.body, 'aids', 'e_cigarette_swap_to_stop'));
    assert.doesNotMatch(res.body, /<script>/);
  });

  test('saving: stored, audited, and what the public sees', async () => {
    const before = await entryOf();
    const res = await manager.post(EDIT, VALID);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, EDIT);
    const e = await entryOf();
    assert.equal(e.id, before.id);
    assert.deepEqual(
      [
        e.description,
        e.phone,
        e.email,
        e.website,
        e.modes,
        e.languages,
        e.tailored_support,
        e.in_talking_therapies,
        e.aids,
        e.published,
      ],
      [
        'Free help to stop smoking in Leeds.',
        '0113 496 0001',
        'help@leeds.example.org',
        'https://leeds.example.org/stop',
        ['in_person', 'telephone'],
        ['English', 'Urdu', 'Polish'],
        true,
        true,
        ['combination_nrt', 'e_cigarette_swap_to_stop'],
        true,
      ],
    );
    assert.ok(e.updated_at > before.updated_at);
    assert.ok(e.updated_by);
    const audited = await t.db
      .selectFrom('audit_events')
      .selectAll()
      .where('entity_type', '=', 'directory_service')
      .where('entity_id', '=', e.id)
      .execute();
    assert.equal(audited.length, 1);
    assert.equal(audited[0]!.action, 'update');

    const page = await manager.get(EDIT);
    assert.match(page.body, /has been saved and is shown to the public/);
    const found = await anonymous(t.app).get('/find-support/results?postcode=LS6%201AN');
    assert.match(textOf(found.body), /0113 496 0001/);

    // Not published: the entry (its details, its place in the list) is gone from the public finder. The
    // person is still told their own service takes referrals through Mortar (where-to-send decides that
    // from the commission, not from the directory), so the finder and the referral forms agree.
    assert.equal((await manager.post(EDIT, { ...VALID, published: 'no' })).statusCode, 303);
    const hidden = textOf((await anonymous(t.app).get('/find-support/results?postcode=LS6%201AN')).body);
    assert.doesNotMatch(hidden, /0113 496 0001|help@leeds\.example\.org|Free help to stop smoking in Leeds/);
    assert.match(hidden, /Fill in a short form and Leeds Stop Smoking Service will contact you/);
    assert.equal((await manager.post(EDIT, VALID)).statusCode, 303);
  });

  test('without the form token, nothing changes', async () => {
    const before = await entryOf();
    const res = await manager.post(EDIT, { ...VALID, description: 'Forged' }, { csrf: false });
    assert.equal(res.statusCode, 403);
    assert.deepEqual(await entryOf(), before);
  });
});

describe('places', () => {
  test('add: checked, placed at its postcode, audited', async () => {
    const url = `/directory/services/${LEEDS_ORG}/locations`;
    assert.equal((await manager.get(`${url}/new`)).statusCode, 200);
    const bad = await manager.post(url, {
      name: '',
      address: 'Kirkgate Market\r\nLeeds',
      postcode: 'LS6 1ZZ',
    });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(errorsByField(bad.body), { name: 'Enter the name of the place' });
    assert.equal(textareaValue(bad.body, 'address'), 'Kirkgate Market\r\nLeeds');
    const unknown = await manager.post(url, {
      name: 'Market',
      address: 'Kirkgate Market\nLeeds',
      postcode: 'LS6 1ZZ',
    });
    assert.equal(unknown.statusCode, 400);
    assert.deepEqual(errorsByField(unknown.body), {
      postcode: 'We cannot find that postcode. Check it, or enter the latitude and longitude below',
    });
    assert.equal(inputValue(unknown.body, 'postcode'), 'LS6 1ZZ');
    const half = await manager.post(url, {
      name: 'Market',
      address: 'Kirkgate Market',
      postcode: 'LS2 7HY',
      latitude: '53.79',
    });
    assert.deepEqual(errorsByField(half.body), {
      longitude: 'Enter both the latitude and the longitude, or leave both blank',
    });

    const ok = await manager.post(url, {
      name: 'Kirkgate Market',
      address: ' Kirkgate Market \r\n\r\n Leeds ',
      postcode: 'ls2 7hy',
      accessibility: 'Step-free',
    });
    assert.equal(ok.statusCode, 303);
    const added = (await placesOf()).find((p) => p.name === 'Kirkgate Market');
    assert.ok(added);
    assert.equal(added.address, 'Kirkgate Market\nLeeds');
    assert.equal(added.postcode, 'LS2 7HY');
    // The middle of sector LS2 7: within a mile of the market.
    assert.ok(
      Math.abs(added.latitude - 53.797) < 0.015 && Math.abs(added.longitude - -1.541) < 0.025,
      `${added.latitude},${added.longitude}`,
    );
    const audited = await t.db
      .selectFrom('audit_events')
      .select('action')
      .where('entity_type', '=', 'directory_location')
      .where('entity_id', '=', added.id)
      .execute();
    assert.deepEqual(
      audited.map((a) => a.action),
      ['create'],
    );
  });

  test('change, with exact coordinates', async () => {
    const place = (await placesOf()).find((p) => p.name === 'Kirkgate Market')!;
    const url = `/directory/services/${LEEDS_ORG}/locations/${place.id}/edit`;
    const page = await manager.get(url);
    assert.equal(inputValue(page.body, 'postcode'), 'LS2 7HY');
    const res = await manager.post(url, {
      name: 'Kirkgate Market stall',
      address: 'Kirkgate Market\nLeeds',
      postcode: 'LS2 7HY',
      latitude: '53.7968',
      longitude: '-1.5407',
    });
    assert.equal(res.statusCode, 303);
    const changed = (await placesOf()).find((p) => p.id === place.id)!;
    assert.deepEqual(
      [changed.name, changed.latitude, changed.longitude],
      ['Kirkgate Market stall', 53.7968, -1.5407],
    );
    const far = await manager.post(url, {
      name: 'X',
      address: 'Y',
      postcode: 'LS2 7HY',
      latitude: '40.1',
      longitude: '-1.5',
    });
    assert.deepEqual(errorsByField(far.body), {
      latitude: 'The latitude must be between 49.8 and 60.9, in Great Britain',
    });
  });

  test('remove, after a confirmation page', async () => {
    const place = (await placesOf()).find((p) => p.name === 'Kirkgate Market stall')!;
    const url = `/directory/services/${LEEDS_ORG}/locations/${place.id}/remove`;
    const confirm = await manager.get(url);
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /Remove Kirkgate Market stall\?/);
    assert.equal((await manager.post(url)).statusCode, 303);
    assert.equal(
      (await placesOf()).some((p) => p.id === place.id),
      false,
    );
    assert.equal((await manager.post(url)).statusCode, 404);
  });
});

describe('opening times of a place', () => {
  const placeNamed = async (name: string) => (await placesOf()).find((p) => p.name === name)!;
  const hoursOf = async (locationId: string) =>
    t.db
      .selectFrom('directory_opening_hours')
      .select(['weekday', 'opens_at', 'closes_at', 'valid_from', 'valid_to', 'notes'])
      .where('location_id', '=', locationId)
      .orderBy('weekday')
      .orderBy('opens_at')
      .execute();

  test('the form shows the times kept, one period for the days that share them', async () => {
    const place = await placeNamed('Leeds city centre clinic');
    const page = await manager.get(`/directory/services/${LEEDS_ORG}/locations/${place.id}/hours`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Opening times for Leeds city centre clinic/);
    assert.equal(inputValue(page.body, 'opens_0'), '09:00');
    assert.equal(inputValue(page.body, 'closes_0'), '17:00');
    for (const day of ['1', '2', '3', '4', '5']) assert.ok(checked(page.body, 'days_0', day), day);
    assert.ok(!checked(page.body, 'days_0', '6'));
    assert.equal(inputValue(page.body, 'opens_1'), '17:30');
    assert.equal(inputValue(page.body, 'notes_1'), 'Evening clinic, appointments only');
    assert.equal(inputValue(page.body, 'opens_2'), '');
    const edit = await manager.get(EDIT);
    assert.match(edit.body, new RegExp(`locations/${place.id}/hours`));
  });

  test('wrong times: 400, each in the summary, everything typed kept, nothing saved', async () => {
    const place = await placeNamed('Leeds city centre clinic');
    const url = `/directory/services/${LEEDS_ORG}/locations/${place.id}/hours`;
    const before = await hoursOf(place.id);
    const res = await manager.post(url, {
      rows: '4',
      days_0: ['1', '2'],
      opens_0: '5pm',
      closes_0: '9am',
      days_1: '3',
      opens_1: 'half nine',
      closes_1: '17:00',
      to_1: '31/6/2026',
    });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(errorsByField(res.body), {
      closes_0: 'The closing time of period 1 must be after its opening time',
      opens_1: 'Enter the time period 2 opens as a time, like 9am or 17:30',
      to_1: 'Enter the last day of period 2 as a real date, like 31/8/2027',
    });
    assert.deepEqual(
      errorSummary(res.body).map(([href]) => href),
      ['#closes_0', '#opens_1', '#to_1'],
    );
    assert.equal(inputValue(res.body, 'opens_1'), 'half nine');
    assert.equal(inputValue(res.body, 'to_1'), '31/6/2026');
    assert.ok(checked(res.body, 'days_0', '2'));
    const overlapping = await manager.post(url, {
      rows: '4',
      days_0: ['1', '2'],
      opens_0: '09:00',
      closes_0: '13:00',
      days_1: '2',
      opens_1: '12:00',
      closes_1: '17:00',
    });
    assert.equal(overlapping.statusCode, 400);
    assert.match(textOf(overlapping.body), /Period 2 \(Tuesday, midday to 5pm\) overlaps period 1/);
    assert.deepEqual(await hoursOf(place.id), before);
  });

  test('saving: stored by day, audited, on the public page and in the open data', async () => {
    const place = await placeNamed('Leeds city centre clinic');
    const entryBefore = await entryOf();
    const res = await manager.post(`/directory/services/${LEEDS_ORG}/locations/${place.id}/hours`, {
      rows: '4',
      days_0: ['1', '3'],
      opens_0: '9am',
      closes_0: '1pm',
      days_1: ['1', '3'],
      opens_1: '2pm',
      closes_1: '5:30pm',
      days_2: '6',
      opens_2: '10:00',
      closes_2: '12pm',
      notes_2: 'Drop-in',
    });
    assert.equal(res.statusCode, 303);
    assert.deepEqual(
      (await hoursOf(place.id)).map((h) => `${h.weekday} ${h.opens_at}-${h.closes_at} ${h.notes ?? ''}`),
      [
        '1 09:00:00-13:00:00 ',
        '1 14:00:00-17:30:00 ',
        '3 09:00:00-13:00:00 ',
        '3 14:00:00-17:30:00 ',
        '6 10:00:00-12:00:00 Drop-in',
      ],
    );
    assert.ok((await entryOf()).updated_at > entryBefore.updated_at, 'the entry was modified');
    const audited = await t.db
      .selectFrom('audit_events')
      .select(['action', 'detail'])
      .where('entity_id', '=', place.id)
      .orderBy('at', 'desc')
      .executeTakeFirstOrThrow();
    assert.deepEqual(audited, { action: 'update', detail: 'opening times' });

    const publicPage = textOf((await anonymous(t.app).get(`/find-support/services/${entryBefore.id}`)).body);
    assert.match(publicPage, /Monday\s*9am to 1pm and 2pm to 5:30pm/);
    assert.match(publicPage, /Tuesday\s*Closed/);
    assert.match(publicPage, /Saturday\s*10am to midday \(Drop-in\)/);
    assert.match(publicPage, /may be different on bank holidays/);

    const service = JSON.parse(
      (await t.app.inject({ method: 'GET', url: `/api/directory/services/${entryBefore.id}` })).body,
    );
    const saturday = service.schedules.find((s: { byday: string }) => s.byday === 'SA');
    assert.deepEqual(
      [saturday.opens_at, saturday.closes_at, saturday.notes, saturday.freq],
      ['10:00', '12:00', 'Drop-in', 'WEEKLY'],
    );
    const at = service.service_at_locations.find((s: { location_id: string }) => s.location_id === place.id);
    assert.equal(saturday.service_at_location_id, at.id);
    assert.equal(at.schedules.length, 5);
  });

  test("another service's place, or a blank form: not found, or no times", async () => {
    const manchester = await t.db
      .selectFrom('directory_locations')
      .select('id')
      .where('name', '=', 'Manchester central clinic')
      .executeTakeFirstOrThrow();
    const url = `/directory/services/${LEEDS_ORG}/locations/${manchester.id}/hours`;
    assert.equal((await manager.get(url)).statusCode, 404);
    assert.equal(
      (await manager.post(url, { rows: '4', days_0: '1', opens_0: '9am', closes_0: '5pm' })).statusCode,
      404,
    );
    const armley = await placeNamed('Armley community hub');
    const cleared = await manager.post(`/directory/services/${LEEDS_ORG}/locations/${armley.id}/hours`, {
      rows: '4',
    });
    assert.equal(cleared.statusCode, 303);
    assert.deepEqual(await hoursOf(armley.id), []);
  });
});
