import { z } from 'zod';
import { personFields } from '../referrals/referral.schemas.ts';

/** Someone the service meets directly: the same person fields as a referral, with their own consent. */
export const NewPersonSchema = z
  .object({
    givenName: personFields.givenName,
    familyName: personFields.familyName,
    dateOfBirth: personFields.dateOfBirth,
    postcode: personFields.postcode,
    phone: personFields.phone,
    email: personFields.email,
    nhsNumber: personFields.nhsNumber,
    mentalHealth: z.enum(['depression', 'anxiety', 'both', 'other', 'none', 'not_known'], {
      error: 'Select what you know of their mental health',
    }),
    inTalkingTherapies: personFields.inTalkingTherapies,
  })
  .refine((p) => !!p.phone || !!p.email, {
    path: ['phone'],
    message: 'Enter a phone number or an email address',
  });

export type NewPersonInput = z.infer<typeof NewPersonSchema>;
