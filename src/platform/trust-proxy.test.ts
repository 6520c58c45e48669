import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../config.ts';
import { fastifyTrustProxy, parseTrustProxy } from './trust-proxy.ts';

test('off by default, and off for false, no and 0', () => {
  for (const v of [undefined, '', 'false', 'no', '0', ' FALSE ']) assert.equal(parseTrustProxy(v), false);
});

test('a number of proxies, or their addresses and ranges', () => {
  assert.deepEqual(parseTrustProxy('1'), { hops: 1 });
  assert.deepEqual(parseTrustProxy('2'), { hops: 2 });
  assert.deepEqual(parseTrustProxy('10.0.0.1'), { addresses: ['10.0.0.1'] });
  assert.deepEqual(parseTrustProxy('10.0.0.0/8, 192.168.1.5 ,fd00::/8,loopback'), {
    addresses: ['10.0.0.0/8', '192.168.1.5', 'fd00::/8', 'loopback'],
  });
});

test('"true" is refused: it would believe whatever address a client writes in X-Forwarded-For', () => {
  for (const v of ['true', 'yes', 'TRUE']) assert.match(String(parseTrustProxy(v)), /number of proxies/);
});

test('anything else is refused, naming what is wrong', () => {
  assert.match(String(parseTrustProxy('11')), /at most 10/);
  assert.match(String(parseTrustProxy('10.0.0.0/33')), /"10.0.0.0\/33"/);
  assert.match(String(parseTrustProxy('proxy.example, 10.0.0.1')), /"proxy.example"/);
  assert.match(String(parseTrustProxy('10.0.0.1/8/1')), /not an address/);
  assert.match(String(parseTrustProxy('1.2.3')), /not an address/);
});

test('the configuration stops with TRUST_PROXY named when the value is wrong', () => {
  assert.throws(
    () => loadConfig({ NODE_ENV: 'test', TRUST_PROXY: 'true' }),
    (err: unknown) => err instanceof ConfigError && /TRUST_PROXY: .*number of proxies/.test(err.message),
  );
  assert.deepEqual(loadConfig({ NODE_ENV: 'test', TRUST_PROXY: '1' }).trustProxy, { hops: 1 });
  assert.equal(loadConfig({ NODE_ENV: 'test' }).trustProxy, false);
});

test('hops trust that many proxies nearest Mortar, whatever their address; addresses go to Fastify as they are', () => {
  const fn = fastifyTrustProxy({ hops: 2 });
  assert.equal(typeof fn, 'function');
  const trusts = fn as (address: string, hop: number) => boolean;
  assert.deepEqual(
    [0, 1, 2, 3].map((hop) => trusts('203.0.113.1', hop)),
    [true, true, false, false],
  );
  assert.deepEqual(fastifyTrustProxy({ addresses: ['10.0.0.0/8'] }), ['10.0.0.0/8']);
  assert.equal(fastifyTrustProxy(false), false);
});
