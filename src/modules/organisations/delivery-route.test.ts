import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALL_ORGANISATION_TYPES, deliveryRouteOf, isDeliveringType } from './delivery-route.ts';
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
