// Reading a supply of a stop-smoking medicine or vape, given with the plan or at a session.
import type { IsoDate } from '../../platform/dates.ts';
import { AIDS, type Aid } from '../episodes/programme.ts';
import {
  checkPastDate,
  dateField,
  earliestOf,
  Errors,
  field,
  type Body,
  type EpisodeDates,
} from './treatment.schemas.ts';

export type AidSupplyInput = {
  aid: Aid;
  suppliedOn: IsoDate;
  supply: string | null;
  supplyDays?: number | null;
};

/**
 * The optional "supply given" fields: null when none was given, undefined when they have errors. With
 * `suppliedOn`, the supply's date is that (a session's date) and no date field is read.
 */
export function parseAidSupply(
  errors: Errors,
  body: Body,
  o: EpisodeDates & { suppliedOnField?: string; suppliedOn?: IsoDate | null },
): AidSupplyInput | null | undefined {
  const aid = field(body, 'aid');
  const supply = field(body, 'aidSupply');
  const daysRaw = field(body, 'aidDays');
  const dateRaw = o.suppliedOnField ? dateField(body, o.suppliedOnField) : '';
  if (!aid) {
    if (supply || dateRaw || daysRaw) {
      errors.add('aid', 'Select the medicine or vape supplied, or clear the supply details');
      return undefined;
    }
    return null;
  }
  if (!Object.hasOwn(AIDS, aid)) {
    errors.add('aid', 'Select the medicine or vape supplied');
    return undefined;
  }
  if (supply.length > 500) {
    errors.add('aidSupply', 'What was supplied must be 500 characters or fewer');
    return undefined;
  }
  if (daysRaw && !(/^\d{1,3}$/.test(daysRaw) && Number(daysRaw) >= 1 && Number(daysRaw) <= 365)) {
    errors.add('aidDays', 'How many days it lasts must be a whole number from 1 to 365');
    return undefined;
  }
  let suppliedOn: IsoDate | null;
  if (o.suppliedOnField) {
    suppliedOn = checkPastDate(errors, o.suppliedOnField, dateRaw, {
      label: 'the date it was supplied',
      today: o.today,
      earliest: earliestOf(o),
    });
  } else suppliedOn = o.suppliedOn ?? null;
  if (!suppliedOn) return undefined;
  return {
    aid: aid as Aid,
    suppliedOn,
    supply: supply || null,
    ...(daysRaw ? { supplyDays: Number(daysRaw) } : {}),
  };
}
