import { z } from 'zod';
import { asArray } from '../../platform/forms.ts';
import { optionalText, requiredText } from '../../platform/validation.ts';
import { isoDateOf } from '../../platform/form-fields.ts';
import { campaignCodeProblem, normaliseCode } from '../referrals/campaign-attribution.ts';

// The campaign form (new and edit). The campaign code field of referrals is in campaign-code.ts.

/** Where a campaign's message went out. Checked here, not in the database, so a new one needs no migration. */
export const CHANNELS = {
  radio: 'Radio',
  posters: 'Posters',
  leaflets: 'Leaflets',
  social_media: 'Social media',
  gp_letters: 'Letters from GP practices',
  text_messages: 'Text messages',
  press: 'Newspapers and magazines',
  outreach: 'Events and outreach',
  other: 'Other',
} as const;
export type Channel = keyof typeof CHANNELS;
const CHANNEL_KEYS = Object.keys(CHANNELS) as [Channel, ...Channel[]];

export const AREA_KINDS = { local: 'One local authority', regional: 'A whole region' } as const;

const REGION_CODE = /^E12\d{6}$/;
const LA_CODE = /^E\d{8}$/;

// Names and descriptions: everyday text. Angle brackets and braces never belong, so script-like input is
// refused rather than stored.
const PLAIN = /^[^<>{}]*$/;

const realDate = (v: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return (
    !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v && v >= '2000-01-01' && v <= '2099-12-31'
  );
};

const CODE_MESSAGES = {
  characters: 'The code must only include letters, numbers and hyphens, like LEEDS-TT-2026',
  too_short: 'The code must have at least 3 letters or numbers',
  too_long: 'The code must be 20 characters or fewer',
} as const;

/** The campaign form: what a commissioner or analyst enters. The area is checked against their scope by the route. */
export const CampaignSchema = z
  .object({
    code: z
      .string({ error: 'Enter a code' })
      .transform((v) => normaliseCode(v))
      .refine((v) => v.length > 0, 'Enter a code')
      .superRefine((v, ctx) => {
        if (v.length === 0) return;
        const problem = campaignCodeProblem(v);
        if (problem) ctx.addIssue({ code: 'custom', message: CODE_MESSAGES[problem] });
      }),
    name: requiredText('the campaign name', 120).regex(
      PLAIN,
      'The campaign name must not include < > { or }',
    ),
    description: optionalText('the description', 2000).refine(
      (v) => v === undefined || PLAIN.test(v),
      'The description must not include < > { or }',
    ),
    areaKind: z.enum(['local', 'regional'], {
      error: 'Select whether the campaign covers one local authority or a whole region',
    }),
    regionCode: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? v : undefined)),
    localAuthorityCode: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? v : undefined)),
    startsOn: z
      .string({ error: 'Enter the date the campaign starts' })
      .min(1, 'Enter the date the campaign starts')
      .refine(realDate, 'The start date must be a real date'),
    endsOn: z
      .string()
      .optional()
      .transform((v) => (v ? v : undefined))
      .refine((v) => v === undefined || realDate(v), 'The end date must be a real date'),
    channels: z
      .array(z.enum(CHANNEL_KEYS, { error: 'Select channels from the list' }))
      .max(CHANNEL_KEYS.length)
      .default([]),
  })
  .superRefine((c, ctx) => {
    if (c.areaKind === 'regional' && !(c.regionCode && REGION_CODE.test(c.regionCode))) {
      ctx.addIssue({ code: 'custom', path: ['regionCode'], message: 'Select the region' });
    }
    if (c.areaKind === 'local' && !(c.localAuthorityCode && LA_CODE.test(c.localAuthorityCode))) {
      ctx.addIssue({ code: 'custom', path: ['localAuthorityCode'], message: 'Select the local authority' });
    }
    if (c.endsOn && c.endsOn < c.startsOn && realDate(c.startsOn)) {
      ctx.addIssue({
        code: 'custom',
        path: ['endsOn'],
        message: 'The end date must be the same as or after the start date',
      });
    }
  })
  .transform((c) => ({
    ...c,
    regionCode: c.areaKind === 'regional' ? (c.regionCode ?? null) : null,
    localAuthorityCode: c.areaKind === 'local' ? (c.localAuthorityCode ?? null) : null,
  }));
export type CampaignInput = z.infer<typeof CampaignSchema>;

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** The submitted form as the schema expects it. */
export function campaignFormToInput(body: Record<string, unknown>): Record<string, unknown> {
  return {
    code: str(body.code),
    name: str(body.name),
    description: str(body.description),
    areaKind: str(body.areaKind),
    regionCode: str(body.regionCode),
    localAuthorityCode: str(body.localAuthorityCode),
    startsOn: isoDateOf(body['startsOn-day'], body['startsOn-month'], body['startsOn-year']) ?? '',
    endsOn: isoDateOf(body['endsOn-day'], body['endsOn-month'], body['endsOn-year']),
    channels: asArray(body.channels),
  };
}

export const CAMPAIGN_ANCHORS = {
  startsOn: 'startsOn-day',
  endsOn: 'endsOn-day',
  areaKind: 'areaKind',
  channels: 'channels',
};
