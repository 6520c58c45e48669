import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  decideWhereToSend,
  notHeldMessage,
  outsideBritain,
  signpostOf,
  whereaboutsOf,
  type CommissionedService,
  type Whereabouts,
} from './where-to-send.ts';
import { HELP_ME_QUIT, QUIT_YOUR_WAY_SCOTLAND, SMOKEFREE_NATIONAL_HELPLINE } from './national-services.ts';
import type { Nation } from './national-services.ts';
import { translator } from '../../platform/translate.ts';

const LEEDS = 'E08000035';
const SHEFFIELD = 'E08000039';
const CARDIFF = 'W06000015';
const GLASGOW = 'S12000049';

const contact = { phone: '0114 496 0000', email: null, website: 'https://example.org', openingTimes: null };
const onMortar: CommissionedService = { organisationId: 'leeds', name: 'Leeds SSS', onMortar: true, contact };
const offMortar: CommissionedService = {
  ...onMortar,
  organisationId: 'sheffield',
  name: 'Sheffield SSS',
  onMortar: false,
};

const at = (nation: Nation, la: string | null): Whereabouts => ({
  known: true,
  nation,
  localAuthorityCode: la,
});

test('an authority whose service reads referrals in Mortar: the referral is held in Mortar', () => {
  const d = decideWhereToSend(at('england', LEEDS), onMortar);
  assert.equal(d.kind, 'refer_in_mortar');
  assert.equal(notHeldMessage(d, 'staff'), null);
  assert.equal(signpostOf(d), null);
});

test('an authority whose service does not use Mortar: its own details, never a referral', () => {
  const d = decideWhereToSend(at('england', SHEFFIELD), offMortar);
  assert.equal(d.kind, 'contact_directly');
  assert.deepEqual(signpostOf(d), { national: null, organisationId: 'sheffield' });
  assert.equal(
    notHeldMessage(d, 'staff'),
    'Sheffield SSS does not take referrals through Mortar: the person can call 0114 496 0000 or visit example.org',
  );
  assert.equal(
    notHeldMessage(d, 'person'),
    'We cannot send requests to Sheffield SSS. You can call 0114 496 0000 or visit example.org',
  );
});

test('a service not on Mortar with no contact details: the nation helpline is offered instead', () => {
  const bare = { ...offMortar, contact: { phone: null, email: null, website: null, openingTimes: null } };
  const d = decideWhereToSend(at('england', SHEFFIELD), bare);
  assert.match(notHeldMessage(d, 'person') ?? '', /call National Smokefree Helpline on 0300 123 1044/);
});

test('Wales gets Help Me Quit and Scotland Quit Your Way Scotland, with their numbers', () => {
  const wales = decideWhereToSend(at('wales', CARDIFF), undefined);
  assert.equal(wales.kind, 'national_service');
  assert.equal(wales.kind === 'national_service' && wales.service, HELP_ME_QUIT);
  assert.deepEqual(signpostOf(wales), { national: 'help_me_quit', organisationId: null });
  assert.match(
    notHeldMessage(wales, 'staff') ?? '',
    /in Wales\. .*Help Me Quit.*0800 085 2219.*www\.helpmequit\.wales/,
  );
  const scotland = decideWhereToSend(at('scotland', GLASGOW), undefined);
  assert.equal(scotland.kind === 'national_service' && scotland.service, QUIT_YOUR_WAY_SCOTLAND);
  assert.match(
    notHeldMessage(scotland, 'person') ?? '',
    /in Scotland\. .*Quit Your Way Scotland.*0800 84 84 84/,
  );
});

test('a Welsh or Scottish authority whose service reads referrals in Mortar is referred like any other', () => {
  assert.equal(decideWhereToSend(at('wales', CARDIFF), onMortar).kind, 'refer_in_mortar');
  assert.equal(decideWhereToSend(at('scotland', GLASGOW), offMortar).kind, 'contact_directly');
});

test('England with no service commissioned: the national helpline', () => {
  const d = decideWhereToSend(at('england', 'E08000003'), undefined);
  assert.equal(d.kind === 'no_service' && d.helpline, SMOKEFREE_NATIONAL_HELPLINE);
  assert.match(notHeldMessage(d, 'staff') ?? '', /0300 123 1044/);
  // A unit with no authority in the postcode table, and a service somehow without one, alike.
  assert.equal(decideWhereToSend(at('england', null), onMortar).kind, 'no_service');
  assert.equal(decideWhereToSend(at('wales', null), onMortar).kind, 'national_service');
});

