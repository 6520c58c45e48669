import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { documentedExamples, fillTemplate, TemplateError } from '../scripts/rehearsal/nginx-template.ts';

// deploy/nginx.conf.template is the proxy configuration docs/operations.md gives and the production
// rehearsal runs (npm run test:production starts nginx on it). Here: its own list of placeholders is
// complete, and filling it leaves none behind.

const template = readFileSync(new URL('../deploy/nginx.conf.template', import.meta.url), 'utf8');
const outsideComments = (text: string) =>
  text
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('#'))
    .join('\n');

test('the template documents an example for every placeholder it has, and filled with them has none left', () => {
  const examples = documentedExamples(template);
  const used = new Set([...outsideComments(template).matchAll(/\{\{([A-Z_]+)\}\}/g)].map((m) => m[1]));
  assert.deepEqual(Object.keys(examples).sort(), [...used].sort());
  const filled = fillTemplate(template, examples);
  assert.doesNotMatch(outsideComments(filled), /\{\{|\}\}/);
  assert.match(filled, /listen 443 ssl http2;/);
  assert.match(filled, /return 301 https:\/\/mortar\.example\.nhs\.uk\$request_uri;/);
});

test('a placeholder without a value, or a value for no placeholder, is refused by name', () => {
  const examples = documentedExamples(template);
  const { CERTIFICATE: _, ...withoutCertificate } = examples;
  assert.throws(
    () => fillTemplate(template, withoutCertificate),
    (e: unknown) => e instanceof TemplateError && e.message.includes('{{CERTIFICATE}}'),
  );
  assert.throws(
    () => fillTemplate(template, { ...examples, CERTIFCATE: 'x' }),
    (e: unknown) => e instanceof TemplateError && e.message.includes('{{CERTIFCATE}}'),
  );
});

test('POSTs are sent to another instance only when they carry an Idempotency-Key', () => {
  const config = outsideComments(template);
  const nonIdempotent = [...config.matchAll(/proxy_next_upstream [^;]*non_idempotent/g)];
  assert.equal(nonIdempotent.length, 1, 'only one place retries POSTs');
  const named = config.slice(config.indexOf('location @mortar_keyed_post'));
  assert.match(named.slice(0, named.indexOf('}')), /non_idempotent/);
  assert.match(config, /"~\^POST:\." 1;/);
  assert.doesNotMatch(config, /^\s*keepalive\s+\d+;/m, 'no keep-alive connections to the instances');
});
