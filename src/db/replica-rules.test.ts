import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CLOSED,
  afterFailure,
  afterSuccess,
  breakerAllows,
  breakerLog,
  chooseSource,
  completeAtOf,
  fallbackInForce,
  figuresAgeText,
  lagSecondsOf,
  newestMayBeMissingText,
  noticeMinutesOf,
  replicaErrorAction,
  type Breaker,
  type LagReading,
} from './replica-rules.ts';

// The replica's rules with an injected clock (plain milliseconds): when it is tried, when it is given up
// on, how its lag is read, where a read goes and what a page says.

describe('the breaker', () => {
  const backOff = { firstMs: 5_000, maxMs: 60_000 };

  test('closed, it lets the replica be tried', () => {
    assert.equal(breakerAllows(CLOSED, 0), true);
  });

  test('after a failure it sends reads to the primary for the back-off, then tries the replica again', () => {
    const open = afterFailure(CLOSED, 1_000_000, backOff);
    assert.equal(breakerAllows(open, 1_000_000), false);
    assert.equal(breakerAllows(open, 1_004_999), false);
    assert.equal(breakerAllows(open, 1_005_000), true);
  });

  test('each failure in a row doubles the wait, up to the cap', () => {
    let b: Breaker = CLOSED;
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      b = afterFailure(b, 0, backOff);
      waits.push(b.openUntil);
    }
    assert.deepEqual(waits, [5_000, 10_000, 20_000, 40_000, 60_000, 60_000, 60_000]);
  });

  test('a replica down for a very long time still waits the cap, never Infinity', () => {
    const b = afterFailure({ failures: 5_000, openUntil: 0 }, 10, backOff);
    assert.equal(b.openUntil, 60_010);
  });

  test('a success closes it, and the next failure waits the first back-off again', () => {
    const open = afterFailure(afterFailure(CLOSED, 0, backOff), 0, backOff);
    assert.equal(open.failures, 2);
    const b = afterSuccess();
    assert.deepEqual(b, CLOSED);
    assert.equal(breakerAllows(b, 0), true);
    assert.equal(afterFailure(b, 100, backOff).openUntil, 5_100);
  });

  test('logs once when the replica is given up on and once when it is back, never per failure', () => {
    const first = afterFailure(CLOSED, 0);
    const second = afterFailure(first, 10_000);
    assert.equal(breakerLog(CLOSED, first), 'replica-unavailable');
    assert.equal(breakerLog(first, second), null);
    assert.equal(breakerLog(second, afterSuccess()), 'replica-back');
    assert.equal(breakerLog(CLOSED, afterSuccess()), null);
  });
});

describe('the lag reading', () => {
  const at = 1_800_000_000;
  const streaming: LagReading = {
    standby: true,
    caughtUp: true,
    receiving: true,
    replayAgeSeconds: 900,
    atSeconds: at,
  };

  test('a primary reached through a read-only role has no lag', () => {
    const primary = {
      standby: false,
      caughtUp: false,
      receiving: false,
      replayAgeSeconds: null,
      atSeconds: at,
    };
    assert.equal(lagSecondsOf(primary), 0);
  });

  test('a streaming standby that has replayed all it received is fresh, however idle the primary', () => {
    // The last replayed commit was 15 minutes ago only because nothing has been written since.
    assert.equal(lagSecondsOf(streaming), 0);
  });

  test('a standby still replaying is as old as its last replayed commit', () => {
    assert.equal(lagSecondsOf({ ...streaming, caughtUp: false, replayAgeSeconds: 42.5 }), 42.5);
  });

  test('a standby that is not streaming is as old as its last replay even when it replayed all it had', () => {
    // Its receiver stopped: it cannot know what the primary wrote since.
    assert.equal(lagSecondsOf({ ...streaming, receiving: false }), 900);
  });

  test('a write after an idle spell, caught before replay, is as old as the last time it was seen complete', () => {
    const completeAt = completeAtOf(streaming, null);
    assert.equal(completeAt, at);
    const later = { ...streaming, caughtUp: false, replayAgeSeconds: 902, atSeconds: at + 2 };
    assert.equal(lagSecondsOf(later, completeAt), 2);
    // A reading that is not complete keeps the last complete one; a primary never sets it.
    assert.equal(completeAtOf(later, completeAt), at);
    assert.equal(completeAtOf({ ...streaming, standby: false }, completeAt), completeAt);
    // Its receiver stopped since: it is missing at most what came after it was last seen complete.
    assert.equal(lagSecondsOf({ ...later, receiving: false, atSeconds: at + 600 }, completeAt), 600);
  });

  test('a standby that has replayed nothing yet, and was never seen complete, cannot say: unknown', () => {
    assert.equal(lagSecondsOf({ ...streaming, caughtUp: false, replayAgeSeconds: null }), null);
    assert.equal(lagSecondsOf({ ...streaming, caughtUp: false, replayAgeSeconds: null }, at - 5), 5);
  });

  test('clocks a little apart never give a negative lag', () => {
    assert.equal(lagSecondsOf({ ...streaming, caughtUp: false, replayAgeSeconds: -0.3 }), 0);
  });
});

