import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, DEMO_PASSWORD, type TestApp } from '../../test/helpers/test-app.ts';
import { anonymous, signIn, type HttpSession, type Response } from '../../test/helpers/http-session.ts';
import { LogNotifier, type SentMessage } from './notify.ts';
import {
  RESET_LINK_MINUTES,
  RESET_LINKS_PER_HOUR,
  requestPasswordReset,
  resetLinkUsable,
  resetPassword,
} from './password.service.ts';
import { hashToken } from './tokens.ts';

// Changing a password when signed in, and resetting a forgotten one by a link sent by email.

const PUBLIC_URL = 'https://mortar.example.nhs.uk';
const silent = { info: () => undefined, warn: () => undefined };
const outbox = new LogNotifier(silent, 1000);

let t: TestApp;
before(async () => {
  t = await buildTestApp({ demo: true, notifier: outbox, env: { PUBLIC_URL } });
});
after(() => t?.close());

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
/** The error summary's messages, keyed by the field each links to. */
const errors = (res: Response): Record<string, string> => {
  const start = res.body.indexOf('nhsuk-error-summary__list');
  if (start < 0) return {};
  const list = res.body.slice(start, res.body.indexOf('</ul>', start));
  return Object.fromEntries(
    [...list.matchAll(/<a href="#([^"]+)"[^>]*>\s*([^<]*?)\s*<\/a>/g)].map((m) => [
      m[1]!,
      m[2]!.replace(/&#39;/g, "'"),
    ]),
  );
};
/** Every value="" of a password input on the page: there must be none with anything in it. */
const typedPasswords = (html: string) =>
  [...html.matchAll(/<input[^>]*type="password"[^>]*>/g)].filter((m) => /value="[^"]/.test(m[0]));

/** Waits for the email the reset sends after answering (it is sent once the answer has gone). */
async function emailTo(address: string, since: number): Promise<SentMessage> {
  for (let i = 0; i < 400; i++) {
    const found = outbox.outbox.slice(since).find((m) => m.to.email === address);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`No email to ${address}`);
}
const tokenIn = (m: SentMessage) => /[?&]token=([A-Za-z0-9_-]+)/.exec(m.email)![1]!;

