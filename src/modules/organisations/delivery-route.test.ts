import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ALL_ORGANISATION_TYPES,
  deliveryRouteOf,
  INTEGRATED_TYPES,
  isDeliveringType,
} from './delivery-route.ts';
import { PRACTITIONER_ORGANISATION_TYPES, ROLE_LABELS, ROLES, roleLabelOf } from '../../platform/roles.ts';
import { roleFitError } from './user.service.ts';

test('the route of delivery is the holding organisation’s type', () => {
  assert.equal(deliveryRouteOf('talking_therapies'), 'integrated');
  assert.equal(deliveryRouteOf('community_mental_health_team'), 'integrated');
  assert.equal(deliveryRouteOf('pharmacy'), 'pharmacy');
  assert.equal(deliveryRouteOf('stop_smoking_service'), 'specialist');
  assert.equal(deliveryRouteOf('something_new'), 'specialist');
});

test('a Talking Therapies service, a mental health team or a pharmacy may hold advisers and managers', () => {
  const la = { local_authority_code: 'E08000035' };
  for (const type of [
    'talking_therapies',
    'community_mental_health_team',
    'pharmacy',
    'stop_smoking_service',
  ]) {
    assert.equal(roleFitError('adviser', { type, ...la }), null, type);
    assert.equal(roleFitError('service_manager', { type, ...la }), null, type);
  }
  for (const type of ALL_ORGANISATION_TYPES.filter((t) => !isDeliveringType(t))) {
    assert.match(
      roleFitError('adviser', { type, ...la })!,
      /must belong to a service that gives stop smoking support/,
    );
  }
});

test('staff who run quit attempts in a mental health service are called practitioners, with the same role', () => {
  // The platform keeps its own list (it imports no module): it must be the integrated route's.
  assert.deepEqual([...PRACTITIONER_ORGANISATION_TYPES].sort(), [...INTEGRATED_TYPES].sort());
  for (const type of ALL_ORGANISATION_TYPES) {
    const expected = deliveryRouteOf(type) === 'integrated' ? 'Practitioner' : ROLE_LABELS.adviser;
    assert.equal(roleLabelOf('adviser', type), expected, type);
    for (const role of ROLES.filter((r) => r !== 'adviser'))
      assert.equal(roleLabelOf(role, type), ROLE_LABELS[role]);
  }
  assert.equal(roleLabelOf('adviser', null), ROLE_LABELS.adviser);
});