describe('where a read goes', () => {
  const limits = { noticeSeconds: 30, maxSeconds: 300 };

  test('the replica while it answers and is within the limit', () => {
    assert.equal(chooseSource({ breakerOpen: false, lagSeconds: 0 }, limits), 'replica');
    assert.equal(chooseSource({ breakerOpen: false, lagSeconds: 300 }, limits), 'replica');
  });

  test('the primary beyond the limit, when the lag is unknown, or while the breaker is open', () => {
    assert.equal(chooseSource({ breakerOpen: false, lagSeconds: 300.1 }, limits), 'primary');
    assert.equal(chooseSource({ breakerOpen: false, lagSeconds: null }, limits), 'primary');
    assert.equal(chooseSource({ breakerOpen: true, lagSeconds: 0 }, limits), 'primary');
  });

  test('a download, which cannot carry a notice, reads the replica only while no notice is needed', () => {
    assert.equal(chooseSource({ breakerOpen: false, lagSeconds: 30 }, limits, true), 'replica');
    assert.equal(chooseSource({ breakerOpen: false, lagSeconds: 31 }, limits, true), 'primary');
    // A maximum set below the notice threshold still bounds a download.
    const tight = { noticeSeconds: 120, maxSeconds: 60 };
    assert.equal(chooseSource({ breakerOpen: false, lagSeconds: 90 }, tight, true), 'primary');
  });

  test('falling back, as /metrics says: given up on, or the latest lag past the limit or unknown', () => {
    const given = afterFailure(CLOSED, 0);
    assert.equal(
      fallbackInForce(CLOSED, null, limits),
      false,
      'before the first reading the replica is tried',
    );
    assert.equal(fallbackInForce(CLOSED, { seconds: 0 }, limits), false);
    assert.equal(fallbackInForce(CLOSED, { seconds: 300 }, limits), false);
    assert.equal(fallbackInForce(CLOSED, { seconds: 31 }, limits), false, 'only downloads go elsewhere');
    assert.equal(fallbackInForce(CLOSED, { seconds: 300.1 }, limits), true);
    assert.equal(fallbackInForce(CLOSED, { seconds: null }, limits), true);
    // Until a read finds it answering again, whether or not the back-off is over and whatever it last said.
    assert.equal(fallbackInForce(given, null, limits), true);
    assert.equal(fallbackInForce(given, { seconds: 0 }, limits), true);
    assert.equal(fallbackInForce(afterSuccess(), { seconds: 0 }, limits), false);
  });
});

describe('what a page says', () => {
  test('nothing up to the threshold', () => {
    assert.equal(noticeMinutesOf(0, 30), null);
    assert.equal(noticeMinutesOf(30, 30), null);
  });

  test('whole minutes above it, rounded up so the age is never understated', () => {
    assert.equal(noticeMinutesOf(30.5, 30), 1);
    assert.equal(noticeMinutesOf(60, 30), 1);
    assert.equal(noticeMinutesOf(61, 30), 2);
    assert.equal(noticeMinutesOf(299, 30), 5);
    // A threshold of 0 says so for any lag at all, never "up to 0 minutes".
    assert.equal(noticeMinutesOf(0.2, 0), 1);
  });

  test('in plain English, one minute or several', () => {
    assert.equal(figuresAgeText(1), 'These figures may be up to 1 minute old.');
    assert.equal(figuresAgeText(5), 'These figures may be up to 5 minutes old.');
    assert.equal(
      newestMayBeMissingText(1),
      'A quarter published in the last minute may not be listed here yet.',
    );
    assert.equal(
      newestMayBeMissingText(3),
      'A quarter published in the last 3 minutes may not be listed here yet.',
    );
  });
});

describe('when the replica fails a read', () => {
  test('down, unreachable, or refusing a table to its role: give it up and read from the primary', () => {
    assert.equal(replicaErrorAction('ECONNREFUSED', true), 'give-up');
    assert.equal(replicaErrorAction(undefined, true), 'give-up');
    assert.equal(replicaErrorAction('42501', false), 'give-up');
  });

  test('a query cancelled by replay: this read from the primary, the replica kept', () => {
    assert.equal(replicaErrorAction('40001', false), 'rerun');
    assert.equal(replicaErrorAction('40P01', false), 'rerun');
  });

  test('a fault in the read itself, or a write on the read-only connection: fails as on the primary', () => {
    assert.equal(replicaErrorAction('25006', false), 'fail');
    assert.equal(replicaErrorAction('42P01', false), 'fail');
    assert.equal(replicaErrorAction(undefined, false), 'fail');
  });
});
