import { z } from 'zod';
import { personFields } from '../referrals/referral.schemas.ts';
import type { IsoDate } from '../../platform/dates.ts';

/**
 * Someone the service meets directly: the same person fields as a referral, with their own consent.
 * Built for a day, as the date of birth is judged against today by the app's clock.
 */
export function newPersonSchema(today: IsoDate) {
  const person = personFields(today);
  return z
    .object({
      givenName: person.givenName,
      familyName: person.familyName,
      dateOfBirth: person.dateOfBirth,
      postcode: person.postcode,
      phone: person.phone,
      email: person.email,
      nhsNumber: person.nhsNumber,
      mentalHealth: z.enum(['depression', 'anxiety', 'both', 'other', 'none', 'not_known'], {
        error: 'Select what you know of their mental health',
      }),
      inTalkingTherapies: person.inTalkingTherapies,
    })
    .refine((p) => !!p.phone || !!p.email, {
      path: ['phone'],
      message: 'Enter a phone number or an email address',
    });
}

export type NewPersonInput = z.infer<ReturnType<typeof newPersonSchema>>;

/** What the episode records of the person's mental health, in the adviser's words. */
export const EPISODE_MENTAL_HEALTH = {
  depression: 'Depression',
  anxiety: 'Anxiety',
  both: 'Depression and anxiety',
  other: 'Another mental health condition',
  none: 'No mental health condition',
  not_known: 'Not known',
} as const;
