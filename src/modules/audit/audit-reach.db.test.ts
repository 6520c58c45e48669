// audit_reach (kept by the database for every audit row, migration 0056) must say exactly what the view
// audit_subjects says, for statements that write many audit rows at once, as list pages do: rows of
// several kinds in one statement, the same record twice, records that do not exist, entities named by a
// code rather than an id, rows with no entity and rows with no acting organisation. Statements of fewer
// than eight rows are worked out row by row, longer ones kind by kind: the generated statements have 1 to
// 25 rows, so both ways are checked.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';

let t: TestApp;
type Subject = { entity_type: string; entity_id: string | null };
let subjects: Subject[] = [];
let organisations: string[] = [];

before(async () => {
  t = await buildTestApp({ demo: true });
  // A few records of every kind the view knows, as the demonstration data has them.
  const held = await sql<Subject>`
    select entity_type, entity_id::text as entity_id from (
      select entity_type, entity_id, row_number() over (partition by entity_type order by entity_id) as n
      from audit_subjects
    ) s where n <= 3`.execute(t.db);
  const kinds = [...new Set(held.rows.map((r) => r.entity_type))];
  assert.ok(kinds.length >= 8, `demonstration data holds records of ${kinds.length} kinds`);
  subjects = [
    ...held.rows,
    // A record of a known kind that does not exist, and a kind the view does not know.
    { entity_type: 'referral', entity_id: randomUUID() },
    { entity_type: 'episode', entity_id: randomUUID() },
    { entity_type: 'organisation', entity_id: randomUUID() },
    // Entities named by a code, or by nothing.
    { entity_type: 'local_authority', entity_id: 'E08000035' },
    { entity_type: 'referral', entity_id: 'MOR-000001' },
    { entity_type: 'return', entity_id: null },
  ];
  organisations = (await t.db.selectFrom('organisations').select('id').limit(4).execute()).map((o) => o.id);
});
after(() => t?.close());

const reachOf = async (ids: string[]) =>
  (
    await sql<{ organisation_id: string; audit_event_id: string; holds: boolean; acted: boolean }>`
      select organisation_id, audit_event_id::text, holds, acted from audit_reach
      where audit_event_id = any(${ids}::bigint[]) order by 1, 2`.execute(t.db)
  ).rows;

/** What the view says each audit row reaches (the rule audit.routes.db.test.ts checks for all rows). */
const expectedOf = async (ids: string[]) =>
  (
    await sql<{ organisation_id: string; audit_event_id: string; holds: boolean; acted: boolean }>`
      select org as organisation_id, id::text as audit_event_id, bool_or(holds) as holds, bool_or(acted) as acted
      from (
        select s.organisation_id as org, a.id, true as holds, false as acted
        from audit_events a join audit_subjects s
          on s.entity_type = a.entity_type and s.entity_id::text = a.entity_id
        where a.id = any(${ids}::bigint[])
        union all
        select a.organisation_id, a.id, false, true from audit_events a
        where a.id = any(${ids}::bigint[]) and a.organisation_id is not null
      ) x group by org, id order by 1, 2`.execute(t.db)
  ).rows;

test('audit rows written together reach exactly whom the view says, row for row (property)', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(
        fc.record({
          subject: fc.nat(),
          organisation: fc.option(fc.nat(), { nil: null }),
        }),
        { minLength: 1, maxLength: 25 },
      ),
      fc.boolean(),
      async (rows, together) => {
        const values = rows.map((r) => ({
          ...subjects[r.subject % subjects.length]!,
          organisation_id:
            r.organisation === null ? null : organisations[r.organisation % organisations.length]!,
          action: 'view',
        }));
        const ids: string[] = [];
        if (together) {
          const written = await t.db.insertInto('audit_events').values(values).returning('id').execute();
          ids.push(...written.map((w) => String(w.id)));
        } else
          for (const v of values) {
            const w = await t.db
              .insertInto('audit_events')
              .values(v)
              .returning('id')
              .executeTakeFirstOrThrow();
            ids.push(String(w.id));
          }
        assert.deepEqual(await reachOf(ids), await expectedOf(ids));
        // Every row reaches someone unless it names no record held and no organisation acted.
        for (const [i, v] of values.entries())
          if (v.organisation_id) assert.ok((await reachOf([ids[i]!])).some((r) => r.acted));
      },
    ),
    { numRuns: 60 },
  );
});
