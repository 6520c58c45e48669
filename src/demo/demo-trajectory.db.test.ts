// The demonstration's trajectory goes through the page's own service: the plan passes its validation, the
// history shows the first plan and its revision, and the national dashboard's page reads it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../test/helpers/test-app.ts';
import { signIn } from '../../test/helpers/http-session.ts';
import { textOf } from '../modules/organisations/test-html.ts';
import { loadDemoTrajectory } from './demo-trajectory.ts';
import type { StaffUser } from '../platform/roles.ts';

let t: TestApp;
before(async () => {
  t = await buildTestApp({ demo: true, now: new Date('2026-10-15T10:00:00Z') });
});
after(() => t?.close());

test('the demonstration trajectory loads with its history and reaches the goal', async () => {
  const row = await t.db
    .selectFrom('users')
    .innerJoin('organisations', 'organisations.id', 'users.organisation_id')
    .select([
      'users.id',
      'users.email',
      'users.name',
      'users.role',
      'organisations.id as organisationId',
      'organisations.name as organisationName',
      'organisations.type as organisationType',
      'organisations.local_authority_code as localAuthorityCode',
    ])
    .where('users.email', '=', 'national.admin@demo.test')
    .executeTakeFirstOrThrow();
  const admin: StaffUser = { kind: 'user', ...row };
  await loadDemoTrajectory(t.db, admin, '2026-10-15');

  const milestones = await t.db
    .selectFrom('national_milestones')
    .selectAll()
    .orderBy('financial_year')
    .execute();
  assert.equal(milestones.at(-1)?.target, 1_500_000);
  assert.ok(milestones.every((m) => m.updated_by === admin.id));
  const changes = await t.db.selectFrom('national_milestone_changes').select('occurred_at').execute();
  const days = new Set(changes.map((c) => c.occurred_at.toISOString().slice(0, 10)));
  // Two saves, 200 and 60 days before the demonstration's today: the history has both.
  assert.deepEqual([...days].sort(), ['2026-03-29', '2026-08-16']);

  const page = await (await signIn(t.app, 'analyst@demo.test')).get('/national/trajectory');
  assert.equal(page.statusCode, 200);
  assert.match(textOf(page.body), /1,500,000/);
  assert.doesNotMatch(textOf(page.body), /No milestone has been set yet/);
});