describe('changing your password', () => {
  const email = 'referrer.foodbank@demo.test';
  const NEW = 'a new and longer password';

  test('your account page shows who you are and links to the change', async () => {
    const s = await signIn(t.app, 'analyst@demo.test');
    const res = await s.get('/account');
    assert.equal(res.statusCode, 200);
    assert.match(text(res.body), /Name Ana Silva Email address analyst@demo.test/);
    assert.ok(res.body.includes('href="/account/password"'));
    assert.ok(res.body.includes('href="/account"'), 'the header links your name to your account');
  });

  test('mistakes are shown in the error summary, and no password is sent back', async () => {
    const s = await signIn(t.app, 'analyst@demo.test');
    const empty = await s.post('/account/password', {}, { from: '/account/password' });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /nhsuk-error-summary/);
    assert.deepEqual(errors(empty), {
      currentPassword: 'Enter your current password',
      password: 'Enter a password',
      confirmPassword: 'Enter the password again',
    });
    const short = await s.post('/account/password', {
      currentPassword: DEMO_PASSWORD,
      password: 'too short',
      confirmPassword: 'too short',
    });
    assert.deepEqual(errors(short), { password: 'Password must be at least 12 characters' });
    const different = await s.post('/account/password', {
      currentPassword: DEMO_PASSWORD,
      password: NEW,
      confirmPassword: `${NEW}!`,
    });
    assert.deepEqual(errors(different), {
      confirmPassword: 'The passwords do not match. Enter the same password twice',
    });
    const same = await s.post('/account/password', {
      currentPassword: DEMO_PASSWORD,
      password: DEMO_PASSWORD,
      confirmPassword: DEMO_PASSWORD,
    });
    assert.deepEqual(errors(same), {
      password: 'Enter a new password that is different from your current one',
    });
    for (const res of [empty, short, different, same]) assert.deepEqual(typedPasswords(res.body), []);
  });

  test('a wrong current password is refused, and counted like a wrong sign-in', async () => {
    const s = await signIn(t.app, 'analyst@demo.test');
    const wrong = { currentPassword: 'not my password', password: NEW, confirmPassword: NEW };
    for (let i = 0; i < t.config.signInThrottle.freeFailures; i++) {
      const res = await s.post('/account/password', wrong, { from: '/account/password' });
      assert.equal(res.statusCode, 400);
      assert.deepEqual(errors(res), { currentPassword: 'Your current password is not right' });
    }
    const waiting = await s.post('/account/password', { ...wrong, currentPassword: DEMO_PASSWORD });
    assert.equal(waiting.statusCode, 429);
    assert.match(errors(waiting).currentPassword ?? '', /^You have entered a wrong password too many times/);
    // Nothing changed.
    await signIn(t.app, 'analyst@demo.test');
  });

  test('with the current password, the new one works, the old does not, and every other session ends', async () => {
    const elsewhere = await signIn(t.app, email);
    const s = await signIn(t.app, email);
    const res = await s.post(
      '/account/password',
      { currentPassword: DEMO_PASSWORD, password: NEW, confirmPassword: NEW },
      { from: '/account/password' },
    );
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/account');
    const page = await s.get('/account');
    assert.equal(page.statusCode, 200, 'this browser stays signed in');
    assert.match(text(page.body), /Your password has been changed/);

    const other = await elsewhere.get('/account');
    assert.equal(other.statusCode, 303, 'the other session has ended');
    await assert.rejects(signIn(t.app, email), /401/);
    await signIn(t.app, email, NEW);

    const audit = await t.db
      .selectFrom('audit_events')
      .select('detail')
      .where('entity_type', '=', 'user')
      .where('detail', '=', 'changed their password')
      .execute();
    assert.equal(audit.length, 1);
  });

  test('someone signed out is sent to sign in', async () => {
    const res = await anonymous(t.app).get('/account/password');
    assert.equal(res.statusCode, 303);
    assert.match(String(res.headers.location), /^\/sign-in/);
  });
});

describe('resetting a forgotten password', () => {
  const email = 'commissioner@demo.test';
  const NEW = 'my brand new reset password';

  const ask = (s: HttpSession, address: string, headers?: Record<string, string>) =>
    s.post(
      '/forgot-password',
      { email: address },
      { from: '/forgot-password', ...(headers ? { headers } : {}) },
    );

  test('the answer is the same whether or not there is an account', async () => {
    const known = await ask(anonymous(t.app), 'manager@demo.test');
    const unknown = await ask(anonymous(t.app), 'nobody-at-all@demo.test');
    assert.equal(known.statusCode, 303);
    assert.equal(unknown.statusCode, known.statusCode);
    assert.equal(unknown.headers.location, known.headers.location);
    assert.equal(unknown.body, known.body);
    const sent = await anonymous(t.app).get(String(known.headers.location));
    assert.match(
      text(sent.body),
      /If there is a Mortar account with that email address, we have sent it a link/,
    );
  });

  test('a mistyped email address is shown in the error summary, and kept', async () => {
    const res = await ask(anonymous(t.app), 'not-an-email');
    assert.equal(res.statusCode, 400);
    assert.deepEqual(errors(res), {
      email: 'Enter an email address in the correct format, like name@example.com',
    });
    assert.ok(res.body.includes('value="not-an-email"'));
  });

  test('the link comes by email, on the configured address, works once, and ends every session', async () => {
    const elsewhere = await signIn(t.app, email);
    const since = outbox.outbox.length;
    // A forged Host header must not end up in the link.
    await ask(anonymous(t.app), 'COMMISSIONER@demo.test', { host: 'evil.example' });
    const message = await emailTo(email, since);
    assert.equal(message.template, 'password_reset');
    assert.equal(message.subject, 'Reset your Mortar password');
    assert.ok(message.email.includes(`${PUBLIC_URL}/reset-password?token=`), message.email);
    assert.ok(!message.email.includes('evil.example'));
    assert.match(message.email, new RegExp(`for ${RESET_LINK_MINUTES} minutes`));
    const token = tokenIn(message);

    // Stored only as its hash.
    const rows = await t.db.selectFrom('password_resets').selectAll().execute();
    assert.ok(rows.some((r) => r.token_hash === hashToken(token)));
    assert.ok(!JSON.stringify(rows).includes(token));

    const s = anonymous(t.app);
    const form = await s.get(`/reset-password?token=${token}`);
    assert.equal(form.statusCode, 200);
    assert.equal(form.headers['cache-control'], 'no-store');
    const mismatch = await s.post('/reset-password', {
      token,
      password: NEW,
      confirmPassword: 'something else',
    });
    assert.equal(mismatch.statusCode, 400);
    assert.deepEqual(errors(mismatch), {
      confirmPassword: 'The passwords do not match. Enter the same password twice',
    });
    assert.deepEqual(typedPasswords(mismatch.body), []);

    const done = await s.post('/reset-password', { token, password: NEW, confirmPassword: NEW });
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, '/sign-in');
    assert.match(text((await s.get('/sign-in')).body), /Your password has been changed/);

    assert.equal((await elsewhere.get('/account')).statusCode, 303, 'the other session has ended');
    await assert.rejects(signIn(t.app, email), /401/);
    await signIn(t.app, email, NEW);

    const again = await anonymous(t.app).get(`/reset-password?token=${token}`);
    assert.equal(again.statusCode, 410, 'the link works once');
    const replay = await anonymous(t.app).post('/reset-password', {
      token,
      password: 'another password 1',
      confirmPassword: 'another password 1',
    });
    assert.equal(replay.statusCode, 410);
    await signIn(t.app, email, NEW);
  });

  test('an unknown or malformed token is refused with a link to ask again', async () => {
    for (const token of ['x', 'A'.repeat(43), '../../etc', '']) {
      const res = await anonymous(t.app).get(`/reset-password?token=${encodeURIComponent(token)}`);
      assert.equal(res.statusCode, 410);
      assert.ok(res.body.includes('href="/forgot-password"'));
    }
  });
});

