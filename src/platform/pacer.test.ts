import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPacer } from './pacer.ts';

// A clock the pacer's sleeps move, so nothing waits for real time.
function virtual() {
  let t = 1_000_000;
  return { now: () => t, sleep: async (ms: number) => void (t += ms), at: () => t };
}

test('3,000 a minute: no 60-second window ever holds more than 3,000 sends', async () => {
  const v = virtual();
  const pacer = createPacer(3000, v);
  const times: number[] = [];
  for (let i = 0; i < 9000; i++) {
    await pacer.take();
    times.push(v.at());
  }
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= 60_000) j++;
    most = Math.max(most, i - j + 1);
  }
  assert.ok(most <= 3000, `${most} in a window`);
  // ...and not far under it: the queue drains at the rate Notify allows.
  assert.ok(most >= 2900, `${most} in a window`);
});

test('after a refusal for the rate, the next send waits the back-off', async () => {
  const v = virtual();
  const pacer = createPacer(3000, { ...v, backOffMs: 5000 });
  await pacer.take();
  const before = v.at();
  pacer.backOff();
  await pacer.take();
  assert.ok(v.at() - before >= 5000);
});

test('callers at once take successive slots', async () => {
  let t = 0;
  const slept: number[] = [];
  const pacer = createPacer(60, { now: () => t, sleep: async (ms) => void slept.push(ms) });
  await Promise.all([pacer.take(), pacer.take(), pacer.take()]);
  assert.equal(slept.length, 2);
  assert.ok(slept[0]! > 1000 && slept[1]! > 2000);
  t += 10;
});
