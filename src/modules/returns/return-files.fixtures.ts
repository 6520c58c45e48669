// A small, consistent return for the file tests (upload and national layout): 10 people in 2025/26 Q2
// with every outcome known. Community 3 of 6 quit (no reason needed); pharmacy 0 of 3 and general practice
// 1 of 1 need a written reason. Test-only: import it from *.test.ts files only.
import type { FourWeekOutcome } from '../episodes/four-week-outcome.ts';
import { computeReturn, type QuarterlyReturn } from './return-definition.ts';
import type { EpisodeFact } from './return-measures.ts';

const SPECS: [setting: string, outcome: FourWeekOutcome, sex: string | null][] = [
  ['community', 'quit_co_verified', 'female'],
  ['community', 'quit_self_reported', 'male'],
  ['community', 'quit_self_reported', 'female'],
  ['community', 'not_quit', 'male'],
  ['community', 'lost_to_follow_up', 'female'],
  ['community', 'not_quit', null],
  ['pharmacy', 'not_quit', 'male'],
  ['pharmacy', 'lost_to_follow_up', 'female'],
  ['pharmacy', 'not_quit', 'female'],
  ['general_practice', 'quit_self_reported', 'male'],
];

export function sampleReturn(localAuthorityCode: string): QuarterlyReturn {
  const episodes: EpisodeFact[] = SPECS.map(([setting, outcome, sex], i) => ({
    episodeId: `e${i}`,
    localAuthorityCode,
    serviceOrganisationId: 's1',
    quitDate: `2025-08-${String(i + 10).padStart(2, '0')}`,
    referralReceivedOn: '2025-07-01',
    outcome,
    dateOfBirth: '1980-01-01',
    sex,
    genderSameAsBirth: 'yes',
    ethnicCategory: i % 2 ? 'A' : 'H',
    pregnant: sex === 'female' ? (i === 0 ? 'yes' : 'no') : 'not_applicable',
    freePrescriptions: i % 3 ? 'yes' : 'no',
    nsSec: '3',
    sexualOrientation: 'heterosexual',
    interventionType: i < 5 ? '08' : '11',
    setting,
    aids: i % 2 ? ['varenicline'] : ['e_cigarette_swap_to_stop'],
    mentalHealth: i % 2 ? 'depression' : 'none',
    inTalkingTherapies: i % 2 ? 'yes' : 'no',
    referralSource: 'gp_practice',
  }));
  const referrals = [{ localAuthorityCode, receivedOn: '2025-07-01', source: 'gp_practice' }];
  const ret = computeReturn({
    episodes,
    referrals,
    localAuthorityCode,
    financialYear: 2025,
    quarter: 2,
    asOf: '2025-12-31',
  });
  return { ...ret, asOf: null };
}
