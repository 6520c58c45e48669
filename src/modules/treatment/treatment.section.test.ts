import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sessionStatus, whatIsDue } from './treatment.section.ts';

const today = '2027-03-10';

test('a session is held, missed, overdue, due today or booked', () => {
  assert.deepEqual(
    sessionStatus({ attended: true, held_on: '2027-03-03', scheduled_on: '2027-03-03' }, today),
    { text: 'Held 3 March', colour: 'green' },
  );
  assert.deepEqual(sessionStatus({ attended: false, held_on: null, scheduled_on: '2027-03-03' }, today), {
    text: 'Did not attend',
    colour: 'orange',
  });
  assert.deepEqual(sessionStatus({ attended: null, held_on: null, scheduled_on: '2027-03-09' }, today), {
    text: 'Overdue',
    colour: 'red',
  });
  assert.deepEqual(sessionStatus({ attended: null, held_on: null, scheduled_on: today }, today), {
    text: 'Due today',
    colour: 'blue',
  });
  assert.deepEqual(sessionStatus({ attended: null, held_on: null, scheduled_on: '2027-03-11' }, today), {
    text: 'Booked',
    colour: 'grey',
  });
});

test('the diary says when the four-week follow-up window closes: day 42 after the quit date', () => {
  assert.equal(
    whatIsDue('four_week_follow_up', '2027-02-01', today),
    'four-week follow-up: window closes 15 March',
  );
  assert.equal(whatIsDue('four_week_follow_up', null, today), 'four-week follow-up');
  assert.match(whatIsDue('week_2', '2027-02-01', today), /not a puff/);
  assert.match(whatIsDue('twelve_week_follow_up', '2027-02-01', today), /local/);
  assert.match(whatIsDue('extra', '2027-02-01', today), /extra support session/);
});
