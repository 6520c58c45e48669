import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isValidNhsNumber, normaliseNhsNumber } from './nhs-number.ts';

test('accepts valid NHS numbers, with or without spaces', () => {
  for (const n of ['9434765919', '943 476 5919', '943-476-5919', '4010232137', '9990000026']) {
    assert.equal(isValidNhsNumber(n), true, n);
  }
});

test('rejects a wrong check digit', () => {
  assert.equal(isValidNhsNumber('9434765918'), false);
  assert.equal(isValidNhsNumber('4010232138'), false);
});

test('rejects numbers whose check value is 10', () => {
  // 1000000010: sum of weights gives remainder 1, so the check value is 10, which is never issued.
  let found = '';
  for (let i = 0; i < 1000 && !found; i++) {
    const stem = String(100000000 + i);
    let sum = 0;
    for (let j = 0; j < 9; j++) sum += Number(stem[j]) * (10 - j);
    if (11 - (sum % 11) === 10) found = stem;
  }
  assert.ok(found);
  for (let d = 0; d <= 9; d++) assert.equal(isValidNhsNumber(found + d), false);
});

test('rejects the wrong length and non-digits', () => {
  for (const n of ['', '123', '94347659190', '943476591X', '<script>', '９４３４７６５９１９']) {
    assert.equal(isValidNhsNumber(n), false, n);
  }
});

test('normalises spaces and dashes only', () => {
  assert.equal(normaliseNhsNumber(' 943 476-5919 '), '9434765919');
});
