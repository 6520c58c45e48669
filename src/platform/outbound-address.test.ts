// Server-side request forgery: which addresses and URLs a webhook may be sent to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOutboundUrl, isPublicAddress } from './outbound-address.ts';

test('loopback, private, link-local, shared, reserved and multicast addresses are not public', () => {
  for (const ip of [
    '127.0.0.1',
    '127.255.0.9',
    '0.0.0.0',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '192.0.2.10',
    '198.18.0.1',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    'fd12:3456::1',
    'fe80::1',
    'ff02::1',
    '64:ff9b::a00:1',
    '2002:7f00:1::',
    '2001:db8::1',
    'not-an-ip',
  ])
    assert.equal(isPublicAddress(ip), false, ip);
});

test('public unicast addresses are public', () => {
  for (const ip of [
    '8.8.8.8',
    '51.140.1.1',
    '172.32.0.1',
    '100.128.0.1',
    '2a00:1450:4009:81f::200e',
    '::ffff:8.8.8.8',
  ])
    assert.equal(isPublicAddress(ip), true, ip);
});

test('in production a webhook must be https to a public name or address', () => {
  const refused = (url: string) => {
    const r = checkOutboundUrl(url, { allowPrivate: false });
    return r.ok ? null : r.reason;
  };
  assert.equal(refused('https://receiver.example.org/hooks/mortar'), null);
  assert.equal(refused('https://8.8.8.8/hook'), null);
  assert.match(refused('http://receiver.example.org/hook')!, /https/);
  assert.match(refused('http://localhost:8080/hook')!, /https/);
  for (const url of [
    'https://localhost/hook',
    'https://api.localhost/hook',
    'https://printer.local/hook',
    'https://metadata.google.internal/computeMetadata',
    'https://intranet/hook',
    'https://127.0.0.1/hook',
    'https://2130706433/hook',
    'https://0x7f.1/hook',
    'https://[::1]/hook',
    'https://[::ffff:127.0.0.1]/hook',
    'https://169.254.169.254/latest/meta-data',
    'https://10.0.0.5/hook',
  ])
    assert.match(refused(url) ?? 'accepted', /public internet/, url);
  assert.match(refused('https://user:pass@receiver.example.org/')!, /user name or password/);
  assert.match(refused('https://receiver.example.org/#x')!, /# part/);
  assert.match(refused('receiver.example.org/hook')!, /full web address/);
  assert.match(refused('ftp://receiver.example.org/')!, /https/);
});

test('in development and tests, http and local addresses are allowed', () => {
  assert.equal(checkOutboundUrl('http://localhost:8080/hook', { allowPrivate: true }).ok, true);
  assert.equal(checkOutboundUrl('http://127.0.0.1:9/hook', { allowPrivate: true }).ok, true);
  assert.equal(checkOutboundUrl('ftp://localhost/', { allowPrivate: true }).ok, false);
});