test('Northern Ireland, the Isle of Man and the Channel Islands are outside, with a clear message', () => {
  for (const [text, outside] of [
    ['BT1 1AA', 'northern_ireland'],
    ['bt7', 'northern_ireland'],
    [' BT48 6DQ', 'northern_ireland'],
    ['IM1 1AA', 'crown_dependency'],
    ['GY1 1AA', 'crown_dependency'],
    ['JE2 3QN', 'crown_dependency'],
  ] as const) {
    const where = whereaboutsOf(text, null);
    assert.deepEqual(where, { known: false, outside }, text);
    const d = decideWhereToSend(where, onMortar);
    assert.equal(d.kind, 'outside_britain');
  }
  const ni = decideWhereToSend({ known: false, outside: 'northern_ireland' }, undefined);
  assert.match(notHeldMessage(ni, 'person') ?? '', /Northern Ireland\. .*England, Scotland and Wales/);
  assert.match(notHeldMessage(ni, 'staff') ?? '', /pharmacies and GP practices in Northern Ireland/);
});

test('postcodes in Britain that start like places outside it are not mistaken for them', () => {
  for (const text of ['B1 1AA', 'B29 6XE', 'TN1 1AA', 'G1 1XQ', 'JE', 'IMP', 'BT', '']) {
    assert.equal(outsideBritain(text), null, text);
  }
});

test('where a postcode is: the country first, the authority code second, unknown otherwise', () => {
  assert.deepEqual(
    whereaboutsOf('CF10 1EP', { localAuthorityCode: CARDIFF, countryCode: 'W92000004' }),
    at('wales', CARDIFF),
  );
  assert.deepEqual(
    whereaboutsOf('CF10', { localAuthorityCode: CARDIFF, countryCode: null }),
    at('wales', CARDIFF),
  );
  assert.deepEqual(
    whereaboutsOf('G1', { localAuthorityCode: GLASGOW, countryCode: null }),
    at('scotland', GLASGOW),
  );
  assert.deepEqual(
    whereaboutsOf('N1P 1AA', { localAuthorityCode: null, countryCode: 'E92000001' }),
    at('england', null),
  );
  assert.deepEqual(whereaboutsOf('LS6', { localAuthorityCode: null, countryCode: null }), {
    known: false,
    outside: null,
  });
  assert.deepEqual(whereaboutsOf('ZZ1 1ZZ', null), { known: false, outside: null });
  assert.equal(decideWhereToSend(whereaboutsOf('ZZ1 1ZZ', null), onMortar).kind, 'unknown_postcode');
});

const nationArb = fc.constantFrom<Nation>('england', 'wales', 'scotland');
const contactArb = fc.record({
  phone: fc.option(fc.constantFrom('0114 496 0000', '01632 960000'), { nil: null }),
  email: fc.option(fc.constant('a@example.org'), { nil: null }),
  website: fc.option(fc.constant('https://example.org'), { nil: null }),
  openingTimes: fc.constant(null),
});
const serviceArb = fc.option(
  fc.record({
    organisationId: fc.uuid(),
    name: fc.constantFrom('A', 'B SSS'),
    onMortar: fc.boolean(),
    contact: contactArb,
  }),
  { nil: undefined },
);
const whereArb: fc.Arbitrary<Whereabouts> = fc.oneof(
  fc.record({
    known: fc.constant(true as const),
    nation: nationArb,
    localAuthorityCode: fc.option(fc.constantFrom(LEEDS, SHEFFIELD, CARDIFF, GLASGOW), { nil: null }),
  }),
  fc.record({
    known: fc.constant(false as const),
    outside: fc.constantFrom('northern_ireland' as const, 'crown_dependency' as const, null),
  }),
);

test('property: a referral is held in Mortar only for a known authority whose service reads it there', () => {
  fc.assert(
    fc.property(whereArb, serviceArb, (where, service) => {
      const d = decideWhereToSend(where, service);
      const held = d.kind === 'refer_in_mortar';
      assert.equal(held, where.known && where.localAuthorityCode !== null && service?.onMortar === true);
      if (held) assert.equal(d.service.organisationId, service?.organisationId);
    }),
  );
});

