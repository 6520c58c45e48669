import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { generateSync } from 'otplib';
import {
  checkTotp,
  newRecoveryCode,
  newRecoveryCodes,
  recoveryCodeOf,
  secondStep,
  secretInGroups,
  totpCodeOf,
  totpUri,
} from './two-factor.ts';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const T0 = new Date('2025-06-02T09:00:10Z');
const STEP0 = Math.floor(T0.getTime() / 30_000);
const codeAt = (step: number) => generateSync({ secret: SECRET, epoch: step * 30 });
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

test('a code is right in its own step and one step either side, and in no other', () => {
  for (const [offset, ok] of [
    [-3, false],
    [-2, false],
    [-1, true],
    [0, true],
    [1, true],
    [2, false],
    [3, false],
  ] as const) {
    const r = checkTotp({ secret: SECRET, code: codeAt(STEP0 + offset), now: T0, lastTimeStep: null });
    assert.equal(r.ok, ok, `step ${offset}`);
    if (r.ok) assert.equal(r.timeStep, STEP0 + offset);
  }
});

test('a code is never accepted twice: not its own step again, nor any step before the last accepted', () => {
  const first = checkTotp({ secret: SECRET, code: codeAt(STEP0), now: T0, lastTimeStep: null });
  assert.ok(first.ok);
  const again = checkTotp({ secret: SECRET, code: codeAt(STEP0), now: at(5), lastTimeStep: STEP0 });
  assert.equal(again.ok, false);
  const older = checkTotp({ secret: SECRET, code: codeAt(STEP0 - 1), now: at(5), lastTimeStep: STEP0 });
  assert.equal(older.ok, false);
  const next = checkTotp({ secret: SECRET, code: codeAt(STEP0 + 1), now: at(30), lastTimeStep: STEP0 });
  assert.deepEqual(next, { ok: true, timeStep: STEP0 + 1 });
});

test('codes are 6 digits; spaces and dashes people type are ignored', () => {
  assert.equal(totpCodeOf(' 123 456 '), '123456');
  assert.equal(totpCodeOf('123-456'), '123456');
  for (const bad of ['', '12345', '1234567', 'abcdef', '12345x']) assert.equal(totpCodeOf(bad), null);
  const typed = codeAt(STEP0).replace(/(...)/, '$1 ');
  assert.equal(checkTotp({ secret: SECRET, code: typed, now: T0, lastTimeStep: null }).ok, true);
});

test('any wrong 6 digits are refused (property)', () => {
  const right = new Set([-1, 0, 1].map((d) => codeAt(STEP0 + d)));
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 999_999 }), (n) => {
      const code = String(n).padStart(6, '0');
      fc.pre(!right.has(code));
      return !checkTotp({ secret: SECRET, code, now: T0, lastTimeStep: null }).ok;
    }),
  );
});

test('who owes what after the password: administrators must set up; demonstration accounts only outside production', () => {
  const admin = { role: 'administrator' as const, email: 'a@leeds.example', enabled: false };
  assert.equal(secondStep({ ...admin, production: false }), 'set-up');
  assert.equal(secondStep({ ...admin, role: 'national_administrator', production: true }), 'set-up');
  assert.equal(secondStep({ ...admin, email: 'admin@demo.test', production: false }), 'none');
  assert.equal(secondStep({ ...admin, email: 'Admin@Demo.Test', production: true }), 'set-up');
  assert.equal(secondStep({ ...admin, email: 'admin@demo.test.evil.example', production: false }), 'set-up');
  assert.equal(secondStep({ ...admin, role: 'adviser', production: true }), 'none');
  assert.equal(secondStep({ ...admin, role: 'adviser', enabled: true, production: false }), 'code');
  assert.equal(secondStep({ ...admin, email: 'admin@demo.test', enabled: true, production: false }), 'code');
});

test('recovery codes: ten, all different, typed back in any case with or without dashes', () => {
  const codes = newRecoveryCodes();
  assert.equal(codes.length, 10);
  assert.equal(new Set(codes).size, 10);
  for (const c of codes) {
    assert.match(c, /^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    assert.equal(recoveryCodeOf(c.toUpperCase().replace(/-/g, ' ')), c.replace(/-/g, ''));
  }
  assert.equal(recoveryCodeOf('123456'), null);
  assert.equal(recoveryCodeOf('abcd-efgh-jkmn-pqr0'), null, 'no zero in the alphabet');
  // A source that repeats itself still gives ten different codes.
  let n = 0;
  const codesFromRepeats = newRecoveryCodes(() => Math.floor(n++ / 16) % 31);
  assert.equal(new Set(codesFromRepeats).size, 10);
  assert.equal(
    newRecoveryCode(() => 0),
    'aaaa-aaaa-aaaa-aaaa',
  );
});

test('the set-up address and the secret as text', () => {
  assert.equal(
    totpUri(SECRET, 'admin@leeds.example'),
    `otpauth://totp/Mortar:admin%40leeds.example?secret=${SECRET}&issuer=Mortar`,
  );
  assert.equal(secretInGroups('ABCDEFGHIJ'), 'ABCD EFGH IJ');
});
