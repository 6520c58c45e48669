import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashToken } from '../../platform/tokens.ts';
import {
  AcceptInvitationSchema,
  ApiKeySchema,
  commissionSchema,
  InviteSchema,
  keptValues,
  OrganisationSchema,
  SiteSchema,
} from './organisation.schemas.ts';
import { commissionChangeError, generateApiKey } from './organisation.service.ts';
import { invitationState, roleFitError, userStatus } from './user.service.ts';

/** The first message for each field, as the error summary shows them. */
function messages(r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) {
  const out: Record<string, string> = {};
  for (const i of r.error?.issues ?? []) out[String(i.path[0])] ??= i.message;
  return out;
}

test('organisation: a valid one is tidied', () => {
  const r = OrganisationSchema.safeParse({
    name: '  St Mary’s Surgery (Leeds) & Partners ',
    type: 'gp_practice',
    localAuthorityCode: 'E08000035',
    odsCode: ' b86001 ',
    email: '',
    phone: '0113 496 0000',
  });
  assert.ok(r.success);
  assert.deepEqual(r.data, {
    name: 'St Mary’s Surgery (Leeds) & Partners',
    type: 'gp_practice',
    localAuthorityCode: 'E08000035',
    odsCode: 'B86001',
    email: undefined,
    phone: '0113 496 0000',
  });
});

test('organisation: empty, too long, script tags and wrong codes are refused with plain messages', () => {
  assert.deepEqual(messages(OrganisationSchema.safeParse({})), {
    name: 'Enter the organisation name',
    type: 'Select the type of organisation',
  });
  const e = messages(
    OrganisationSchema.safeParse({
      name: 'x'.repeat(201),
      type: 'spaceship',
      localAuthorityCode: 'W06000005',
      odsCode: 'AB-1',
      email: 'not an email',
      phone: '12345',
    }),
  );
  assert.equal(e.name, 'The organisation name must be 200 characters or fewer');
  assert.equal(e.type, 'Select the type of organisation');
  assert.equal(e.localAuthorityCode, 'Select a local authority from the list');
  assert.match(e.odsCode!, /ODS code must be 3 to 10 letters and numbers/);
  assert.match(e.email!, /correct format/);
  assert.match(e.phone!, /UK phone number/);
  assert.match(
    messages(
      OrganisationSchema.safeParse({
        name: '<script>alert(1)</script>',
        type: 'foodbank',
        localAuthorityCode: 'E08000035',
      }),
    ).name!,
    /must only include/,
  );
});

test('organisation: a national body has no local authority; everyone else has one', () => {
  assert.ok(OrganisationSchema.safeParse({ name: 'National team', type: 'national_body' }).success);
  assert.equal(
    messages(
      OrganisationSchema.safeParse({
        name: 'National team',
        type: 'national_body',
        localAuthorityCode: 'E08000035',
      }),
    ).localAuthorityCode,
    'Leave the local authority blank for a national body',
  );
  assert.equal(
    messages(OrganisationSchema.safeParse({ name: 'Foodbank', type: 'foodbank' })).localAuthorityCode,
    'Select the local authority the organisation works in',
  );
});

test('site: postcode normalised, bad postcode and markup refused', () => {
  const ok = SiteSchema.safeParse({
    siteName: 'City clinic',
    address: 'Merrion Centre\nLeeds',
    postcode: ' ls28ng ',
  });
  assert.ok(ok.success);
  assert.equal(ok.data.postcode, 'LS2 8NG');
  const bad = messages(
    SiteSchema.safeParse({ siteName: '<b>x</b>', address: '<img src=x>', postcode: 'LS2 8N' }),
  );
  assert.match(bad.siteName!, /must only include/);
  assert.match(bad.address!, /must only include/);
  assert.equal(bad.postcode, 'Enter a real postcode, like LS1 4AP');
  assert.deepEqual(messages(SiteSchema.safeParse({})), {
    siteName: 'Enter the site name',
    address: 'Enter the address',
    postcode: 'Enter the postcode',
  });
});

test('commission: real dates, not in the future', () => {
  const schema = commissionSchema('2025-06-15');
  assert.ok(schema.safeParse({ localAuthorityCode: 'E08000035', startsOn: '2025-06-15' }).success);
  assert.ok(schema.safeParse({ localAuthorityCode: 'E08000035', startsOn: '2024-04-01' }).success);
  assert.match(
    messages(schema.safeParse({ localAuthorityCode: 'E08000035', startsOn: '2025-06-16' })).startsOn!,
    /today or in the past/,
  );
  assert.equal(
    messages(schema.safeParse({ localAuthorityCode: 'E08000035', startsOn: '2025-02-30' })).startsOn,
    'The start date must be a real date',
  );
  assert.deepEqual(messages(schema.safeParse({ localAuthorityCode: '', startsOn: '' })), {
    localAuthorityCode: 'Select the local authority',
    startsOn: 'Enter the date the service starts',
  });
});

