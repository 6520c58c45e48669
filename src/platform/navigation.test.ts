import { test } from 'node:test';
import assert from 'node:assert/strict';
import { navigationFor } from './navigation.ts';
import type { StaffUser } from './roles.ts';

const user = (role: StaffUser['role']): StaffUser => ({
  kind: 'user',
  id: 'u',
  email: 'e',
  name: 'n',
  role,
  organisationId: 'o',
  organisationName: 'O',
  organisationType: 't',
  localAuthorityCode: null,
});

test('advisers and managers can reach the worklist, caseload and diary', () => {
  for (const role of ['adviser', 'service_manager'] as const) {
    const hrefs = navigationFor(user(role), '/').map((i) => i.href);
    for (const h of ['/worklist', '/episodes', '/diary']) assert.ok(hrefs.includes(h), `${role} ${h}`);
  }
});

test('the most specific item is current, and nobody signed out gets a menu', () => {
  const items = navigationFor(user('national_analyst'), '/national/returns?q=1');
  assert.deepEqual(
    items.filter((i) => i.current).map((i) => i.href),
    ['/national/returns'],
  );
  assert.deepEqual(navigationFor(null, '/'), []);
});

test('commissioners and the national team reach the national toolkit', () => {
  for (const role of ['commissioner', 'national_analyst', 'national_administrator'] as const)
    assert.ok(
      navigationFor(user(role), '/').some((i) => i.href === '/toolkit'),
      role,
    );
});
