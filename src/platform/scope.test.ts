// Who may grant access where, who manages which organisation, and whose audit each role reads.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { HttpError } from './errors.ts';
import { ROLES, type Actor, type Role, type StaffUser } from './roles.ts';
import {
  adminScope,
  auditScope,
  grantDecision,
  grantsScope,
  integratedReturnAccess,
  mayManageOrganisation,
  NATIONAL_ROLES,
} from './scope.ts';

const OWN = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';

const staff = (role: Role, organisationId = OWN): StaffUser => ({
  kind: 'user',
  id: 'u',
  email: 'e@example.org',
  name: 'n',
  role,
  organisationId,
  organisationName: 'O',
  organisationType: 'stop_smoking_service',
  localAuthorityCode: null,
});
const apiKey: Actor = {
  kind: 'api',
  keyId: 'k',
  organisationId: OWN,
  organisationName: 'O',
  organisationType: 'gp_practice',
  localAuthorityCode: null,
};
const forbidden = (f: () => unknown) =>
  assert.throws(f, (e: unknown) => e instanceof HttpError && e.status === 403);

const uuidArb = fc.uuid();
const roleArb = fc.constantFrom(...ROLES);

describe('grantDecision', () => {
  test('an administrator may not grant any role in another organisation (the attack in issue 10)', () => {
    fc.assert(
      fc.property(uuidArb, uuidArb, roleArb, (own, other, role) => {
        fc.pre(own !== other);
        const d = grantDecision(staff('administrator', own), { organisationId: other, role });
        return !d.allowed && /own organisation/.test(d.reason);
      }),
    );
  });

  test('an administrator grants every role but national ones in their own organisation, not marked national', () => {
    for (const role of ROLES) {
      const d = grantDecision(staff('administrator'), { organisationId: OWN, role });
      if (NATIONAL_ROLES.includes(role)) {
        assert.deepEqual(d, {
          allowed: false,
          reason: 'Only a national administrator can give a national role',
        });
      } else assert.deepEqual(d, { allowed: true, national: false }, role);
    }
  });

  test('a national administrator may grant anything anywhere, and every such grant is national', () => {
    fc.assert(
      fc.property(uuidArb, uuidArb, roleArb, (own, target, role) => {
        const d = grantDecision(staff('national_administrator', own), { organisationId: target, role });
        return d.allowed && d.national;
      }),
    );
  });

  test('nobody else grants anything, in their own organisation or another, and neither does an API key', () => {
    const others = ROLES.filter((r) => r !== 'administrator' && r !== 'national_administrator');
    assert.deepEqual(others, ['referrer', 'adviser', 'service_manager', 'commissioner', 'national_analyst']);
    for (const granter of [...others.map((r) => staff(r)), apiKey]) {
      for (const organisationId of [OWN, OTHER]) {
        for (const role of ROLES) {
          const d = grantDecision(granter, { organisationId, role });
          assert.equal(d.allowed, false, `${JSON.stringify(granter)} ${role}`);
        }
      }
    }
  });
});

describe('adminScope', () => {
  test('an administrator manages their own organisation only; a national administrator every one', () => {
    const local = adminScope(staff('administrator'));
    assert.equal(mayManageOrganisation(local, OWN), true);
    assert.equal(mayManageOrganisation(local, OTHER), false);
    const national = adminScope(staff('national_administrator'));
    assert.equal(mayManageOrganisation(national, OTHER), true);
  });

  test('nobody else manages organisations', () => {
    for (const role of ROLES.filter((r) => r !== 'administrator' && r !== 'national_administrator')) {
      forbidden(() => adminScope(staff(role)));
    }
    forbidden(() => adminScope(apiKey));
  });
});

describe('grantsScope and auditScope', () => {
  test('service managers and administrators see their own organisation’s; national administrators every grant', () => {
    assert.deepEqual(grantsScope(staff('service_manager')), { kind: 'organisation', organisationId: OWN });
    assert.deepEqual(grantsScope(staff('administrator')), { kind: 'organisation', organisationId: OWN });
    assert.deepEqual(grantsScope(staff('national_administrator')), { kind: 'all' });
    for (const role of ['referrer', 'adviser', 'commissioner', 'national_analyst'] as const) {
      forbidden(() => grantsScope(staff(role)));
    }
    forbidden(() => grantsScope(apiKey));
  });

  test('a manager reads the audit of records held; an administrator also what their own people did', () => {
    assert.deepEqual(auditScope(staff('service_manager')), { organisationId: OWN, includeOwnPeople: false });
    for (const role of ['administrator', 'national_administrator'] as const) {
      assert.deepEqual(auditScope(staff(role)), { organisationId: OWN, includeOwnPeople: true });
    }
    for (const role of ['referrer', 'adviser', 'commissioner', 'national_analyst'] as const) {
      forbidden(() => auditScope(staff(role)));
    }
    forbidden(() => auditScope(apiKey));
  });
});

describe('integratedReturnAccess', () => {
  test('the service’s own manager generates and signs off; a national analyst submits or rejects; nobody else sees it', () => {
    const manager = integratedReturnAccess(staff('service_manager'), OWN);
    assert.equal(manager.see && manager.exact && manager.generate && manager.signOff, true);
    assert.deepEqual(manager.submitFrom, []);
    assert.deepEqual(manager.rejectFrom, []);
    assert.equal(manager.approve || manager.import || manager.reopen, false);
    assert.equal(manager.episodesOf, OWN);

    const analyst = integratedReturnAccess(staff('national_analyst', OTHER), OWN);
    assert.equal(analyst.see && analyst.exact, true);
    assert.equal(analyst.generate || analyst.signOff || analyst.approve || analyst.import, false);
    assert.deepEqual(analyst.submitFrom, ['signed_off']);
    assert.deepEqual([...analyst.rejectFrom].sort(), ['signed_off', 'submitted']);

    assert.equal(integratedReturnAccess(staff('service_manager', OTHER), OWN).see, false);
    for (const role of ROLES.filter((r) => r !== 'service_manager' && r !== 'national_analyst'))
      assert.equal(integratedReturnAccess(staff(role), OWN).see, false, role);
    assert.equal(integratedReturnAccess(apiKey, OWN).see, false);
  });
});
