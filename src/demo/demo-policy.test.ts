import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoAtStart } from './demo-policy.ts';

const envs = ['development', 'production', 'test'] as const;
const loadDemos = [true, false, undefined] as const;

test('production never loads demonstration data, nor resets its password, whatever else holds', () => {
  for (const loadDemo of loadDemos)
    for (const embedded of [true, false])
      for (const empty of [true, false])
        assert.equal(demoAtStart({ env: 'production', loadDemo, embedded, empty }), 'none');
});

test('an empty embedded database gets demonstration data by default outside production', () => {
  assert.equal(demoAtStart({ env: 'development', loadDemo: undefined, embedded: true, empty: true }), 'load');
  assert.equal(demoAtStart({ env: 'development', loadDemo: false, embedded: true, empty: true }), 'none');
});

test('a server database gets demonstration data only when asked', () => {
  assert.equal(
    demoAtStart({ env: 'development', loadDemo: undefined, embedded: false, empty: true }),
    'none',
  );
  assert.equal(demoAtStart({ env: 'test', loadDemo: true, embedded: false, empty: true }), 'load');
});

test('a database with data is never loaded again; an embedded one gets the new password', () => {
  for (const env of envs.filter((e) => e !== 'production'))
    for (const loadDemo of loadDemos) {
      assert.notEqual(demoAtStart({ env, loadDemo, embedded: false, empty: false }), 'load');
      assert.equal(
        demoAtStart({ env, loadDemo, embedded: true, empty: false }),
        loadDemo === false ? 'none' : 'reset-passwords',
      );
    }
});