describe('reset links, by the clock', () => {
  const T0 = new Date('2025-06-02T09:00:00Z');
  const at = (min: number) => new Date(T0.getTime() + min * 60_000);
  const request = (email: string, now: Date) =>
    requestPasswordReset(t.db, outbox, silent, { email, publicUrl: PUBLIC_URL, now });

  test(`a link stops working after ${RESET_LINK_MINUTES} minutes`, async () => {
    const since = outbox.outbox.length;
    assert.equal(await request('adviser@demo.test', T0), 'sent');
    const token = tokenIn(await emailTo('adviser@demo.test', since));
    assert.equal(await resetLinkUsable(t.db, token, at(RESET_LINK_MINUTES - 1)), true);
    assert.equal(await resetLinkUsable(t.db, token, at(RESET_LINK_MINUTES)), false);
    assert.equal(await resetPassword(t.db, token, 'too late a password', at(RESET_LINK_MINUTES)), false);
    assert.equal(await resetPassword(t.db, token, 'in time a password', at(RESET_LINK_MINUTES - 1)), true);
    assert.equal(await resetPassword(t.db, token, 'twice is too many', at(RESET_LINK_MINUTES - 1)), false);
  });

  test(`at most ${RESET_LINKS_PER_HOUR} links an hour for one account; none for unknown or disabled ones`, async () => {
    const email = 'referrer.gp@demo.test';
    const sent = [];
    for (let i = 0; i < RESET_LINKS_PER_HOUR + 2; i++) sent.push(await request(email, at(i)));
    assert.deepEqual(sent, [...Array(RESET_LINKS_PER_HOUR).fill('sent'), 'not sent', 'not sent']);
    assert.equal(await request(email, at(61)), 'sent', 'an hour later, another');
    assert.equal(await request('nobody@demo.test', T0), 'not sent');
    await t.db
      .updateTable('users')
      .set({ active: false })
      .where('email', '=', 'adviser.manchester@demo.test')
      .execute();
    try {
      assert.equal(await request('adviser.manchester@demo.test', T0), 'not sent');
    } finally {
      await t.db
        .updateTable('users')
        .set({ active: true })
        .where('email', '=', 'adviser.manchester@demo.test')
        .execute();
    }
  });
});
