// Reading the adviser's form of the person's say in messages: whether they agree, how (only a way their
// record has an address for), and the hours in England messages may come.
import { mergeErrors, type FormErrors } from '../../platform/forms.ts';
import { HOUR_LIMITS } from './message-schedule.ts';

export type Channel = 'sms' | 'email';
export type PreferencesInput = {
  consent: boolean;
  channel: Channel | null;
  earliestHour: number;
  latestHour: number;
};

/** Which ways the person's record has an address for: a mobile for texts, an email address. */
export type Available = Record<Channel, boolean>;

/** As the database's defaults (migration 0033): 9am to 8pm. */
export const DEFAULT_HOURS = { earliestHour: 9, latestHour: 20 } as const;

type Body = Record<string, unknown>;

const hourIn = (v: unknown, min: number, max: number): number | null => {
  const n = typeof v === 'string' && /^\d{1,2}$/.test(v) ? Number(v) : NaN;
  return n >= min && n <= max ? n : null;
};

export function parsePreferences(
  body: Body,
  available: Available,
): { ok: true; data: PreferencesInput } | { ok: false; errors: FormErrors } {
  let errors: FormErrors | undefined;
  const consent = body.consent === 'yes' ? true : body.consent === 'no' ? false : null;
  if (consent === null)
    errors = mergeErrors(
      errors,
      'consent',
      'Select whether they agree to reminders and check-ins',
      'consent',
    );
  const channel = body.channel === 'sms' || body.channel === 'email' ? body.channel : null;
  if (consent) {
    if (!available.sms && !available.email)
      errors = mergeErrors(
        errors,
        'consent',
        'Their record has no mobile number or email address, so messages cannot be sent. Select no',
        'consent',
      );
    else if (!channel || !available[channel])
      errors = mergeErrors(errors, 'channel', 'Select how to send messages', 'channel');
  }
  const earliestHour = hourIn(body.earliestHour, HOUR_LIMITS.earliestMin, HOUR_LIMITS.earliestMax);
  const latestHour = hourIn(body.latestHour, HOUR_LIMITS.latestMin, HOUR_LIMITS.latestMax);
  if (earliestHour === null)
    errors = mergeErrors(errors, 'earliestHour', 'Select the earliest time messages may come');
  if (latestHour === null)
    errors = mergeErrors(errors, 'latestHour', 'Select the latest time messages may come');
  else if (earliestHour !== null && latestHour <= earliestHour)
    errors = mergeErrors(errors, 'latestHour', 'The latest time must be after the earliest time');
  if (errors || consent === null || earliestHour === null || latestHour === null)
    return { ok: false, errors: errors! };
  return {
    ok: true,
    data: { consent, channel: consent ? channel : null, earliestHour, latestHour },
  };
}
