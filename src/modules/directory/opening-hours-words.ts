import type { IsoDate } from '../../platform/dates.ts';
import type { Language } from '../../platform/language.ts';
import { inWeekOrder, notEnded, WEEKDAYS, type OpeningPeriod } from './opening-hours.ts';

// A place's opening times in plain words, for the public service page and the open data's schedule
// descriptions: "9am to 1pm and 2pm to 5pm", "midday", "10am to 12:30pm from 1 September 2026". English
// follows the NHS style guide (9am, 5:30pm, midday, midnight); Welsh uses yb and yh. Pure.

const WORDS = {
  en: { to: 'to', and: 'and', closed: 'Closed', from: 'from', until: 'until', am: 'am', pm: 'pm' },
  cy: { to: 'i', and: 'a', closed: 'Ar gau', from: 'o', until: 'tan', am: 'yb', pm: 'yh' },
} as const;
const MIDDAY = { en: 'midday', cy: 'hanner dydd' } as const;
const MIDNIGHT = { en: 'midnight', cy: 'hanner nos' } as const;
const LOCALE = { en: 'en-GB', cy: 'cy-GB' } as const;

/** "09:00" as "9am", "13:30" as "1:30pm", "12:00" as "midday", "00:00" as "midnight". */
export function timeInWords(hhmm: string, lang: Language = 'en'): string {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  if (m === 0 && h === 12) return MIDDAY[lang];
  if (m === 0 && h === 0) return MIDNIGHT[lang];
  const hour12 = h % 12 === 0 ? 12 : h % 12;
  const minutes = m === 0 ? '' : `:${String(m).padStart(2, '0')}`;
  return `${hour12}${minutes}${h < 12 ? WORDS[lang].am : WORDS[lang].pm}`;
}

/** "Monday" (or "Dydd Llun") for ISO weekday 1. 5 January 2026 was a Monday. */
export function weekdayName(weekday: number, lang: Language = 'en'): string {
  const day = new Date(Date.UTC(2026, 0, 4 + weekday));
  return new Intl.DateTimeFormat(LOCALE[lang], { weekday: 'long', timeZone: 'UTC' }).format(day);
}

const dateInWords = (d: IsoDate, lang: Language) =>
  new Date(`${d}T12:00:00Z`).toLocaleDateString(LOCALE[lang], {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });

/** One period: "9am to 5pm", with "from …" when it has not started by `today` and "until …" when it ends. */
export function periodInWords(p: OpeningPeriod, today: IsoDate, lang: Language = 'en'): string {
  const w = WORDS[lang];
  const parts = [`${timeInWords(p.opensAt, lang)} ${w.to} ${timeInWords(p.closesAt, lang)}`];
  if (p.validFrom !== null && p.validFrom > today) parts.push(`${w.from} ${dateInWords(p.validFrom, lang)}`);
  if (p.validTo !== null) parts.push(`${w.until} ${dateInWords(p.validTo, lang)}`);
  if (p.notes) parts.push(`(${p.notes})`);
  return parts.join(' ');
}

export type DayInWords = { weekday: number; day: string; times: string; open: boolean };

/**
 * Every day of the week with its times, Monday first: periods that have ended by `today` are left out,
 * and a day with none left says "Closed". Empty when the place has no times at all: not knowing is not
 * the same as closed.
 */
export function weekInWords(
  periods: readonly OpeningPeriod[],
  today: IsoDate,
  lang: Language = 'en',
): DayInWords[] {
  const current = inWeekOrder(periods.filter((p) => notEnded(p, today)));
  if (current.length === 0) return [];
  return WEEKDAYS.map((weekday) => {
    const day = current.filter((p) => p.weekday === weekday);
    return {
      weekday,
      day: weekdayName(weekday, lang),
      times: day.length
        ? day.map((p) => periodInWords(p, today, lang)).join(` ${WORDS[lang].and} `)
        : WORDS[lang].closed,
      open: day.length > 0,
    };
  });
}
