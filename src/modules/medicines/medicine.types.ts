import type { IsoDate } from '../../platform/dates.ts';

// What an entry of the list of medicines affected by stopping smoking is. Kept apart from the rules
// (medicines.ts), the default list (medicines.defaults.ts) and name recognition (medicine-names.ts), which
// all need it, so none of them has to import another to know its shape.

export const MEDICINE_CONCERNS = {
  significant: 'Clinically significant',
  review: 'Review advised',
} as const;
export type MedicineConcern = keyof typeof MEDICINE_CONCERNS;

export type AffectedMedicine = {
  code: string;
  name: string;
  /** UK brand names, matched as well as the generic name when a person's medicines are checked. */
  alsoKnownAs: readonly string[];
  concern: MedicineConcern;
  /** For the prescriber, when the person stops smoking. */
  advice: string;
  /** For the prescriber, when the person starts smoking again. */
  adviceOnRelapse: string;
  source: string;
  /** Where the source can be read, when it is online. */
  sourceUrl: string | null;
  /** When someone last checked that the source still says this; null if never recorded. */
  sourceCheckedOn: IsoDate | null;
  /** When a pharmacist last checked the entry against the source; null until someone has. */
  reviewedOn: IsoDate | null;
};
