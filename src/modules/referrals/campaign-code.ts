import { z } from 'zod';
import { readTypedCode, TYPED_CODE_MAX_LENGTH } from './campaign-attribution.ts';

// The optional campaign code field the staff referral form, the API and the public self-referral form
// share. Its own file, importing nothing from referrals, because the referral schemas import it.

/**
 * The optional campaign code on a referral, as typed: blank is no code; otherwise it must look like a
 * code (whether a campaign has it is checked against the database when the referral is made). The
 * value is the code in its stored form.
 */
export const campaignCodeField = (whose: 'staff' | 'public') =>
  z
    .string({ error: 'Enter the campaign code as text, or leave it out' })
    .max(TYPED_CODE_MAX_LENGTH, `The campaign code must be ${TYPED_CODE_MAX_LENGTH} characters or fewer`)
    .transform((v, ctx) => {
      const read = readTypedCode(v);
      if (read.ok) return read.code;
      if (read.reason === 'blank') return undefined;
      ctx.addIssue({
        code: 'custom',
        message:
          whose === 'public'
            ? 'A campaign code only has letters, numbers and hyphens. Check it, or leave it blank'
            : 'The campaign code must only include letters, numbers and hyphens, like LEEDS-TT-2026',
      });
      return z.NEVER;
    })
    .optional()
    .meta({
      description:
        'Optional. The code of a communications campaign the person mentioned or the referral is part of, such as LEEDS-TT-2026 (any case; spaces and hyphens are ignored). An unknown code is refused with 422 naming campaignCode.',
      examples: ['LEEDS-TT-2026'],
    });
