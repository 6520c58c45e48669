import { z } from 'zod';

// Small pieces every schema and repository shares, so a rule about ids or text lengths lives once.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids in URLs are checked before they reach SQL: anything else is simply "not found". */
export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);

export const capitalise = (s: string) => (s ? `${s[0]!.toUpperCase()}${s.slice(1)}` : s);

/** Text the user must give, trimmed, with the NHS style of message. */
export const requiredText = (label: string, max: number) =>
  z
    .string({ error: `Enter ${label}` })
    .trim()
    .min(1, `Enter ${label}`)
    .max(max, `${capitalise(label)} must be ${max} characters or fewer`);

/** Text the user may leave blank; blank becomes undefined. */
export const optionalText = (label: string, max: number) =>
  z
    .string({ error: `Enter ${label} once, or leave it blank` })
    .trim()
    .max(max, `${capitalise(label)} must be ${max} characters or fewer`)
    .optional()
    .transform((v) => (v ? v : undefined));
