import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  campaignCodeProblem,
  CODE_GRACE_DAYS,
  codeKey,
  counts,
  countingWindow,
  inArea,
  matchCampaign,
  normaliseCode,
  readTypedCode,
  timingOf,
} from './campaign-attribution.ts';
import { addDays } from '../../platform/dates.ts';

describe('reading a typed code', () => {
  test('any case, spaces, hyphens and dashes around or between parts give the stored form', () => {
    for (const typed of [
      'LEEDS-TT-2026',
      'leeds-tt-2026',
      ' Leeds-TT-2026 ',
      'leeds tt 2026',
      '-leeds--tt--2026-',
      'leeds_tt_2026',
      'leeds – tt – 2026',
      'ＬＥＥＤＳ-TT-2026',
    ]) {
      assert.deepEqual(readTypedCode(typed), { ok: true, code: 'LEEDS-TT-2026', key: 'LEEDSTT2026' }, typed);
    }
  });

  test('blank, too long and wrong characters are told apart', () => {
    assert.deepEqual(readTypedCode(undefined), { ok: false, reason: 'blank' });
    assert.deepEqual(readTypedCode('   '), { ok: false, reason: 'blank' });
    assert.deepEqual(readTypedCode(' - - '), { ok: false, reason: 'blank' });
    assert.deepEqual(readTypedCode('A'.repeat(41)), { ok: false, reason: 'too_long' });
    assert.deepEqual(readTypedCode('LEEDS/TT'), { ok: false, reason: 'characters' });
    assert.deepEqual(readTypedCode('<script>'), { ok: false, reason: 'characters' });
    assert.deepEqual(readTypedCode('CAFÉ-1'), { ok: false, reason: 'characters' });
  });

  test('the key ignores hyphens, so a code typed without them still matches', () => {
    assert.equal(codeKey('LEEDS-TT-2026'), 'LEEDSTT2026');
    assert.equal(codeKey('leedstt2026'), 'LEEDSTT2026');
    assert.equal(normaliseCode('  yh--quit  '), 'YH-QUIT');
  });
});

describe('matching a campaign', () => {
  const campaigns = [
    { code: 'LEEDS-TT-2026', id: 'a' },
    { code: 'YH-QUIT-2026', id: 'b' },
  ];
  test('finds the campaign however the code is typed', () => {
    assert.equal(matchCampaign('leedstt2026', campaigns)?.id, 'a');
    assert.equal(matchCampaign(' yh quit 2026 ', campaigns)?.id, 'b');
  });
  test('nothing for an unknown, blank or malformed code', () => {
    assert.equal(matchCampaign('LEEDS-TT-2025', campaigns), undefined);
    assert.equal(matchCampaign('', campaigns), undefined);
    assert.equal(matchCampaign('LEEDS/TT/2026', campaigns), undefined);
  });
});

describe('a new campaign’s code', () => {
  test('3 to 20 characters of letters and digits joined by single hyphens', () => {
    assert.equal(campaignCodeProblem('LEEDS-TT-2026'), null);
    assert.equal(campaignCodeProblem('ABC'), null);
    assert.equal(campaignCodeProblem('A'.repeat(20)), null);
    assert.equal(campaignCodeProblem('A'.repeat(21)), 'too_long');
    assert.equal(campaignCodeProblem('AB'), 'too_short');
    assert.equal(
      campaignCodeProblem('A-B'),
      'too_short',
      'three characters but only two letters or digits to match on',
    );
    assert.equal(campaignCodeProblem('AB--C'), 'characters');
    assert.equal(campaignCodeProblem('-ABC'), 'characters');
    assert.equal(campaignCodeProblem('abc'), 'characters', 'stored upper case');
  });
});

describe('which referrals count (dates)', () => {
  const c = { startsOn: '2026-03-01', endsOn: '2026-05-31' };

  test('from the first day to 90 days after the last, both included', () => {
    assert.equal(CODE_GRACE_DAYS, 90);
    assert.deepEqual(countingWindow(c), { from: '2026-03-01', to: '2026-08-29' });
    assert.equal(timingOf(c, '2026-02-28'), 'before_start');
    assert.equal(timingOf(c, '2026-03-01'), 'running');
    assert.equal(timingOf(c, '2026-05-31'), 'running');
    assert.equal(timingOf(c, '2026-06-01'), 'after_end');
    assert.equal(timingOf(c, '2026-08-29'), 'after_end');
    assert.equal(timingOf(c, '2026-08-30'), 'too_late');
    assert.equal(counts(c, '2026-02-28'), false);
    assert.equal(counts(c, '2026-03-01'), true);
    assert.equal(counts(c, '2026-08-29'), true);
    assert.equal(counts(c, '2026-08-30'), false);
  });

  test('a campaign with no end date counts everything from its first day', () => {
    const open = { startsOn: '2026-01-01', endsOn: null };
    assert.deepEqual(countingWindow(open), { from: '2026-01-01', to: null });
    assert.equal(counts(open, '2025-12-31'), false);
    assert.equal(counts(open, '2030-01-01'), true);
  });

  test('a one-day campaign still has its grace period', () => {
    const day = { startsOn: '2026-04-01', endsOn: '2026-04-01' };
    assert.equal(counts(day, '2026-04-01'), true);
    assert.equal(counts(day, addDays('2026-04-01', 90)), true);
    assert.equal(counts(day, addDays('2026-04-01', 91)), false);
  });

  test('counts agrees with the window for every day of two years (the SQL uses the window)', () => {
    const w = countingWindow(c);
    for (let d = '2025-12-01'; d < '2027-12-01'; d = addDays(d, 1)) {
      const inWindow = d >= w.from && (w.to === null || d <= w.to);
      assert.equal(counts(c, d), inWindow, d);
    }
  });

  test('refuses what is not a date rather than guessing', () => {
    assert.throws(() => timingOf(c, '2026-02-30'), RangeError);
    assert.throws(() => timingOf(c, '1 March 2026'), RangeError);
  });
});

describe('area (informative: a referral from outside still counts)', () => {
  test('a local campaign is in area only in its authority; a regional one across its region', () => {
    const local = { regionCode: null, localAuthorityCode: 'E08000035' };
    const regional = { regionCode: 'E12000003', localAuthorityCode: null };
    assert.equal(inArea(local, { localAuthorityCode: 'E08000035', regionCode: 'E12000003' }), true);
    assert.equal(inArea(local, { localAuthorityCode: 'E08000032', regionCode: 'E12000003' }), false);
    assert.equal(inArea(regional, { localAuthorityCode: 'E08000032', regionCode: 'E12000003' }), true);
    assert.equal(inArea(regional, { localAuthorityCode: 'E08000003', regionCode: 'E12000002' }), false);
  });
});
