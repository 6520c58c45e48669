import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { orderTasks, TASK_KINDS, TASK_RANK } from './message-tasks.ts';

const at = (minute: number) => new Date(Date.UTC(2026, 5, 1, 9, minute));

test('"Please call me" and "I\'ve smoked" first, then not delivered, then still smokefree, oldest first within each', () => {
  const tasks = [
    { id: 'a', kind: 'smokefree', raised_at: at(1) },
    { id: 'b', kind: 'not_delivered', raised_at: at(2) },
    { id: 'c', kind: 'smoked', raised_at: at(5) },
    { id: 'd', kind: 'call_me', raised_at: at(4) },
    { id: 'e', kind: 'smoked', raised_at: at(3) },
    { id: 'f', kind: 'smokefree', raised_at: at(0) },
  ];
  assert.deepEqual(
    orderTasks(tasks).map((t) => t.id),
    ['e', 'd', 'c', 'b', 'f', 'a'],
  );
  assert.equal(tasks[0]!.id, 'a', 'the list given is not changed');
});

test('property: no task comes after one of a later group, and within a group none after a newer one', () => {
  const task = fc.record({
    kind: fc.constantFrom(...TASK_KINDS),
    raised_at: fc.integer({ min: 0, max: 10_000 }).map((m) => new Date(m * 60_000)),
  });
  fc.assert(
    fc.property(fc.array(task, { maxLength: 30 }), (tasks) => {
      const ordered = orderTasks(tasks);
      assert.equal(ordered.length, tasks.length);
      for (let i = 1; i < ordered.length; i++) {
        const [a, b] = [ordered[i - 1]!, ordered[i]!];
        assert.ok(TASK_RANK[a.kind] <= TASK_RANK[b.kind]);
        if (TASK_RANK[a.kind] === TASK_RANK[b.kind])
          assert.ok(a.raised_at.getTime() <= b.raised_at.getTime());
      }
    }),
  );
});
