import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

const production = { NODE_ENV: 'production', COOKIE_SECRET: 'a-cookie-secret-of-32-characters-or-more' };

test('production refuses MORTAR_LOAD_DEMO=true, naming the variable', () => {
  for (const value of ['true', '1', 'yes']) {
    assert.throws(
      () => loadConfig({ ...production, MORTAR_LOAD_DEMO: value }),
      (err: unknown) => err instanceof ConfigError && /MORTAR_LOAD_DEMO/.test(err.message),
    );
  }
});

test('production never loads demonstration data by default, embedded or not', () => {
  assert.equal(loadConfig(production).loadDemo, false);
  assert.equal(
    loadConfig({ ...production, DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/d' }).loadDemo,
    false,
  );
  assert.equal(loadConfig({ ...production, MORTAR_LOAD_DEMO: 'false' }).loadDemo, false);
});

test('outside production MORTAR_LOAD_DEMO is read as given, unset leaving the choice to the database kind', () => {
  assert.equal(loadConfig({ NODE_ENV: 'development' }).loadDemo, undefined);
  assert.equal(loadConfig({ NODE_ENV: 'development', MORTAR_LOAD_DEMO: 'true' }).loadDemo, true);
  assert.equal(loadConfig({ NODE_ENV: 'test', MORTAR_LOAD_DEMO: 'no' }).loadDemo, false);
});
