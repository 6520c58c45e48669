// Every phrase a page asks to translate has its Welsh, and the Welsh keeps the phrase's placeholders; no
// Welsh is kept for a phrase nothing uses any more (it would rot unseen).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WELSH, WELSH_PARTS } from './cy.ts';

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

/**
 * The English of a message built from a template literal (`Enter ${whose} postcode`) as a pattern, so a
 * phrase it makes ("Enter your postcode") counts as used. Only literals with a word in them: one
 * that is all placeholders would match anything.
 */
function templatePatterns(source: string): RegExp[] {
  return [...source.matchAll(/`((?:[^`\\]|\\.)*)`/g)]
    .map((m) => m[1]!)
    .filter((body) => body.includes('${') && body.replace(/\$\{[^}]*\}/g, '').trim().length >= 5)
    .map((body) => {
      const parts = body.split(/\$\{[^}]*\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      return new RegExp(`^${parts.join('.+')}$`, 's');
    });
}

test('no Welsh is kept for a phrase nothing uses', () => {
  const code = filesUnder(SRC, /(?<!\.test)\.ts$/)
    .filter((f) => !f.startsWith(join(SRC, 'locales')))
    .map((f) => readFileSync(f, 'utf8'));
  const sources = [...templates.map((t) => t.text), ...code].join('\n');
  const patterns = code.flatMap(templatePatterns);
  const used = (en: string) =>
    sources.includes(en) ||
    sources.includes(JSON.stringify(en).slice(1, -1)) ||
    patterns.some((p) => p.test(en));
  // "question|answer" (translate.ts answerTo): both halves are used.
  const unused = Object.keys(WELSH).filter((en) =>
    en.includes('|') ? !en.split('|').every(used) : !used(en),
  );
  assert.deepEqual(unused, []);
});

test('a message built from a template literal counts as used, and a made-up one does not', () => {
  const [pattern] = templatePatterns('const m = `Enter ${whose} postcode`;');
  assert.ok(pattern?.test('Enter your postcode'));
  assert.ok(!pattern?.test('Enter your name'));
  assert.deepEqual(templatePatterns('const a = `${x}`, b = `${y} ok`;'), []);
});

test('no phrase has its Welsh in two parts of the catalogue (one would silently win)', () => {
  const seen = new Map<string, string>();
  const twice: string[] = [];
  for (const [part, phrases] of Object.entries(WELSH_PARTS)) {
    for (const en of Object.keys(phrases)) {
      if (seen.has(en)) twice.push(`${en} (${seen.get(en)} and ${part})`);
      seen.set(en, part);
    }
  }
  assert.deepEqual(twice, []);
});