test('commissionChangeError: the new start must follow the open commission; same service twice is refused', () => {
  assert.equal(commissionChangeError(undefined, 'a', '2025-04-01'), null);
  const open = { service_organisation_id: 'a', starts_on: '2025-04-01' };
  assert.equal(commissionChangeError(open, 'b', '2025-04-02'), null);
  assert.equal(commissionChangeError(open, 'a', '2025-05-01')?.field, 'localAuthorityCode');
  const early = commissionChangeError(open, 'b', '2025-04-01');
  assert.equal(early?.field, 'startsOn');
  assert.equal(early?.href, 'startsOn-day');
  assert.match(early!.message, /after 1 April 2025/);
});

test('generateApiKey: mk_ key, prefix of 8 more characters, sha256 hash only', () => {
  const a = generateApiKey();
  const b = generateApiKey();
  assert.match(a.key, /^mk_[A-Za-z0-9_-]{43}$/);
  assert.equal(a.prefix, a.key.slice(0, 11));
  assert.equal(a.hash, hashToken(a.key));
  assert.notEqual(a.key, b.key);
  assert.ok(ApiKeySchema.safeParse({ keyName: 'Patient record system' }).success);
  assert.ok(!ApiKeySchema.safeParse({ keyName: '"><script>' }).success);
});

test('invite: role must be one of the list, organisation an id', () => {
  const ok = InviteSchema.safeParse({
    name: 'Siân O’Brien-Jones',
    email: 'sian@example.nhs.uk',
    role: 'adviser',
    organisationId: '2f1e7c1a-0000-4000-8000-000000000001',
  });
  assert.ok(ok.success);
  const e = messages(
    InviteSchema.safeParse({ name: '<script>', email: 'x', role: 'superuser', organisationId: 'abc' }),
  );
  assert.match(e.name!, /must only include/);
  assert.match(e.email!, /correct format/);
  assert.equal(e.role, 'Select a role');
  assert.equal(e.organisationId, 'Select an organisation from the list');
});

test('accept invitation: at least 12 characters, typed twice', () => {
  assert.ok(
    AcceptInvitationSchema.safeParse({
      password: 'correct horse battery',
      confirmPassword: 'correct horse battery',
    }).success,
  );
  assert.equal(
    messages(AcceptInvitationSchema.safeParse({ password: 'short', confirmPassword: 'short' })).password,
    'Password must be at least 12 characters',
  );
  assert.match(
    messages(
      AcceptInvitationSchema.safeParse({
        password: 'correct horse battery',
        confirmPassword: 'correct horse batter',
      }),
    ).confirmPassword!,
    /do not match/,
  );
  assert.deepEqual(messages(AcceptInvitationSchema.safeParse({})), {
    password: 'Enter a password',
    confirmPassword: 'Enter the password again',
  });
});

test('keptValues: strings only, never the CSRF token or what is left out', () => {
  assert.deepEqual(keptValues({ _csrf: 't', name: 'A', many: ['a', 'b'], password: 'p' }, ['password']), {
    name: 'A',
  });
});

test('userStatus: active or disabled; wrong passwords never lock an account', () => {
  assert.equal(userStatus({ active: true }), 'active');
  assert.equal(userStatus({ active: false }), 'disabled');
});

test('roleFitError: roles belong to organisations of the right kind', () => {
  const service = { type: 'stop_smoking_service', local_authority_code: 'E08000035' };
  const council = { type: 'local_authority', local_authority_code: 'E08000035' };
  const foodbank = { type: 'foodbank', local_authority_code: 'E08000035' };
  const national = { type: 'national_body', local_authority_code: null };
  assert.equal(roleFitError('adviser', service), null);
  assert.match(roleFitError('adviser', foodbank)!, /stop smoking service/);
  assert.equal(roleFitError('commissioner', council), null);
  assert.match(
    roleFitError('commissioner', { ...council, local_authority_code: null })!,
    /must have a local authority/,
  );
  assert.match(roleFitError('commissioner', service)!, /local authority public health team/);
  assert.equal(roleFitError('national_analyst', national), null);
  assert.equal(roleFitError('referrer', foodbank), null);
  assert.match(roleFitError('referrer', national)!, /refers people/);
  assert.equal(roleFitError('administrator', foodbank), null);
  assert.equal(roleFitError('national_administrator', national), null);
  assert.match(roleFitError('national_administrator', service)!, /must belong to a national body/);
});

test('invitationState: used, expired, closed organisation, valid', () => {
  const now = new Date('2025-06-01T12:00:00Z');
  const later = new Date('2025-06-08T12:00:00Z');
  assert.equal(
    invitationState({ expires_at: later, accepted_at: null, organisation_active: true }, now),
    'valid',
  );
  assert.equal(
    invitationState({ expires_at: later, accepted_at: now, organisation_active: true }, now),
    'used',
  );
  assert.equal(
    invitationState({ expires_at: now, accepted_at: null, organisation_active: true }, now),
    'expired',
  );
  assert.equal(
    invitationState({ expires_at: later, accepted_at: null, organisation_active: false }, now),
    'closed',
  );
});
