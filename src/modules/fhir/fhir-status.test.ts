import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STATUS_KINDS } from '../referrals/referral-status.ts';
import {
  referralStatusesForServiceRequest,
  referralStatusesForTask,
  serviceRequestStatusOf,
  TASK_STATUS_OF,
  TASK_STATUSES,
} from './fhir-status.ts';

test('every referral status has a Task status, and a search for it finds that status again', () => {
  for (const s of STATUS_KINDS) {
    const task = TASK_STATUS_OF[s];
    assert.ok(TASK_STATUSES.includes(task), s);
    assert.ok(referralStatusesForTask([task]).includes(s), s);
    assert.ok(referralStatusesForServiceRequest([serviceRequestStatusOf(s)]).includes(s), s);
  }
});

test('the closed loop: declined rejects, withdrawn cancels, unable to contact holds, an outcome completes', () => {
  assert.equal(TASK_STATUS_OF.declined, 'rejected');
  assert.equal(TASK_STATUS_OF.withdrawn, 'cancelled');
  assert.equal(TASK_STATUS_OF.unable_to_contact, 'on-hold');
  assert.equal(TASK_STATUS_OF.outcome_recorded, 'completed');
  assert.equal(TASK_STATUS_OF.contacted, 'received');
  assert.equal(serviceRequestStatusOf('withdrawn'), 'revoked');
  assert.equal(serviceRequestStatusOf('declined'), 'revoked');
  assert.equal(serviceRequestStatusOf('quit_date_set'), 'active');
  assert.equal(serviceRequestStatusOf('closed'), 'completed');
});

test('a search for statuses nothing maps to matches no referral status', () => {
  assert.deepEqual(referralStatusesForTask(['failed']), []);
  assert.deepEqual(referralStatusesForTask([]), []);
});
