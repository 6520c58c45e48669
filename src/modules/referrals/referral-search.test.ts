import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { likeLiteral, parseReferralSearch, SearchSchema } from './referral-search.ts';

test('references, whole or begun, in any case', () => {
  assert.deepEqual(parseReferralSearch(' mor-000123 '), { kind: 'reference', prefix: 'MOR-000123' });
  assert.deepEqual(parseReferralSearch('MOR-'), { kind: 'reference', prefix: 'MOR-' });
  assert.deepEqual(parseReferralSearch('123'), { kind: 'reference_number', number: '123' });
});

test('ten digits, spaced or not, are an NHS number', () => {
  for (const q of ['9434765919', '943 476 5919', '943-476-5919']) {
    assert.deepEqual(parseReferralSearch(q), { kind: 'nhs_number', nhsNumber: '9434765919' }, q);
  }
});

test('anything else is a name: each word, at most five', () => {
  assert.deepEqual(parseReferralSearch('  Sam   Taylor '), { kind: 'name', words: ['Sam', 'Taylor'] });
  assert.deepEqual(parseReferralSearch("O'Neil"), { kind: 'name', words: ["O'Neil"] });
  assert.deepEqual(parseReferralSearch('a b c d e f g').kind, 'name');
  assert.equal((parseReferralSearch('a b c d e f g') as { words: string[] }).words.length, 5);
  assert.deepEqual(parseReferralSearch(''), { kind: 'none' });
  assert.deepEqual(parseReferralSearch('   '), { kind: 'none' });
});

test('whatever is typed reads as exactly one kind of search, and never throws', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 100 }), (s) => {
      const r = parseReferralSearch(s);
      assert.ok(['none', 'reference', 'reference_number', 'nhs_number', 'name'].includes(r.kind));
      if (r.kind === 'name') assert.ok(r.words.length >= 1 && r.words.every((w) => w.length > 0));
    }),
  );
});

test('LIKE wildcards are escaped, so they match only themselves', () => {
  assert.equal(likeLiteral('50%_off\\'), '50\\%\\_off\\\\');
  fc.assert(
    fc.property(fc.string(), (s) => {
      const escaped = likeLiteral(s);
      // Unescaped, every % and _ would be a wildcard: none is left bare.
      assert.ok(!/(^|[^\\])(\\\\)*[%_]/.test(escaped));
    }),
  );
});

test('the search box holds at most 100 characters', () => {
  assert.equal(SearchSchema.safeParse('x'.repeat(100)).success, true);
  const long = SearchSchema.safeParse('x'.repeat(101));
  assert.equal(long.success, false);
  assert.equal(long.error?.issues[0]?.message, 'Search must be 100 characters or fewer');
});
