import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clinicianNote, clinicianRecipient, type ClinicianNoteInput } from './clinician-note.ts';
import { describeMoodChange } from '../mood/mood.ts';

const base: ClinicianNoteInput = {
  person: { name: 'Sam Taylor', dateOfBirth: '1985-06-14', nhsNumber: null },
  clinician: { name: 'Dr Ana Rees', organisation: 'Leeds NHS Talking Therapies' },
  service: { name: 'Leeds Stop Smoking Service', phone: '0113 496 0000', email: null },
  adviser: { name: 'Adam Clarke' },
  quitDate: '2026-03-02',
  sessions: { attended: 3, missed: 1 },
  fourWeekOutcome: null,
  mood: null,
  medicineAlerts: [],
  today: '2026-03-20',
};

test('the note gives the quit date, sessions attended, and says the person agreed', () => {
  const note = clinicianNote(base);
  assert.match(note, /^20 March 2026\n\nDear Dr Ana Rees,/);
  assert.match(note, /Sam Taylor, date of birth 14 June 1985/);
  assert.match(note, /Sam Taylor has agreed that we may tell you/);
  assert.match(note, /Quit date: 2 March 2026\./);
  assert.match(note, /Sessions: 3 sessions attended, 1 session missed\./);
  assert.match(note, /Four-week outcome: not known yet\./);
  assert.match(note, /Mood: no PHQ-9 or GAD-7 has been recorded with us\./);
  assert.match(note, /none of their recorded medicines is on our list/);
  assert.match(note, /Adam Clarke\nLeeds Stop Smoking Service\nPhone: 0113 496 0000$/);
  assert.doesNotMatch(note, /<|>/, 'plain text');
});

test('before a quit date, and with one session, the wording still reads', () => {
  const note = clinicianNote({ ...base, quitDate: null, sessions: { attended: 1, missed: 0 } });
  assert.match(note, /Quit date: not set yet\./);
  assert.match(note, /Sessions: 1 session attended\./);
  assert.doesNotMatch(note, /Four-week outcome/);
});

test('the four-week outcome appears once it is known', () => {
  assert.match(
    clinicianNote({ ...base, fourWeekOutcome: 'quit_co_verified' }),
    /Four-week outcome: Quit, confirmed by a carbon monoxide \(CO\) reading\./,
  );
  assert.match(clinicianNote({ ...base, fourWeekOutcome: 'pending' }), /Four-week outcome: not known yet\./);
});

test('mood change uses describeMoodChange on the first and latest totals', () => {
  const baseline = { phq9: 16, gad7: 12 };
  const latest = { phq9: 9, gad7: 11 };
  const note = clinicianNote({
    ...base,
    mood: { baseline, latest, baselineOn: '2026-02-20', latestOn: '2026-03-16' },
  });
  assert.match(note, /At the start of support \(20 February 2026\): PHQ-9 16, GAD-7 12\./i);
  assert.match(note, /Most recently \(16 March 2026\): PHQ-9 9, GAD-7 11\./);
  assert.ok(note.includes(`What we told Sam Taylor: ${describeMoodChange(baseline, latest)}`));
  assert.match(note, /reliable improvement in mood/);

  const once = clinicianNote({
    ...base,
    mood: { baseline: { phq9: 12, gad7: null }, latest: { phq9: null, gad7: null } },
  });
  assert.match(once, /PHQ-9 12\.\nThere is not yet a second score to compare\./);
});

test('medicine alerts are listed with their direction and what has been done', () => {
  const note = clinicianNote({
    ...base,
    medicineAlerts: [
      {
        name: 'Clozapine',
        event: 'quit_date_set',
        direction: 'levels_may_rise',
        raisedOn: '2026-02-25',
        acknowledged: true,
        letterProducedOn: '2026-02-25',
      },
      {
        name: 'Clozapine',
        event: 'relapse',
        direction: 'levels_may_fall',
        raisedOn: '2026-03-18',
        acknowledged: false,
        letterProducedOn: null,
      },
    ],
  });
  assert.match(
    note,
    /- Clozapine: levels may rise \(quit date set, 25 February 2026\); acknowledged by the adviser; letter to the prescriber produced 25 February 2026\./,
  );
  assert.match(
    note,
    /- Clozapine: levels may fall \(started smoking again, 18 March 2026\); not yet acknowledged; no letter to the prescriber yet\./,
  );
});

test('the recipient reads as name and organisation', () => {
  assert.equal(
    clinicianRecipient({ name: ' Dr Ana Rees ', organisation: 'Leeds NHS Talking Therapies' }),
    'Dr Ana Rees, Leeds NHS Talking Therapies',
  );
  assert.equal(clinicianRecipient({ name: 'Dr Ana Rees', organisation: null }), 'Dr Ana Rees');
});
