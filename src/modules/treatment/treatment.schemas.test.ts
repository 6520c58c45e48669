import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coOf, dateBoxes } from './treatment.schemas.ts';
import { parseAssessment } from './assessment.schemas.ts';
import { parsePlan } from './plan.schemas.ts';
import { parseExtraSession, parseSession } from './session.schemas.ts';
import { parseLocalOutcome, parseOutcome } from './outcome.schemas.ts';

const today = '2027-03-20';
const dates = { today, referralDate: '2027-03-01', startedOn: '2027-03-02' };
const texts = (r: { ok: false; errors: { list: { text: string }[] } } | { ok: true }) =>
  r.ok ? [] : r.errors.list.map((e) => e.text);

test('date boxes round-trip, and CO readings are read for validateCo to judge', () => {
  assert.deepEqual(dateBoxes('quitDate', '2027-03-09'), {
    'quitDate-day': '9',
    'quitDate-month': '3',
    'quitDate-year': '2027',
  });
  assert.deepEqual(dateBoxes('quitDate', null), {});
  assert.equal(coOf(''), undefined);
  assert.equal(coOf('7'), 7);
  assert.ok(Number.isNaN(coOf('seven')!));
  assert.equal(coOf('4.5'), 4.5);
});

test('the assessment works out the HSI and refuses a date before the referral', () => {
  const body = {
    ...dateBoxes('assessedOn', '2027-03-10'),
    cigarettesPerDay: '31',
    timeToFirstCigarette: 'within_5',
    vapingStatus: 'never',
    mentalHealth: 'anxiety',
    mentalHealthBasis: 'self_reported',
    inTalkingTherapies: 'no',
    coPpm: '',
  };
  const ok = parseAssessment(body, dates);
  assert.ok(ok.ok);
  assert.equal(ok.data.heavinessIndex, 6);
  assert.equal(ok.data.coPpm, null);
  assert.equal(ok.data.pastQuitAttempts, null);
  const early = parseAssessment({ ...body, ...dateBoxes('assessedOn', '2027-02-28') }, dates);
  assert.deepEqual(texts(early), ['Date of the assessment cannot be before the referral date (1 March)']);
  const typo = parseAssessment(
    { ...body, ...dateBoxes('assessedOn', '2017-03-10') },
    { ...dates, referralDate: null },
  );
  assert.match(texts(typo)[0]!, /within the last 6 months/);
  const repeated = parseAssessment({ ...body, cigarettesPerDay: ['10', '20'] }, dates);
  assert.ok(repeated.ok, 'a repeated field is read as its first value');
});

test('the plan: quit date rules from programme.ts, and not before the assessment', () => {
  const base = { ...dateBoxes('quitDate', '2027-03-25'), interventionType: '07', setting: 'psychiatric' };
  const ctx = { ...dates, assessedOn: '2027-03-15' };
  const ok = parsePlan(base, ctx);
  assert.ok(ok.ok);
  assert.equal(ok.data.aid, null);
  assert.deepEqual(texts(parsePlan({ ...base, ...dateBoxes('quitDate', '2027-03-14') }, ctx)), [
    'The quit date cannot be before the pre-quit assessment (15 March)',
  ]);
  assert.match(
    texts(parsePlan({ ...base, ...dateBoxes('quitDate', '2027-02-14') }, ctx))[0]!,
    /before the referral date/,
  );
  const withAid = parsePlan(
    { ...base, aid: 'e_cigarette_swap_to_stop', ...dateBoxes('aidSuppliedOn', '2027-03-20') },
    ctx,
  );
  assert.ok(withAid.ok);
  assert.deepEqual(withAid.data.aid, {
    aid: 'e_cigarette_swap_to_stop',
    suppliedOn: '2027-03-20',
    supply: null,
  });
  assert.deepEqual(texts(parsePlan({ ...base, aid: 'e_cigarette' }, ctx)), [
    'Enter the date it was supplied',
  ]);
  assert.deepEqual(
    texts(parsePlan({ ...base, aid: 'snuff', ...dateBoxes('aidSuppliedOn', '2027-03-20') }, ctx)),
    ['Select the medicine or vape supplied'],
  );
});

test('a session: the "not a puff" answer is needed after the quit date, and the four-week answer only in the window', () => {
  const ctx = { ...dates, quitDate: '2027-02-20', asksFourWeekOutcome: true };
  const base = { attended: 'yes', ...dateBoxes('heldOn', '2027-03-20'), mode: 'telephone' };
  assert.deepEqual(texts(parseSession(base, ctx)), [
    'Select whether they have smoked since the last session, even a puff',
  ]);
  const ok = parseSession({ ...base, smokedSinceLast: 'no', smokedDays15to28: 'no', cravings: '0' }, ctx);
  assert.ok(ok.ok);
  assert.deepEqual([ok.data.smokedSinceLast, ok.data.smokedDays15to28, ok.data.cravings], [false, false, 0]);
  const early = parseSession(
    { ...base, ...dateBoxes('heldOn', '2027-03-10'), smokedSinceLast: 'no', smokedDays15to28: 'no' },
    ctx,
  );
  assert.match(texts(early)[0]!, /^The follow-up date is too early/);
  const beforeQuit = parseSession(
    { ...base, ...dateBoxes('heldOn', '2027-03-19') },
    { ...ctx, quitDate: '2027-03-19', asksFourWeekOutcome: false },
  );
  assert.ok(beforeQuit.ok, 'on the quit date itself the question is optional');
  const missed = parseSession({ attended: 'no', coPpm: '300' }, ctx);
  assert.ok(missed.ok, 'a missed session needs nothing else');
  assert.equal(missed.data.heldOn, null);
  assert.deepEqual(texts(parseSession({}, ctx)), ['Select whether the session took place']);
});

test('extra sessions, four-week and local follow-ups', () => {
  assert.ok(parseExtraSession(dateBoxes('extraOn', '2027-04-01'), dates).ok);
  assert.match(
    texts(parseExtraSession(dateBoxes('extraOn', '2027-02-01'), dates))[0]!,
    /cannot be before the referral date/,
  );
  assert.match(
    texts(parseExtraSession(dateBoxes('extraOn', '2027-02-01'), { ...dates, referralDate: null }))[0]!,
    /cannot be before the episode started/,
  );
  const outcome = parseOutcome(
    { ...dateBoxes('followUpOn', '2027-03-20'), smokedDays15to28: 'no', coPpm: '3' },
    { quitDate: '2027-02-20', today },
  );
  assert.ok(outcome.ok);
  assert.equal(outcome.data.mode, null);
  assert.match(
    texts(
      parseOutcome(
        { ...dateBoxes('followUpOn', '2027-03-20'), smokedDays15to28: 'no' },
        { quitDate: '2027-01-20', today },
      ),
    )[0]!,
    /too late/,
  );
  assert.ok(
    parseLocalOutcome(
      { weeks: '12', ...dateBoxes('contactOn', '2027-03-20'), abstinent: 'yes' },
      { quitDate: '2026-12-30', today },
    ).ok,
  );
  assert.match(
    texts(
      parseLocalOutcome(
        { weeks: '52', ...dateBoxes('contactOn', '2027-03-20'), abstinent: 'yes' },
        { quitDate: '2026-12-30', today },
      ),
    )[0]!,
    /52-week follow-up is too early/,
  );
});
