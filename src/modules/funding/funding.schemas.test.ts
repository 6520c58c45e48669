import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAssumptionsForm, parseCostsForm } from './funding.schemas.ts';

test('costs: any of contract and tariffs, in pounds, at least one', () => {
  assert.deepEqual(parseCostsForm({ contract: '£120,000', perPerson: '', perQuit: '200.50' }), {
    contractPence: 12_000_000,
    perPersonPence: null,
    perQuitPence: 20_050,
  });
  const none = parseCostsForm({ contract: '', perPerson: ' ', perQuit: '' });
  assert.ok('list' in none);
  assert.deepEqual(none.list, [{ text: 'Enter a contract value or a tariff, or both', href: '#contract' }]);
});

test('costs: each wrong box has its own message', () => {
  const r = parseCostsForm({ contract: 'lots', perPerson: '2000000', perQuit: '-1' });
  assert.ok('list' in r);
  assert.deepEqual(Object.keys(r.fields), ['contract', 'perPerson', 'perQuit']);
  assert.match(r.fields.perPerson!.text, /£1,000,000 or less/);
  assert.match(r.fields.contract!.text, /in pounds, like 120000/);
});

test('assumptions: blanks are left out; numbers are checked by kind', () => {
  assert.deepEqual(
    parseAssumptionsForm({
      tt_referrals: '1,900,000',
      smoking_pct: '27.5%',
      uptake_pct: '',
      quit_pct: '45',
      cost_per_person_pence: '£250',
    }),
    { tt_referrals: 1_900_000, smoking_pct: 27.5, quit_pct: 45, cost_per_person_pence: 25_000 },
  );
  const r = parseAssumptionsForm({
    tt_referrals: '1.5',
    smoking_pct: '101',
    uptake_pct: '10.25',
    quit_pct: 'half',
    cost_per_person_pence: '£100,001',
  });
  assert.ok('list' in r);
  assert.deepEqual(Object.keys(r.fields), [
    'tt_referrals',
    'smoking_pct',
    'uptake_pct',
    'quit_pct',
    'cost_per_person_pence',
  ]);
});
