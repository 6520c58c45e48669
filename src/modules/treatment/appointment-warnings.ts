// Warnings an adviser sees when booking a session or recording one. They never stop the adviser: each
// names something that is usually a mistake but can be right (docs/clinical-safety.md, H126 to H128).
import type { IsoDate } from '../../platform/dates.ts';

/** The CO reading at or above which someone is taken to be smoking (docs/domain.md, Four-week outcome). */
export const SMOKING_CO_PPM = 10;
/** A first supply longer than this gives no chance to check it suits the person before more is given. */
export const FIRST_SUPPLY_MAX_DAYS = 14;

export type Warning = { code: string; text: string };

/** Another session of the episode, booked or held, on its day (cancelled ones are left out by the caller). */
export type OtherSession = { id: string; day: IsoDate };

/** A session on the same day as another of the same episode: usually a slip of the date. */
export function sameDayWarning(
  sessionId: string | null,
  day: IsoDate,
  others: readonly OtherSession[],
): Warning[] {
  return others.some((o) => o.id !== sessionId && o.day === day)
    ? [{ code: 'same-day', text: 'Another session for this person is on the same day.' }]
    : [];
}

/** A first supply of a medicine or vape for more than two weeks. */
export function firstSupplyWarning(isFirstSupply: boolean, supplyDays: number | null): Warning[] {
  return isFirstSupply && supplyDays !== null && supplyDays > FIRST_SUPPLY_MAX_DAYS
    ? [
        {
          code: 'long-first-supply',
          text: `This is the first supply and it is for more than ${FIRST_SUPPLY_MAX_DAYS} days. A first supply is usually two weeks or less.`,
        },
      ]
    : [];
}

/**
 * Medication supplied at a session where the person says they smoked, or their CO reading is 10 ppm or
 * more: supply should depend on not smoking.
 */
export function supplyWhileSmokingWarning(s: {
  supplied: boolean;
  smokedSinceLast: boolean | null;
  coPpm: number | null;
}): Warning[] {
  if (!s.supplied) return [];
  const smoked = s.smokedSinceLast === true;
  const highCo = s.coPpm !== null && s.coPpm >= SMOKING_CO_PPM;
  if (!smoked && !highCo) return [];
  const why = smoked ? 'they said they have smoked' : `their CO reading is ${s.coPpm} ppm`;
  return [
    {
      code: 'supply-while-smoking',
      text: `Medication was supplied at a session where ${why}. Supply should depend on not smoking.`,
    },
  ];
}
