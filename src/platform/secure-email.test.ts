import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkSecureAddress, isDomainName } from './secure-email.ts';

const NHS = ['nhs.net'];

test('an NHSmail address is accepted, its domain in lower case and its local part as typed', () => {
  assert.deepEqual(checkSecureAddress('  Ana.Rees2@NHS.net ', NHS), {
    ok: true,
    address: 'Ana.Rees2@nhs.net',
  });
  assert.deepEqual(checkSecureAddress('team-leeds+gp@nhs.net', NHS), {
    ok: true,
    address: 'team-leeds+gp@nhs.net',
  });
});

test('a domain that only looks like a secure one is refused, as are other domains', () => {
  for (const a of [
    'ana@gmail.com',
    'ana@nhs.uk',
    'ana@evil-nhs.net',
    'ana@nhs.net.example.com',
    'ana@x.nhs.net',
    'ana@nhs.net.',
    'ana@nhs.nett',
  ]) {
    const r = checkSecureAddress(a, NHS);
    assert.equal(r.ok, false, a);
  }
  assert.match(
    (checkSecureAddress('ana@gmail.com', NHS) as { error: string }).error,
    /secure email address ending in @nhs\.net/,
  );
});

test('anything but one plain address is refused: names, lists, comments, spaces, non-ASCII look-alikes', () => {
  for (const a of [
    'Ana Rees <ana@nhs.net>',
    'ana@nhs.net, bob@nhs.net',
    'ana@nhs.net;bob@gmail.com',
    'ana(comment)@nhs.net',
    '"ana rees"@nhs.net',
    'ana rees@nhs.net',
    'ana@nhs.net\nbcc: x@gmail.com',
    'ana@nhѕ.net', // a Cyrillic ѕ
    'аna@nhs.net', // a Cyrillic а
    '@nhs.net',
    'ana@',
    'ana',
    '.ana@nhs.net',
    'ana..rees@nhs.net',
    `${'a'.repeat(65)}@nhs.net`,
  ]) {
    const r = checkSecureAddress(a, NHS);
    assert.equal(r.ok, false, JSON.stringify(a));
    assert.match((r as { error: string }).error, /correct format|ending in/, a);
  }
  assert.match(
    (checkSecureAddress('   ', NHS) as { error: string }).error,
    /Enter their secure email address/,
  );
});

test('the configured list is used as a whole, each domain exactly', () => {
  const domains = ['nhs.net', 'leeds.gov.uk'];
  assert.equal(checkSecureAddress('a@leeds.gov.uk', domains).ok, true);
  assert.equal(checkSecureAddress('a@gov.uk', domains).ok, false);
  assert.match(
    (checkSecureAddress('a@gmail.com', domains) as { error: string }).error,
    /ending in @nhs\.net or @leeds\.gov\.uk/,
  );
});

test('property: whatever is typed, an accepted address is on a listed domain and is a single plain address', () => {
  const domains = ['nhs.net', 'example.nhs.uk'];
  const piece = fc.stringMatching(/^[A-Za-z0-9.@+<>", ;()\-_\u0455]{0,12}$/);
  fc.assert(
    fc.property(
      piece,
      fc.constantFrom('', '@nhs.net', '@NHS.NET', '@example.nhs.uk', '.nhs.net', '@nhs.net.'),
      piece,
      (a, b, c) => {
        const r = checkSecureAddress(a + b + c, domains);
        if (!r.ok) return;
        const [local, domain, ...rest] = r.address.split('@');
        assert.equal(rest.length, 0);
        assert.ok(domains.includes(domain!), r.address);
        assert.match(local!, /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$/);
        assert.doesNotMatch(r.address, /[\s<>,;"()]/);
      },
    ),
    { numRuns: 2000 },
  );
});

test('configured domains must be domain names', () => {
  for (const d of ['nhs.net', 'leeds.gov.uk', 'a-b.nhs.uk']) assert.equal(isDomainName(d), true, d);
  for (const d of ['nhs', '.nhs.net', 'nhs..net', '-a.net', 'a_b.net', 'NHS.NET', 'nhs.net.'])
    assert.equal(isDomainName(d), false, d);
});
