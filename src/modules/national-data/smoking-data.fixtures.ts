// Generated people asked about smoking, for the pure tests and for checking the SQL against the pure rule.
// Dates straddle the ends of quarters; every organisation type, status and follow-up appears.
import fc from 'fast-check';
import { OUTCOMES } from '../episodes/four-week-outcome.ts';
import { ORGANISATION_TYPES } from '../organisations/organisation.codes.ts';
import { addDays } from '../../platform/dates.ts';
import type { AskedFact } from './smoking-data.ts';

export const LEEDS = 'E08000035';
export const MANCHESTER = 'E08000003';
export const AUTHORITIES = [LEEDS, MANCHESTER, null] as const;
/** Days from 2025-03-25 to 2025-07-05: the end of 2024-25 Q4, all of 2025-26 Q1 and the start of Q2. */
export const FIRST_DAY = '2025-03-25';
export const DAYS = 102;

const day = fc.integer({ min: 0, max: DAYS }).map((n) => addDays(FIRST_DAY, n));
const episode = fc.record({
  quitDate: fc.option(day, { nil: null }),
  outcome: fc.option(fc.constantFrom(...OUTCOMES.filter((o) => o !== 'pending')), { nil: null }),
});

export const askedFact: fc.Arbitrary<AskedFact> = fc.record({
  organisationType: fc.constantFrom(...Object.keys(ORGANISATION_TYPES)),
  localAuthorityCode: fc.constantFrom(...AUTHORITIES),
  askedOn: day,
  smokingStatus: fc.constantFrom('1', '1', '1', '2', '3', '4', 'Z', '9'),
  adviceGiven: fc.boolean(),
  referral: fc.option(
    fc.record({
      eventKinds: fc.subarray(['contacted', 'accepted', 'declined', 'unable_to_contact']),
      episodes: fc.array(episode, { maxLength: 2 }),
    }),
    { nil: null, freq: 2 },
  ),
});
