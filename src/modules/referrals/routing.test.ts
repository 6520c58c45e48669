import { test } from 'node:test';
import assert from 'node:assert/strict';
import { routeReferral } from './routing.ts';

const services: Record<string, string> = { E08000035: 'leeds-sss' };
const serviceFor = (la: string) => services[la];

test('routes an English postcode to the service its authority commissions', () => {
  const r = routeReferral(
    { postcode: 'LS6 1AN', localAuthorityCode: 'E08000035', countryCode: 'E92000001' },
    serviceFor,
  );
  assert.deepEqual(r, {
    ok: true,
    postcode: 'LS6 1AN',
    localAuthorityCode: 'E08000035',
    serviceOrganisationId: 'leeds-sss',
  });
});

test('an unknown postcode is refused', () => {
  const r = routeReferral(null, serviceFor);
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.reason, 'unknown_postcode');
});

test('Scotland and Wales are outside the services Mortar routes to', () => {
  for (const countryCode of ['S92000003', 'W92000004']) {
    const r = routeReferral(
      { postcode: 'EH1 1YZ', localAuthorityCode: 'S12000036', countryCode },
      serviceFor,
    );
    assert.equal(!r.ok && r.reason, 'outside_england');
  }
});

test('an area with no commissioned service, or a unit with no authority, gets a clear message', () => {
  const none = routeReferral(
    { postcode: 'M1 1AE', localAuthorityCode: 'E08000003', countryCode: 'E92000001' },
    serviceFor,
  );
  assert.equal(!none.ok && none.reason, 'no_service');
  assert.match(!none.ok ? none.message : '', /0300 123 1044/);
  const noLa = routeReferral(
    { postcode: 'B29 6XE', localAuthorityCode: null, countryCode: 'E92000001' },
    serviceFor,
  );
  assert.equal(!noLa.ok && noLa.reason, 'no_service');
});
