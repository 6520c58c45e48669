// Every phrase a page asks to translate has its Welsh, and the Welsh keeps the phrase's placeholders; no
// Welsh is kept for a phrase nothing uses any more (it would rot unseen).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WELSH } from './cy.ts';

const SRC = new URL('../', import.meta.url).pathname;

function filesUnder(dir: string, ending: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name), ending) : ending.test(e.name) ? [join(dir, e.name)] : [],
  );
}

const templates = filesUnder(SRC, /\.njk$/).map((f) => ({ f, text: readFileSync(f, 'utf8') }));

/** The phrases templates pass to t(): t("…") and t('…'), as written. */
function phrasesOf(text: string): string[] {
  return [...text.matchAll(/\bt\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')/g)].map((m) => m[1] ?? m[2]!);
}

test('every phrase a template translates has its Welsh', () => {
  const missing = templates.flatMap(({ f, text }) =>
    phrasesOf(text)
      .filter((p) => !Object.hasOwn(WELSH, p))
      .map((p) => `${f.slice(SRC.length)}: ${p}`),
  );
  assert.deepEqual(missing, []);
  // The reading itself works: the mental health page alone asks for over 20 phrases.
  const page = templates.find((t) => t.f.endsWith('self-referral/views/mental-health.njk'))!;
  assert.ok(phrasesOf(page.text).length > 20);
});

test('the Welsh keeps every placeholder of the English, and adds none', () => {
  const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const [en, cy] of Object.entries(WELSH)) assert.deepEqual(placeholders(cy), placeholders(en), en);
});

test('no Welsh is kept for a phrase nothing uses', () => {
  const sources = [
    ...templates.map((t) => t.text),
    ...filesUnder(SRC, /(?<!\.test)\.ts$/)
      .filter((f) => !f.endsWith('cy.ts'))
      .map((f) => readFileSync(f, 'utf8')),
  ].join('\n');
  const unused = Object.keys(WELSH).filter(
    (en) => !sources.includes(en) && !sources.includes(JSON.stringify(en).slice(1, -1)),
  );
  assert.deepEqual(unused, []);
});
