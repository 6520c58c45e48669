import { z } from 'zod';
import { capitalise, optionalText, requiredText } from '../../platform/validation.ts';
import { isIsoDate } from '../../platform/dates.ts';

// One schema per form. Every field arrives as a string (or not at all) from an HTML form.

// Medicine names as people write them on a repeat prescription: "Clozapine 100mg tablets (Clozaril)".
const MEDICINE_TEXT = /^[\p{L}\p{M}\p{N} %&'’,.()/+:-]+$/u;
const MEDICINE_TEXT_HELP = "letters, numbers, spaces and % & ' , . ( ) / + : -";
// Names of people and organisations (the note to a clinician checks its names the same way).
export const NAME_TEXT = /^[\p{L}\p{M}\p{N} &'’,.()/:+-]+$/u;
export const NAME_TEXT_HELP = "letters, numbers, spaces and & ' , . ( ) / : + -";
// Advice is plain text that goes into letters: no markup.
export const PLAIN_TEXT = /^[^<>{}]*$/u;

const required = requiredText;

const optional = optionalText;

export const PRESCRIBER_KINDS = {
  gp: 'GP',
  psychiatrist: 'Psychiatrist',
  other: 'Another prescriber',
} as const;
export type PrescriberKind = keyof typeof PRESCRIBER_KINDS;

export const AddMedicineSchema = z.object({
  name: required('the name of the medicine', 200).regex(
    MEDICINE_TEXT,
    `The name of the medicine must only include ${MEDICINE_TEXT_HELP}`,
  ),
  prescriberKind: z.enum(['gp', 'psychiatrist', 'other'], { error: 'Select who prescribes it' }),
  prescriberName: optional("the prescriber's name", 200).refine(
    (v) => v === undefined || NAME_TEXT.test(v),
    `The prescriber's name must only include ${NAME_TEXT_HELP}`,
  ),
});
export type AddMedicineInput = z.infer<typeof AddMedicineSchema>;

/** "Clozaril, Denzapine" or one a line, as an administrator types them, to a list without blanks or repeats. */
export function splitAlsoKnownAs(v: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of v.split(/[,\n\r;]+/)) {
    const name = raw.trim();
    if (name && !seen.has(name.toLowerCase())) {
      seen.add(name.toLowerCase());
      out.push(name);
    }
  }
  return out;
}

const plainText = (label: string, max: number) =>
  required(label, max).regex(PLAIN_TEXT, `${capitalise(label)} must not include < > { or }`);

const isWebAddress = (v: string) => {
  if (!/^https?:\/\//.test(v) || /[\s<>"{}]/.test(v)) return false;
  try {
    return Boolean(new URL(v).hostname);
  } catch {
    return false;
  }
};

const pastDate = (label: string, today: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || isIsoDate(v), `${label} must be a real date`)
    .refine((v) => v === null || !isIsoDate(v) || v <= today, `${label} must be today or in the past`);

/** An entry of the list of medicines affected by stopping smoking. `today` keeps "reviewed on" in the past. */
export const affectedMedicineSchema = (today: string, opts: { isNew: boolean }) =>
  z.object({
    code: opts.isNew
      ? z
          .string({ error: 'Enter a code' })
          .trim()
          .toLowerCase()
          .min(1, 'Enter a code')
          .max(60, 'The code must be 60 characters or fewer')
          .regex(
            /^[a-z][a-z0-9-]*$/,
            'The code must start with a letter and only include lower case letters, numbers and hyphens, like clozapine',
          )
          .refine((v) => v !== 'new', 'Choose another code: "new" is reserved')
      : z.string().optional(),
    name: required('the name of the medicine', 100).regex(
      MEDICINE_TEXT,
      `The name of the medicine must only include ${MEDICINE_TEXT_HELP}`,
    ),
    alsoKnownAs: z
      .string()
      .optional()
      .transform((v) => splitAlsoKnownAs(v ?? ''))
      .refine((v) => v.length <= 20, 'Enter 20 other names or fewer')
      .refine((v) => v.every((n) => n.length <= 60), 'Each other name must be 60 characters or fewer')
      .refine(
        (v) => v.every((n) => MEDICINE_TEXT.test(n)),
        `Other names must only include ${MEDICINE_TEXT_HELP}`,
      ),
    concern: z.enum(['significant', 'review'], { error: 'Select how much of a concern the change is' }),
    advice: plainText('the advice for when someone stops smoking', 2000),
    adviceOnRelapse: plainText('the advice for when someone starts smoking again', 2000),
    source: plainText('the source of the advice', 300),
    sourceUrl: z
      .string()
      .optional()
      .transform((v) => v?.trim() || null)
      .refine((v) => v === null || v.length <= 500, 'The link to the source must be 500 characters or fewer')
      .refine(
        (v) => v === null || isWebAddress(v),
        'Enter the link to the source as a web address starting https://, like https://www.sps.nhs.uk/',
      ),
    sourceCheckedOn: pastDate('The date the source was checked', today),
    reviewedOn: pastDate('The date it was reviewed', today),
    active: z
      .enum(['yes', 'no'], { error: 'Select whether alerts use this entry' })
      .transform((v) => v === 'yes'),
  });
export type AffectedMedicineInput = z.infer<ReturnType<typeof affectedMedicineSchema>>;
