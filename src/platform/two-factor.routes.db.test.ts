import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateSync } from 'otplib';
import { buildTestApp, DEMO_PASSWORD, type TestApp } from '../../test/helpers/test-app.ts';
import { HttpSession, signIn } from '../../test/helpers/http-session.ts';
import { hashPassword } from './passwords.ts';

// Two-factor sign-in through HTTP: set-up with the secret from the page, the second step, codes used
// once, recovery codes, administrators made to set it up, the throttle, and turning it off.

let t: TestApp;
let leeds: string;
before(async () => {
  t = await buildTestApp({ demo: true });
  leeds = (
    await t.db
      .selectFrom('users')
      .select('organisation_id')
      .where('email', '=', 'admin@demo.test')
      .executeTakeFirstOrThrow()
  ).organisation_id;
});
after(() => t?.close());

/** An account that is not a demonstration one, so nothing exempts it. */
async function newUser(email: string, role: 'administrator' | 'adviser' | 'national_administrator') {
  await t.db
    .insertInto('users')
    .values({
      email,
      name: 'Pat Jones',
      role,
      organisation_id: leeds,
      password_hash: await hashPassword(DEMO_PASSWORD),
    })
    .execute();
}

const STEP = 30_000;
/** The code an app would show `steps` steps after the app's clock (which stands still in tests). */
const codeFor = (secret: string, steps = 0) =>
  generateSync({ secret, epoch: Math.floor((t.clock.now().getTime() + steps * STEP) / 1000) });
/**
 * A code the app would show some minutes from now, which is not one of the codes accepted now (one step of
 * drift either way): a real code, but wrong. By chance (3 in a million) the code of a later step can be the
 * same six digits as one accepted now, so such a step is passed over.
 */
const wrongCode = (secret: string) => {
  const acceptedNow = [-1, 0, 1].map((steps) => codeFor(secret, steps));
  for (let steps = 5; ; steps++)
    if (!acceptedNow.includes(codeFor(secret, steps))) return codeFor(secret, steps);
};
const secretOn = (html: string) => /id="secret">([A-Z2-7 ]+)</.exec(html)?.[1]?.replace(/ /g, '') ?? '';
const recoveryCodesOn = (html: string) =>
  [...html.matchAll(/<li><code>([a-z2-9-]+)<\/code><\/li>/g)].map((m) => m[1]!);

async function passwordStep(email: string, s = new HttpSession(t.app)) {
  const res = await s.post('/sign-in', { email, password: DEMO_PASSWORD }, { from: '/sign-in' });
  return { s, res };
}

async function auditDetails(email: string) {
  const rows = await t.db
    .selectFrom('audit_events as a')
    .innerJoin('users as u', 'u.id', 'a.actor_user_id')
    .select('a.detail')
    .where('u.email', '=', email)
    .where('a.entity_type', '=', 'user')
    .orderBy('a.id')
    .execute();
  return rows.map((r) => r.detail);
}

