import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, seal } from './secret-box.ts';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const KEY = 'k'.repeat(32);

function sealedBytes(sealed: string): Buffer {
  return Buffer.from(sealed.slice('v1.'.length), 'base64url');
}

function sealedFrom(bytes: Buffer): string {
  return `v1.${bytes.toString('base64url')}`;
}

test('a sealed secret opens with its key and not with another', () => {
  const sealed = seal(SECRET, KEY);
  assert.ok(!sealed.includes(SECRET));
  assert.notEqual(seal(SECRET, KEY), sealed, 'a new nonce each time');
  assert.equal(open(sealed, KEY), SECRET);
  assert.equal(open(sealed, 'j'.repeat(32)), null);
});

test('a sealed secret with any one byte changed does not open', () => {
  // Changing bytes, not characters: the last base64 character carries spare bits, so changing it
  // can leave the bytes as they were.
  const bytes = sealedBytes(seal(SECRET, KEY));
  for (let at = 0; at < bytes.length; at++) {
    const changed = Buffer.from(bytes);
    changed[at] = changed[at]! ^ 0x01;
    assert.equal(open(sealedFrom(changed), KEY), null, `byte ${at} changed`);
  }
});

test('text that is not a sealed secret does not open', () => {
  const bytes = sealedBytes(seal(SECRET, KEY));
  for (const text of [
    'nonsense',
    '',
    'v1.',
    'v2.' + sealedFrom(bytes).slice(3),
    sealedFrom(bytes.subarray(0, 27)),
  ]) {
    assert.equal(open(text, KEY), null, text);
  }
  assert.equal(open(sealedFrom(bytes.subarray(0, bytes.length - 1)), KEY), null, 'one byte short');
});