test('property: everyone not referred is told where to go, and the signpost names the service told', () => {
  fc.assert(
    fc.property(
      whereArb,
      serviceArb,
      fc.constantFrom('staff' as const, 'person' as const),
      (where, service, audience) => {
        const d = decideWhereToSend(where, service);
        const message = notHeldMessage(d, audience);
        assert.equal(message === null, d.kind === 'refer_in_mortar');
        const signpost = signpostOf(d);
        if (d.kind === 'contact_directly') {
          assert.equal(signpost?.organisationId, service?.organisationId);
          assert.ok(
            message?.includes(
              service?.contact.phone ?? service?.contact.website?.slice(8) ?? d.helpline.phone,
            ),
          );
        } else if (d.kind === 'national_service') {
          assert.equal(signpost?.national, d.service.code);
          assert.ok(message?.includes(d.service.phone) && message.includes(d.service.name));
          assert.notEqual(d.nation, 'england');
        } else {
          assert.equal(signpost, null);
        }
        // England's helpline is never what Wales or Scotland is given.
        if (where.known && where.nation !== 'england' && d.kind !== 'refer_in_mortar') {
          assert.ok(!message?.includes(SMOKEFREE_NATIONAL_HELPLINE.phone));
        }
      },
    ),
  );
});

test('a person told in Welsh: whole Welsh sentences, the nation with its mutation, a local service as entered', () => {
  const cy = translator('cy');
  const wales = decideWhereToSend(at('wales', CARDIFF), undefined);
  assert.equal(
    notHeldMessage(wales, 'person', cy),
    'Mae eich cod post yng Nghymru. Allwn ni ddim anfon ceisiadau at Helpa Fi i Stopio, gwasanaeth rhoi’r gorau i smygu am ddim GIG Cymru. Gallwch chi ffonio 0800 085 2219 neu fynd i www.helpafiistopio.cymru',
  );
  const scotland = decideWhereToSend(at('scotland', GLASGOW), undefined);
  assert.equal(
    notHeldMessage(scotland, 'person', cy),
    'Mae eich cod post yn yr Alban. Allwn ni ddim anfon ceisiadau at Quit Your Way Scotland, gwasanaeth rhoi’r gorau i smygu am ddim GIG yr Alban. Gallwch chi ffonio 0800 84 84 84 neu fynd i www.quityourway.scot',
  );
  const sheffield = decideWhereToSend(at('england', SHEFFIELD), offMortar);
  assert.equal(
    notHeldMessage(sheffield, 'person', cy),
    'Allwn ni ddim anfon ceisiadau at Sheffield SSS. Gallwch chi ffonio 0114 496 0000 neu fynd i example.org',
  );
  const bare = { ...offMortar, contact: { phone: null, email: null, website: null, openingTimes: null } };
  assert.match(
    notHeldMessage(decideWhereToSend(at('england', SHEFFIELD), bare), 'person', cy) ?? '',
    /Gallwch chi ffonio Llinell Gymorth Genedlaethol Smokefree ar 0300 123 1044$/,
  );
  // Staff are told in English whatever the page.
  assert.match(notHeldMessage(wales, 'staff', cy) ?? '', /^This postcode is in Wales\./);
});

test('property: every decision a person can be given has a Welsh message with no English sentence left', () => {
  const cy = translator('cy');
  const en = translator('en');
  const decisions = [
    decideWhereToSend({ known: false, outside: null }, undefined),
    decideWhereToSend({ known: false, outside: 'northern_ireland' }, undefined),
    decideWhereToSend({ known: false, outside: 'crown_dependency' }, undefined),
    decideWhereToSend(at('england', null), undefined),
  ];
  fc.assert(
    fc.property(
      fc.constantFrom<Nation>('england', 'wales', 'scotland'),
      fc.option(fc.constantFrom('0114 496 0000', '0800 111 2222'), { nil: null }),
      fc.option(fc.constantFrom('https://example.org', 'http://stop.example.gov.uk'), { nil: null }),
      fc.boolean(),
      (nation, phone, website, hasService) => {
        const service = hasService
          ? { ...offMortar, contact: { phone, email: null, website, openingTimes: null } }
          : undefined;
        for (const d of [...decisions, decideWhereToSend(at(nation, 'X1'), service)]) {
          const welsh = notHeldMessage(d, 'person', cy) ?? '';
          const english = notHeldMessage(d, 'person', en) ?? '';
          assert.notEqual(welsh, english);
          // Scotland's service has an English name of its own.
          const words = welsh.replace('Quit Your Way Scotland', '');
          assert.doesNotMatch(words, /\b(?:We|You|Your|This postcode|call|visit)\b/, welsh);
        }
      },
    ),
    { seed: 7, numRuns: 100 },
  );
});
