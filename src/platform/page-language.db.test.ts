// Choosing Welsh on a public page: the page, its frame and its title are in Welsh, the choice is
// remembered by a cookie for the rest of the journey, English can be chosen back, and staff pages stay
// in English whatever the cookie says.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../test/helpers/test-app.ts';
import { LANGUAGE_COOKIE } from './language.ts';

let t: TestApp;
before(async () => {
  t = await buildTestApp({ now: new Date('2026-10-15T10:00:00Z') });
});
after(() => t?.close());

const PAGE = '/stopping-smoking-and-your-mental-health';
const get = (url: string, lang?: string) =>
  t.app.inject({ method: 'GET', url, ...(lang ? { cookies: { [LANGUAGE_COOKIE]: lang } } : {}) });
const langCookie = (res: Awaited<ReturnType<typeof get>>) =>
  res.cookies.find((c) => c.name === LANGUAGE_COOKIE);

test('English by default, with a link to the Welsh page in Welsh words', async () => {
  const res = await get(PAGE);
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /<html lang="en"/);
  assert.match(res.body, /<h1>Stopping smoking and your mental health<\/h1>/);
  assert.match(
    res.body,
    /<a class="nhsuk-link" href="\/stopping-smoking-and-your-mental-health\?lang=cy" lang="cy" hreflang="cy">Cymraeg<\/a>/,
  );
  assert.equal(langCookie(res), undefined);
});

test('?lang=cy shows the page in Welsh and remembers the choice', async () => {
  const res = await get(`${PAGE}?lang=cy`);
  assert.match(res.body, /<html lang="cy"/);
  assert.match(res.body, /<title>Rhoi’r gorau i smygu a’ch iechyd meddwl – Mortar<\/title>/);
  assert.match(res.body, /<h1>Rhoi’r gorau i smygu a’ch iechyd meddwl<\/h1>/);
  assert.match(res.body, /Os oes angen help arnoch chi nawr/);
  assert.match(res.body, /ffoniwch <a href="tel:111">NHS 111<\/a> a dewis opsiwn 2/);
  assert.match(res.body, /Neidio i’r prif gynnwys/);
  assert.match(res.body, />English<\/a>/);
  assert.doesNotMatch(res.body, /Will stopping make my anxiety worse/);
  const cookie = langCookie(res);
  assert.equal(cookie?.value, 'cy');
  assert.equal(cookie?.httpOnly, true);
  assert.equal(cookie?.sameSite, 'Lax');

  const next = await get(PAGE, 'cy');
  assert.match(next.body, /<html lang="cy"/);
  assert.equal(langCookie(next), undefined, 'nothing to remember again');

  const back = await get(`${PAGE}?lang=en`, 'cy');
  assert.match(back.body, /<html lang="en"/);
  assert.equal(langCookie(back)?.value, 'en');
});

test('pages not yet bilingual, staff pages included, stay in English whatever the cookie', async () => {
  for (const url of ['/sign-in', '/privacy']) {
    const res = await get(url, 'cy');
    assert.match(res.body, /<html lang="en"/, url);
    assert.doesNotMatch(res.body, /hreflang="cy"/, url);
  }
});

test('a made-up language is English, not an error', async () => {
  const res = await get(`${PAGE}?lang=xx`);
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /<html lang="en"/);
});
