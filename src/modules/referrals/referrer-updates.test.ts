import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fillTemplate, TEMPLATES } from '../../platform/notify.ts';
import { STATUS_KINDS, type EventKind } from './referral-status.ts';
import {
  addressNow,
  eventsToEmail,
  REFERRER_UPDATE_EVENTS,
  updatePersonalisation,
  updateRecipients,
  type ReferrerAccount,
  type UpdateFacts,
} from './referrer-updates.ts';

const k = (...kinds: EventKind[]) => kinds.map((kind) => ({ kind }));
const referrer = (over: Partial<ReferrerAccount> = {}): ReferrerAccount => ({
  userId: 'u1',
  email: 'sam@gp.example',
  optedIn: true,
  active: true,
  inReferringOrganisation: true,
  ...over,
});
const facts = (over: Partial<UpdateFacts> = {}): UpdateFacts => ({
  source: 'staff',
  consentShareProgress: true,
  inbox: 'referrals@gp.example',
  referrer: referrer(),
  ...over,
});

test('accepted, declined and unable to contact are emailed each time; progress from treatment once', () => {
  assert.deepEqual(eventsToEmail(k('received'), k('accepted')), ['accepted']);
  assert.deepEqual(eventsToEmail(k('received'), k('declined')), ['declined']);
  assert.deepEqual(eventsToEmail(k('received'), k('contact_attempt', 'unable_to_contact')), [
    'unable_to_contact',
  ]);
  assert.deepEqual(
    eventsToEmail(k('received', 'unable_to_contact', 'contacted'), k('contact_attempt', 'unable_to_contact')),
    ['unable_to_contact'],
    'unable to contact again after reaching them once is news again',
  );
  assert.deepEqual(eventsToEmail(k('received', 'accepted'), k('quit_date_set')), ['quit_date_set']);
  assert.deepEqual(
    eventsToEmail(k('received', 'accepted', 'quit_date_set'), k('quit_date_set')),
    [],
    'a changed quit date is not a second email',
  );
  assert.deepEqual(eventsToEmail(k('received', 'accepted', 'quit_date_set'), k('outcome_recorded')), [
    'outcome_recorded',
  ]);
  assert.deepEqual(
    eventsToEmail(k('received', 'accepted', 'quit_date_set', 'outcome_recorded'), k('outcome_recorded')),
    [],
    'a lost-to-follow-up outcome replaced later is not a second email',
  );
  for (const kind of [
    'received',
    'contacted',
    'contact_attempt',
    'details_corrected',
    'closed',
    'withdrawn',
  ] as const)
    assert.deepEqual(eventsToEmail(k('received'), k(kind)), [], kind);
});

test('only events a referrer is told of are ever emailed, at most once each per change', () => {
  const kind = fc.constantFrom<EventKind>(...STATUS_KINDS, 'contact_attempt', 'details_corrected');
  fc.assert(
    fc.property(fc.array(kind, { maxLength: 8 }), fc.array(kind, { maxLength: 4 }), (earlier, appended) => {
      const out = eventsToEmail(k(...earlier), k(...appended));
      assert.equal(new Set(out).size, out.length);
      for (const e of out) {
        assert.ok((REFERRER_UPDATE_EVENTS as readonly string[]).includes(e));
        assert.ok(appended.includes(e));
      }
    }),
  );
});

test('the shared inbox and the referrer who opted in are each emailed', () => {
  assert.deepEqual(updateRecipients(facts()), [{ kind: 'organisation' }, { kind: 'user', userId: 'u1' }]);
  assert.deepEqual(updateRecipients(facts({ inbox: null })), [{ kind: 'user', userId: 'u1' }]);
  assert.deepEqual(updateRecipients(facts({ referrer: referrer({ optedIn: false }) })), [
    { kind: 'organisation' },
  ]);
  assert.deepEqual(updateRecipients(facts({ referrer: null, source: 'api' })), [{ kind: 'organisation' }]);
  assert.deepEqual(updateRecipients(facts({ inbox: null, referrer: referrer({ active: false }) })), []);
  assert.deepEqual(
    updateRecipients(facts({ inbox: null, referrer: referrer({ inReferringOrganisation: false }) })),
    [],
  );
});

