// How messages, their statuses, the person's say and their answers are named on the adviser's pages, and
// the words that fill a message's placeholders. Pure. A message carries no name and no health details: the
// service's name, a day, a time and where are all it says.
import type { IsoDate } from '../../platform/dates.ts';
import { londonParts } from '../../platform/london-time.ts';

export const KIND_LABELS: Record<string, string> = {
  appointment_reminder: 'Appointment reminder',
  check_in: 'Check-in',
  four_week_prompt: 'Four-week prompt',
};

export const STATUS_LABELS: Record<string, string> = {
  scheduled: 'Planned',
  queued: 'Planned',
  sending: 'Sending',
  sent: 'Sent',
  delivered: 'Delivered',
  failed: 'Not delivered',
  cancelled: 'Cancelled',
  skipped: 'Not sent',
};

export const CHANNEL_LABELS: Record<string, string> = { sms: 'Text message', email: 'Email' };

export const STOPPED_HOW: Record<string, string> = {
  reply: 'by replying STOP to a text',
  link: 'from the link in a message',
  adviser: 'by their adviser, for them',
};

/** "9am", "12pm", "8:30pm": the NHS style for times. */
export function timeWords(time: string): string {
  const [h, m] = time.split(':').map(Number) as [number, number];
  const hour = h % 12 === 0 ? 12 : h % 12;
  return `${hour}${m ? `:${String(m).padStart(2, '0')}` : ''}${h < 12 ? 'am' : 'pm'}`;
}

export const hourWords = (h: number) => timeWords(`${h}:00`);

/** The hour choices: from 7am to 8pm for the earliest, 8am to 9pm for the latest. */
export const hourItems = (from: number, to: number, selected: unknown) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i).map((h) => ({
    value: String(h),
    text: hourWords(h),
    selected: String(h) === String(selected),
  }));

const DAY = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
});

/** "Tuesday 9 June", for a day in England. */
export const dayWords = (day: IsoDate) => DAY.format(new Date(`${day}T00:00:00Z`));

/** The day and time of an appointment as a clock in England shows them. */
export function appointmentWhen(startsAt: Date): { day: string; time: string } {
  const p = londonParts(startsAt);
  return { day: dayWords(p.date), time: timeWords(p.time) };
}

export type Place = {
  mode: 'face_to_face' | 'phone' | 'video';
  siteName: string | null;
  siteAddress: string | null;
  sitePostcode: string | null;
};

/** Where the appointment is: the clinic's name and address, or how it is held. */
export function whereWords(p: Place): string {
  if (p.mode === 'phone') return 'It is by phone: we will call you.';
  if (p.mode === 'video') return 'It is by video: we will send you how to join.';
  const place = [p.siteName, p.siteAddress, p.sitePostcode].filter((x) => x && x.trim()).join(', ');
  return place ? `It is at ${place}.` : 'It is face to face.';
}

/** How to reach the service: its phone number when it has one. */
export const contactWords = (serviceName: string, phone: string | null) =>
  phone && phone.trim() ? `call ${phone.trim()}` : `contact ${serviceName}`;

export const weeksWords = (week: number) => `${week} ${week === 1 ? 'week' : 'weeks'}`;

/** The episode's messages as its pages list them: nothing in a message row is personal. */
export const messageRows = (
  messages: readonly { kind: string; channel: string; due_at: Date; status: string; reason: string | null }[],
) =>
  messages.map((m) => ({
    kind: KIND_LABELS[m.kind] ?? m.kind,
    channel: CHANNEL_LABELS[m.channel] ?? m.channel,
    dueAt: m.due_at,
    status: STATUS_LABELS[m.status] ?? m.status,
    reason: m.reason,
  }));

export type PreferencesRow = {
  consent: boolean;
  channel: string | null;
  earliest_hour: number;
  latest_hour: number;
  stopped_at: Date | null;
  stopped_how: string | null;
};

/** The person's say in one line for the episode page. */
export function preferencesWords(p: PreferencesRow | null): string {
  if (!p) return 'Not asked yet';
  if (p.stopped_at) return `Stopped ${STOPPED_HOW[p.stopped_how ?? ''] ?? ''}`.trim();
  if (!p.consent || !p.channel) return 'They do not want reminders or check-ins';
  return `${CHANNEL_LABELS[p.channel]}, ${hourWords(p.earliest_hour)} to ${hourWords(p.latest_hour)}`;
}