describe('an administrator without two factors', () => {
  const email = 'pat.admin@leeds.example';
  let secret = '';
  let recovery: string[] = [];
  before(() => newUser(email, 'administrator'));

  test('is sent to set it up after the password, with no session until it is done', async () => {
    const { s, res } = await passwordStep(email);
    assert.equal(res.statusCode, 303);
    assert.match(String(res.headers.location), /^\/sign-in\/set-up\?returnTo=/);
    assert.equal(s.signedIn, false);
    const account = await s.get('/account');
    assert.equal(account.statusCode, 303);
    assert.match(String(account.headers.location), /^\/sign-in/);

    const page = await s.get('/sign-in/set-up');
    assert.equal(page.statusCode, 200);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.match(page.body, /src="data:image\/svg\+xml;base64,/);
    secret = secretOn(page.body);
    assert.equal(secret.length, 32);
    const again = await s.get('/sign-in/set-up');
    assert.equal(secretOn(again.body), secret, 'the same secret when the page is loaded again');

    const wrong = await s.post('/sign-in/set-up', {
      code: wrongCode(secret),
    });
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /nhsuk-error-summary/);
    assert.equal(s.signedIn, false);

    const done = await s.post('/sign-in/set-up', { code: codeFor(secret) });
    assert.equal(done.statusCode, 200);
    assert.ok(s.signedIn);
    recovery = recoveryCodesOn(done.body);
    assert.equal(recovery.length, 10);
    assert.equal((await s.get('/account')).statusCode, 200);
    assert.deepEqual(await auditDetails(email), ['turned two-factor sign-in on']);
  });

  test('the secret is sealed in the database and never shown again', async () => {
    const row = await t.db.selectFrom('user_two_factor').selectAll().executeTakeFirstOrThrow();
    assert.ok(!row.secret_sealed.includes(secret));
    const s = await signInWithCode(email, secret, 1);
    const page = await s.get('/account/two-factor');
    assert.equal(page.statusCode, 303);
    assert.doesNotMatch((await s.get('/account')).body, new RegExp(secret));
    const stored = await t.db.selectFrom('two_factor_recovery_codes').select('code_hash').execute();
    assert.ok(stored.every((r) => !recovery.some((c) => r.code_hash.includes(c))));
  });

  async function signInWithCode(e: string, sec: string, steps: number) {
    const { s, res } = await passwordStep(e);
    assert.match(String(res.headers.location), /^\/sign-in\/code/);
    assert.equal(s.signedIn, false);
    const ok = await s.post(
      '/sign-in/code',
      { code: codeFor(sec, steps) },
      { from: String(res.headers.location) },
    );
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 300));
    assert.ok(s.signedIn);
    return s;
  }

  test('then signs in with a code, each code once only (one step of drift allowed)', async () => {
    // Step 1 was used above; step -1 is older than it, and step 1 again is a replay.
    for (const steps of [1, -1]) {
      const { s, res } = await passwordStep(email);
      const replay = await s.post(
        '/sign-in/code',
        { code: codeFor(secret, steps) },
        { from: String(res.headers.location) },
      );
      assert.equal(replay.statusCode, 401, `step ${steps}`);
      assert.match(replay.body, /The code you entered is not right/);
      assert.equal(s.signedIn, false);
    }
    const { s, res } = await passwordStep(email);
    const tooFar = await s.post(
      '/sign-in/code',
      { code: codeFor(secret, 2) },
      { from: String(res.headers.location) },
    );
    assert.equal(tooFar.statusCode, 401, 'two steps ahead is beyond the drift allowed');
  });

  test('a recovery code signs in once, and is audited', async () => {
    const code = recovery[0]!.toUpperCase();
    const { s, res } = await passwordStep(email);
    const ok = await s.post('/sign-in/code', { code }, { from: String(res.headers.location) });
    assert.equal(ok.statusCode, 303);
    assert.ok(s.signedIn);
    assert.equal(ok.headers.location, '/account');
    assert.match((await s.get('/account')).body, /You have 9 left/);
    const second = await passwordStep(email);
    const used = await second.s.post(
      '/sign-in/code',
      { code },
      { from: String(second.res.headers.location) },
    );
    assert.equal(used.statusCode, 401);
    assert.ok((await auditDetails(email)).includes('signed in with a recovery code'));
  });

  test('cannot turn it off', async () => {
    // The clock stands still, so every code near it has been used: a recovery code instead.
    const p = await passwordStep(email);
    const s = p.s;
    await s.post('/sign-in/code', { code: recovery[2]! }, { from: '/sign-in/code' });
    assert.ok(s.signedIn);
    assert.doesNotMatch((await s.get('/account')).body, /turn-off/);
    assert.equal((await s.get('/account/two-factor/turn-off')).statusCode, 303);
    const res = await s.post('/account/two-factor/turn-off', { password: DEMO_PASSWORD, code: recovery[1]! });
    assert.equal(res.statusCode, 303);
    assert.equal(
      await t.db.selectFrom('user_two_factor').select('user_id').executeTakeFirst().then(Boolean),
      true,
    );
  });
});

describe('wrong codes', () => {
  const email = 'sam.admin@leeds.example';
  test('count in the sign-in throttle, which a right password does not clear', async () => {
    await newUser(email, 'national_administrator');
    const { s } = await passwordStep(email);
    const page = await s.get('/sign-in/set-up');
    const secret = secretOn(page.body);
    await s.post('/sign-in/set-up', { code: codeFor(secret) });
    const wrong = wrongCode(secret);
    const statuses: number[] = [];
    const browser = new HttpSession(t.app);
    for (let i = 0; i < 3; i++) {
      // A fresh password each time: its right answer must not make the codes' count start again.
      const p = await passwordStep(email, browser);
      for (let j = 0; j < 2; j++) {
        const r = await p.s.post('/sign-in/code', { code: wrong }, { from: '/sign-in/code' });
        statuses.push(r.statusCode);
      }
    }
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
    const p = await passwordStep(email, browser);
    const right = await p.s.post('/sign-in/code', { code: codeFor(secret, 1) }, { from: '/sign-in/code' });
    assert.equal(right.statusCode, 429, 'even a right code waits');
    assert.match(right.body, /wrong code too many times/);
  });
});

