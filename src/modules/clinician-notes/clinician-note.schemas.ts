import { z } from 'zod';
import { optionalText } from '../../platform/validation.ts';
import { NAME_TEXT, NAME_TEXT_HELP, PLAIN_TEXT } from '../medicines/medicines.schemas.ts';

// The form that records whether the person agrees to us sharing their progress, and with whom.

const optional = optionalText;

export const ClinicianConsentSchema = z
  .object({
    consent: z.enum(['yes', 'no'], { error: 'Select whether they agree to us sharing their progress' }),
    clinicianName: optional("the clinician's name", 200).refine(
      (v) => v === undefined || NAME_TEXT.test(v),
      `The clinician's name must only include ${NAME_TEXT_HELP}`,
    ),
    clinicianOrganisation: optional("the clinician's organisation", 200).refine(
      (v) => v === undefined || NAME_TEXT.test(v),
      `The clinician's organisation must only include ${NAME_TEXT_HELP}`,
    ),
    clinicianContact: optional('how to contact the clinician', 300).refine(
      (v) => v === undefined || PLAIN_TEXT.test(v),
      'How to contact the clinician must not include < > { or }',
    ),
  })
  .superRefine((c, ctx) => {
    if (c.consent !== 'yes') return;
    if (!c.clinicianName)
      ctx.addIssue({ code: 'custom', path: ['clinicianName'], message: "Enter the clinician's name" });
    if (!c.clinicianOrganisation) {
      ctx.addIssue({
        code: 'custom',
        path: ['clinicianOrganisation'],
        message: "Enter the clinician's organisation, like Leeds NHS Talking Therapies or their GP practice",
      });
    }
  });
export type ClinicianConsentInput = z.infer<typeof ClinicianConsentSchema>;