test('nobody is emailed without consent to share progress, or about a self-referral', () => {
  assert.deepEqual(updateRecipients(facts({ consentShareProgress: false })), []);
  assert.deepEqual(updateRecipients(facts({ source: 'self', referrer: null })), []);
  assert.deepEqual(addressNow({ kind: 'organisation' }, facts({ consentShareProgress: false })), {
    skip: 'no consent to share progress',
  });
});

test('the same address gets one email, however it is written', () => {
  const same = facts({ inbox: ' Sam@GP.example ', referrer: referrer({ email: 'sam@gp.example' }) });
  assert.deepEqual(updateRecipients(same), [{ kind: 'organisation' }]);
  assert.deepEqual(addressNow({ kind: 'user', userId: 'u1' }, same), {
    skip: 'same address as the shared inbox',
  });
  const address = fc.constantFrom('a@x.example', 'A@x.example', 'b@x.example', null);
  fc.assert(
    fc.property(address, address, fc.boolean(), (inbox, email, optedIn) => {
      const f = facts({ inbox, referrer: email ? referrer({ email, optedIn }) : null });
      const to = updateRecipients(f).map((r) => addressNow(r, f));
      const addresses = to.map((t) =>
        'to' in t ? t.to.trim().toLowerCase() : assert.fail('planned but skipped'),
      );
      assert.equal(new Set(addresses).size, addresses.length);
    }),
  );
});

test('when it is sent, the address is read again and a change is honoured', () => {
  assert.deepEqual(addressNow({ kind: 'organisation' }, facts()), { to: 'referrals@gp.example' });
  assert.deepEqual(addressNow({ kind: 'organisation' }, facts({ inbox: null })), { skip: 'no shared inbox' });
  const user = { kind: 'user', userId: 'u1' } as const;
  assert.deepEqual(addressNow(user, facts()), { to: 'sam@gp.example' });
  assert.deepEqual(addressNow(user, facts({ referrer: referrer({ optedIn: false }) })), {
    skip: 'referrer turned updates off',
  });
  assert.deepEqual(addressNow(user, facts({ referrer: referrer({ active: false }) })), {
    skip: 'account closed',
  });
  assert.deepEqual(addressNow(user, facts({ referrer: referrer({ inReferringOrganisation: false }) })), {
    skip: 'referrer moved organisation',
  });
  assert.deepEqual(addressNow({ kind: 'user', userId: 'u2' }, facts()), { skip: 'not the referrer' });
});

test('the email names the referral, the service and what happened, never the person or their health', () => {
  const base = {
    reference: 'MOR-000123',
    service: { name: 'Leeds Stop Smoking Service', phone: '0113 496 0000' },
    sentOn: '2027-03-01',
    link: 'https://mortar.example/referrals/abc',
  };
  const p = updatePersonalisation({ ...base, event: 'unable_to_contact' });
  const t = TEMPLATES.referrer_update;
  assert.equal(
    fillTemplate(t.subject, p),
    'Referral MOR-000123: the service has not been able to reach them',
  );
  const body = fillTemplate(t.email, p);
  assert.match(body, /Referral MOR-000123, sent to Leeds Stop Smoking Service on 1 March 2027/);
  assert.match(body, /ask them to answer a call from Leeds Stop Smoking Service \(0113 496 0000\)\./);
  assert.match(body, /https:\/\/mortar\.example\/referrals\/abc/);
  assert.doesNotMatch(body, /\(\([a-z_]+\)\)/, 'every placeholder filled');
  for (const event of REFERRER_UPDATE_EVENTS) {
    const text = fillTemplate(t.email, updatePersonalisation({ ...base, event }));
    assert.doesNotMatch(text, /\(\([a-z_]+\)\)/, event);
    // The outcome, the quit date and the reason for a decline stay on the referral's page.
    assert.doesNotMatch(
      text,
      /not quit|quit at 4 weeks|lost to follow-up|CO-verified|smoked|\d{1,2} (April|May)/i,
      event,
    );
  }
  assert.match(
    fillTemplate(
      t.email,
      updatePersonalisation({ ...base, event: 'unable_to_contact', service: { name: 'X', phone: null } }),
    ),
    /answer a call from X\./,
  );
});
