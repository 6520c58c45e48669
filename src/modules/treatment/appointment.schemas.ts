// Reading the booking, cancelling and "did not attend" forms. What makes a day bookable is the pure rule in
// scheduling.ts; this file places its answer against the right field.
import { isIsoDate, daysBetween, formatDate, type IsoDate } from '../../platform/dates.ts';
import { closedReason, londonInstant, type BankHolidays, type Weekday } from './scheduling.ts';
import {
  dateAnchors,
  dateField,
  Errors,
  field,
  invalid,
  type Body,
  type Parsed,
} from './treatment.schemas.ts';

export const APPOINTMENT_MODES = {
  face_to_face: 'Face to face',
  phone: 'By phone',
  video: 'By video call',
} as const;
export type AppointmentMode = keyof typeof APPOINTMENT_MODES;

export const NEXT_STEPS = {
  rebook: 'Offer another appointment',
  contact: 'Try to contact them',
  close: 'No further appointment (they do not want to continue)',
} as const;
export type NextStep = keyof typeof NEXT_STEPS;

/** Appointments are booked up to a year ahead: further is taken for a mistyped year. */
export const MAX_DAYS_AHEAD = 366;

export type AppointmentInput = {
  day: IsoDate;
  time: string;
  startsAt: Date;
  mode: AppointmentMode;
  siteId: string | null;
  adviserId: string;
};

export type BookingContext = {
  today: IsoDate;
  openingDays: readonly Weekday[];
  holidays: BankHolidays;
  siteIds: readonly string[];
  adviserIds: readonly string[];
};

const ORDER = ['day', 'time', 'mode', 'siteId', 'adviserId'];

/** "10:30", "9:30", "10.30" and "0930" all read as 10:30-style times; anything else is refused. */
export function timeOf(raw: string): string | null {
  const m = /^(\d{1,2})[:.]?(\d{2})$/.exec(raw.replace(/\s/g, ''));
  if (!m) return null;
  const [h, min] = [Number(m[1]), Number(m[2])];
  if (h > 23 || min > 59) return null;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}

export function parseAppointment(body: Body, ctx: BookingContext): Parsed<AppointmentInput> {
  const errors = new Errors(dateAnchors('day'));
  const day = bookableDay(errors, dateField(body, 'day'), ctx);
  const time = timeOf(field(body, 'time'));
  if (!time) errors.add('time', 'Enter the time of the appointment, like 10:30');
  const mode = field(body, 'mode');
  if (!Object.hasOwn(APPOINTMENT_MODES, mode)) errors.add('mode', 'Select how the appointment will happen');
  const siteId = mode === 'face_to_face' ? field(body, 'siteId') : '';
  if (mode === 'face_to_face' && !ctx.siteIds.includes(siteId))
    errors.add('siteId', 'Select where the appointment will be');
  const adviserId = field(body, 'adviserId');
  if (!ctx.adviserIds.includes(adviserId)) errors.add('adviserId', 'Select the adviser');
  let startsAt: Date | null = null;
  if (day && time) {
    startsAt = londonInstant(day, time);
    if (!startsAt) errors.add('time', 'The clocks go forward at 1am that day, so that time does not exist');
  }
  const result = errors.result(ORDER);
  if (result || !day || !time || !startsAt) return invalid(result);
  return {
    ok: true,
    data: { day, time, startsAt, mode: mode as AppointmentMode, siteId: siteId || null, adviserId },
  };
}

function bookableDay(errors: Errors, raw: string, ctx: BookingContext): IsoDate | null {
  if (!raw) return (errors.add('day', 'Enter the date of the appointment'), null);
  if (!isIsoDate(raw)) return (errors.add('day', 'The date of the appointment must be a real date'), null);
  if (daysBetween(ctx.today, raw) < 0)
    return (errors.add('day', 'The date of the appointment must be today or in the future'), null);
  if (daysBetween(ctx.today, raw) > MAX_DAYS_AHEAD)
    return (errors.add('day', 'The date of the appointment must be within a year'), null);
  const closed = closedReason(raw, ctx.openingDays, ctx.holidays);
  if (closed)
    return (
      errors.add('day', `The service is closed on ${formatDate(raw)}: ${closed}. Choose another day`),
      null
    );
  return raw;
}

const REASON_MAX = 500;

export function parseCancel(body: Body): Parsed<{ reason: string }> {
  const reason = field(body, 'reason');
  const errors = new Errors();
  if (!reason) errors.add('reason', 'Enter why the appointment is cancelled');
  else if (reason.length > REASON_MAX)
    errors.add('reason', `The reason must be ${REASON_MAX} characters or fewer`);
  const result = errors.result(['reason']);
  return result ? invalid(result) : { ok: true, data: { reason } };
}

export function parseDidNotAttend(body: Body): Parsed<{ nextStep: NextStep }> {
  const nextStep = field(body, 'nextStep');
  if (Object.hasOwn(NEXT_STEPS, nextStep)) return { ok: true, data: { nextStep: nextStep as NextStep } };
  const errors = new Errors();
  errors.add('nextStep', 'Select what happens next');
  return invalid(errors.result(['nextStep']));
}

/** The days of the week the service is open: at least one. */
export function parseOpeningDays(body: Body): Parsed<{ days: Weekday[] }> {
  const raw = body.days;
  const list = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
  const days = [...new Set(list.filter((v) => /^[1-7]$/.test(v)).map(Number))].sort() as Weekday[];
  if (days.length > 0 && days.length === list.length) return { ok: true, data: { days } };
  const errors = new Errors({ days: 'days' });
  errors.add('days', 'Select the days the service is open');
  return invalid(errors.result(['days']));
}
