import { z } from 'zod';
import { PLACEHOLDERS, unknownPlaceholders } from './toolkit-markup.ts';

const KNOWN = Object.keys(PLACEHOLDERS)
  .map((p) => `{{${p}}}`)
  .join(', ');

const text = (what: string, max: number) =>
  z
    .string({ error: `Enter the ${what}` })
    .trim()
    .min(1, `Enter the ${what}`)
    .max(max, `The ${what} must be ${max} characters or fewer`);

/** A document's text as typed: a placeholder Mortar cannot fill is refused, not printed as it is. */
export const DocumentTextSchema = z.object({
  title: text('title', 200),
  body: text('text of the document', 50000).superRefine((body, ctx) => {
    const unknown = unknownPlaceholders(body);
    if (unknown.length)
      ctx.addIssue({
        code: 'custom',
        message: `Mortar cannot fill ${unknown.map((u) => `{{${u}}}`).join(', ')}. Use only ${KNOWN}`,
      });
  }),
});

export const DraftSchema = DocumentTextSchema.extend({
  changeNote: z
    .string()
    .trim()
    .max(500, 'What changed must be 500 characters or fewer')
    .optional()
    .transform((v) => v || null),
});

export type DocumentText = z.infer<typeof DocumentTextSchema>;
export type DraftInput = z.infer<typeof DraftSchema>;
