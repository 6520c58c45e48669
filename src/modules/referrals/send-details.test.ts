import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fillTemplate, TEMPLATES } from '../../platform/notify.ts';
import { HELP_ME_QUIT, SMOKEFREE_NATIONAL_HELPLINE } from './national-services.ts';
import { detailsMessage, mayNotSend, SendDetailsSchema, SENDS_PER_ADVICE } from './send-details.ts';
import type { CommissionedService, SendDecision } from './where-to-send.ts';

const URL = 'https://mortar.example';
const leeds: CommissionedService = {
  organisationId: 'o1',
  name: 'Leeds Stop Smoking Service',
  onMortar: true,
  contact: { phone: '0113 496 0000', email: null, website: 'https://leeds.example', openingTimes: null },
};

test('a service in Mortar: its name, its number, and the self-referral', () => {
  const d: SendDecision = {
    kind: 'refer_in_mortar',
    nation: 'england',
    localAuthorityCode: 'E08000035',
    service: leeds,
  };
  const p = detailsMessage(d, URL);
  assert.deepEqual(p, {
    service_name: 'Leeds Stop Smoking Service',
    contact: 'Call them on 0113 496 0000',
    link: `${URL}/self-referral`,
  });
  const t = TEMPLATES.self_referral_link;
  assert.equal(
    fillTemplate(t.sms!, p),
    'When you are ready, free support to stop smoking is available from Leeds Stop Smoking Service. Call them on 0113 496 0000. Or ask online: https://mortar.example/self-referral',
  );
  assert.doesNotMatch(fillTemplate(t.email, p), /\(\([a-z_]+\)\)/);
});

test('a service not on Mortar, Wales, and no postcode each get the right details', () => {
  const direct: SendDecision = {
    kind: 'contact_directly',
    nation: 'england',
    localAuthorityCode: 'E1',
    service: { ...leeds, onMortar: false, contact: { ...leeds.contact, phone: null } },
    helpline: SMOKEFREE_NATIONAL_HELPLINE,
  };
  assert.deepEqual(detailsMessage(direct, URL), {
    service_name: 'Leeds Stop Smoking Service',
    contact: 'Visit https://leeds.example',
    link: `${URL}/find-support`,
  });
  const wales: SendDecision = {
    kind: 'national_service',
    nation: 'wales',
    localAuthorityCode: null,
    service: HELP_ME_QUIT,
  };
  assert.deepEqual(detailsMessage(wales, URL), {
    service_name: 'Help Me Quit',
    contact: 'Call free on 0800 085 2219',
    link: 'https://www.helpmequit.wales',
  });
  const helpline = {
    service_name: 'National Smokefree Helpline',
    contact: 'Call free on 0300 123 1044',
    link: `${URL}/find-support`,
  };
  assert.deepEqual(detailsMessage(null, URL), helpline);
  assert.deepEqual(detailsMessage({ kind: 'unknown_postcode' }, URL), helpline);
  assert.deepEqual(detailsMessage({ kind: 'outside_britain', outside: 'northern_ireland' }, URL), helpline);
});

test('the details may be sent only after a declined referral, soon after, and not over and over', () => {
  const recordedAt = new Date('2027-03-01T10:00:00Z');
  const at = (h: number) => new Date(recordedAt.getTime() + h * 3_600_000);
  const ok = { outcome: 'declined', recordedAt, now: at(1), sentBefore: 0 };
  assert.equal(mayNotSend(ok), null);
  assert.equal(mayNotSend({ ...ok, outcome: 'referred' }), 'not_declined');
  assert.equal(mayNotSend({ ...ok, outcome: 'signposted' }), 'not_declined');
  assert.equal(mayNotSend({ ...ok, now: at(24) }), null);
  assert.equal(mayNotSend({ ...ok, now: at(24.01) }), 'too_late');
  assert.equal(mayNotSend({ ...ok, sentBefore: SENDS_PER_ADVICE - 1 }), null);
  assert.equal(mayNotSend({ ...ok, sentBefore: SENDS_PER_ADVICE }), 'sent_enough');
});

test('a text needs a mobile; an email a real address; the person must have asked', () => {
  const parse = (body: Record<string, string>) => SendDetailsSchema.safeParse(body);
  const fields = (body: Record<string, string>) => {
    const r = parse(body);
    return r.success ? [] : r.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
  };
  assert.deepEqual(fields({ how: 'sms', phone: '07700 900982', email: '', postcode: '', agreed: 'yes' }), []);
  assert.deepEqual(fields({ how: 'sms', phone: '0113 496 0000', agreed: 'yes' }), [
    'phone: Enter a UK mobile number that can get texts, like 07700 900 982',
  ]);
  assert.deepEqual(fields({ how: 'sms', phone: '', agreed: 'yes' }), ['phone: Enter their mobile number']);
  assert.deepEqual(fields({ how: 'email', email: 'nope', agreed: 'yes' }), [
    'email: Enter an email address in the correct format, like name@example.com',
  ]);
  assert.deepEqual(fields({ how: 'email', email: 'sam@example.com', postcode: 'zz', agreed: 'yes' }), [
    'postcode: Enter a real postcode, like LS1 4AP',
  ]);
  assert.deepEqual(fields({}), [
    'how: Select how to send them the details',
    'agreed: Confirm that they asked for the details',
  ]);
  const r = parse({ how: 'email', email: ' sam@example.com ', postcode: 'ls6 1an', agreed: 'yes' });
  assert.ok(r.success);
  assert.equal(r.data.email, 'sam@example.com');
  assert.equal(r.data.postcode, 'LS6 1AN');
});
