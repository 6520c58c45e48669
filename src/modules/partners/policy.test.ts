import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hasAdoptedPolicyOn, isActiveOn, isReviewOverdue } from './policy.ts';

describe('isReviewOverdue', () => {
  const adopted = { status: 'adopted' as const, adoptedOn: '2024-04-01', reviewOn: '2025-04-01' };
  test('not before or on the review date', () => {
    assert.equal(isReviewOverdue(adopted, '2025-03-31'), false);
    assert.equal(isReviewOverdue(adopted, '2025-04-01'), false);
  });
  test('once the review date has passed', () => {
    assert.equal(isReviewOverdue(adopted, '2025-04-02'), true);
  });
  test('a drafted policy with a review date past is overdue too', () => {
    assert.equal(
      isReviewOverdue({ status: 'drafted', adoptedOn: null, reviewOn: '2025-01-01' }, '2025-02-01'),
      true,
    );
  });
  test('no review date, no policy, or "none": never overdue', () => {
    assert.equal(isReviewOverdue({ ...adopted, reviewOn: null }, '2030-01-01'), false);
    assert.equal(isReviewOverdue(null, '2030-01-01'), false);
    assert.equal(
      isReviewOverdue({ status: 'none', adoptedOn: null, reviewOn: '2020-01-01' }, '2030-01-01'),
      false,
    );
  });
});

describe('hasAdoptedPolicyOn', () => {
  test('only adopted policies, from their adoption date', () => {
    const p = { status: 'adopted' as const, adoptedOn: '2025-03-01', reviewOn: null };
    assert.equal(hasAdoptedPolicyOn(p, '2025-02-28'), false);
    assert.equal(hasAdoptedPolicyOn(p, '2025-03-01'), true);
    assert.equal(hasAdoptedPolicyOn({ ...p, status: 'drafted', adoptedOn: null }, '2025-03-01'), false);
    assert.equal(hasAdoptedPolicyOn(null, '2025-03-01'), false);
  });
  test('an adopted policy with no date counts, and so does one overdue for review', () => {
    assert.equal(
      hasAdoptedPolicyOn({ status: 'adopted', adoptedOn: null, reviewOn: null }, '2000-01-01'),
      true,
    );
    assert.equal(
      hasAdoptedPolicyOn(
        { status: 'adopted', adoptedOn: '2020-01-01', reviewOn: '2021-01-01' },
        '2025-01-01',
      ),
      true,
    );
  });
});

describe('isActiveOn', () => {
  test('active partners from the day they joined', () => {
    assert.equal(isActiveOn({ status: 'active', joinedOn: '2025-01-01' }, '2024-12-31'), false);
    assert.equal(isActiveOn({ status: 'active', joinedOn: '2025-01-01' }, '2025-01-01'), true);
    assert.equal(isActiveOn({ status: 'active', joinedOn: null }, '2000-01-01'), true);
  });
  test('prospective, paused and ended partners are not active', () => {
    for (const status of ['prospective', 'paused', 'ended'] as const) {
      assert.equal(isActiveOn({ status, joinedOn: '2020-01-01' }, '2025-01-01'), false);
    }
  });
});
