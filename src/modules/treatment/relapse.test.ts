import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasRecordedRelapse, latestSessionAfterQuitDate } from './relapse.ts';

test('a relapse is a session after the quit date that recorded smoking', () => {
  const s = (held_on: string, smoked: boolean | null) => ({
    attended: true,
    held_on,
    smoked_since_last: smoked,
  });
  assert.equal(
    hasRecordedRelapse([s('2027-03-01', true)], '2027-03-01'),
    false,
    'on the quit date itself they were still smoking',
  );
  assert.equal(hasRecordedRelapse([s('2027-03-08', false)], '2027-03-01'), false);
  assert.equal(hasRecordedRelapse([s('2027-03-08', false), s('2027-03-15', true)], '2027-03-01'), true);
});

test('the latest session after the quit date: by the day held, then by when it was recorded', () => {
  const s = (id: string, held_on: string, attended: boolean, recordedAt: string) => ({
    id,
    attended,
    held_on,
    smoked_since_last: null,
    recorded_at: new Date(recordedAt),
  });
  const sessions = [
    s('later-day', '2027-03-15', true, '2027-03-15T10:00:00Z'),
    s('same-day-first', '2027-03-22', true, '2027-03-22T09:00:00Z'),
    s('same-day-last', '2027-03-22', true, '2027-03-22T11:00:00Z'),
    s('missed', '2027-03-29', false, '2027-03-29T09:00:00Z'),
  ];
  assert.equal(latestSessionAfterQuitDate(sessions, '2027-03-01')?.id, 'same-day-last');
  assert.equal(
    latestSessionAfterQuitDate(sessions.slice(0, 1), '2027-03-15'),
    undefined,
    'not on the quit date',
  );
});