describe('anyone else', () => {
  test('the demonstration administrators sign in with a password alone outside production', async () => {
    const s = await signIn(t.app, 'admin@demo.test');
    assert.match((await s.get('/account')).body, /Administrators must use a code/);
    await signIn(t.app, 'national.admin@demo.test');
  });

  test('turns it on from the account page, is asked for a code, and turns it off with password and code', async () => {
    const email = 'alex.adviser@leeds.example';
    await newUser(email, 'adviser');
    const s = await signIn(t.app, email);
    assert.match((await s.get('/account')).body, /Set up two-factor sign-in/);
    const secret = secretOn((await s.get('/account/two-factor')).body);
    const on = await s.post('/account/two-factor', { code: codeFor(secret) });
    assert.equal(on.statusCode, 200);
    assert.equal(recoveryCodesOn(on.body).length, 10);

    const { s: next, res } = await passwordStep(email);
    assert.match(String(res.headers.location), /^\/sign-in\/code/);
    const signedIn = await next.post(
      '/sign-in/code',
      { code: codeFor(secret, 1) },
      { from: '/sign-in/code' },
    );
    assert.equal(signedIn.statusCode, 303);
    assert.match((await next.get('/account')).body, /Turn off two-factor sign-in/);

    const badPassword = await next.post('/account/two-factor/turn-off', {
      password: 'not-the-password',
      code: '123456',
    });
    assert.equal(badPassword.statusCode, 400);
    assert.match(badPassword.body, /Your password is not right/);
    const noCode = await next.post('/account/two-factor/turn-off', { password: DEMO_PASSWORD, code: '' });
    assert.equal(noCode.statusCode, 400);
    assert.match(noCode.body, /Enter the 6-digit code/);
    const off = await next.post('/account/two-factor/turn-off', {
      password: DEMO_PASSWORD,
      code: recoveryCodesOn(on.body)[0]!,
    });
    assert.equal(off.statusCode, 303);
    assert.equal((await passwordStep(email)).res.headers.location, '/');
    assert.deepEqual(await auditDetails(email), [
      'turned two-factor sign-in on',
      'signed in with a recovery code',
      'turned two-factor sign-in off',
    ]);
  });
});

describe('new recovery codes, and an administrator resetting someone’s two factors', () => {
  const email = 'lee.adviser@leeds.example';
  let secret = '';
  let oldCodes: string[] = [];
  let s: HttpSession;
  before(async () => {
    await newUser(email, 'adviser');
    s = (await passwordStep(email)).s;
    secret = secretOn((await s.get('/account/two-factor')).body);
    oldCodes = recoveryCodesOn((await s.post('/account/two-factor', { code: codeFor(secret) })).body);
    assert.equal(oldCodes.length, 10);
  });

  test('someone with two factors on makes new recovery codes with a code; the old ones stop working', async () => {
    assert.match((await s.get('/account')).body, /href="\/account\/two-factor\/recovery-codes"/);
    const form = await s.get('/account/two-factor/recovery-codes');
    assert.equal(form.statusCode, 200);
    const wrong = await s.post('/account/two-factor/recovery-codes', { code: '12345' });
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /nhsuk-error-summary/);
    const made = await s.post('/account/two-factor/recovery-codes', { code: codeFor(secret, 1) });
    assert.equal(made.statusCode, 200);
    assert.equal(made.headers['cache-control'], 'no-store');
    const fresh = recoveryCodesOn(made.body);
    assert.equal(fresh.length, 10);
    assert.ok(fresh.every((c) => !oldCodes.includes(c)));
    assert.ok((await auditDetails(email)).includes('made new recovery codes'));

    const { s: next, res } = await passwordStep(email);
    const old = await next.post(
      '/sign-in/code',
      { code: oldCodes[0]! },
      { from: String(res.headers.location) },
    );
    assert.equal(old.statusCode, 401, 'an old recovery code no longer works');
    const ok = await next.post('/sign-in/code', { code: fresh[0]! });
    assert.equal(ok.statusCode, 303);
    assert.ok(next.signedIn);
  });

  test('an administrator resets it for someone in their organisation, audited; never their own or another organisation’s', async () => {
    const admin = await signIn(t.app, 'admin@demo.test');
    const id = async (e: string) =>
      (await t.db.selectFrom('users').select('id').where('email', '=', e).executeTakeFirstOrThrow()).id;
    const other = await admin.post(
      `/admin/users/${await id('adviser.manchester@demo.test')}/two-factor/reset`,
      {},
      { from: '/admin/users' },
    );
    assert.equal(other.statusCode, 404);
    const own = await admin.post(`/admin/users/${await id('admin@demo.test')}/two-factor/reset`);
    assert.equal(own.statusCode, 400);

    const res = await admin.post(
      `/admin/users/${await id(email)}/two-factor/reset`,
      {},
      { from: '/admin/users' },
    );
    assert.equal(res.statusCode, 303);
    assert.equal(
      await t.db
        .selectFrom('user_two_factor')
        .select('user_id')
        .where('user_id', '=', await id(email))
        .executeTakeFirst(),
      undefined,
    );
    assert.equal(
      (
        await t.db
          .selectFrom('two_factor_recovery_codes')
          .select('id')
          .where('user_id', '=', await id(email))
          .execute()
      ).length,
      0,
    );
    const audited = await t.db
      .selectFrom('audit_events')
      .select(['detail', 'actor_user_id'])
      .where('entity_id', '=', await id(email))
      .where('detail', '=', 'reset two-factor sign-in')
      .execute();
    assert.deepEqual(audited, [
      { detail: 'reset two-factor sign-in', actor_user_id: await id('admin@demo.test') },
    ]);
    // Their next sign-in is with the password alone.
    const { s: after, res: signedIn } = await passwordStep(email);
    assert.equal(signedIn.headers.location, '/');
    assert.ok(after.signedIn);
  });
});
