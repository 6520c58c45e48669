// Code lists for the service directory. Staff see the labels on the edit form; the public finder uses
// the plainer words.
import { AIDS, type Aid } from '../episodes/programme.ts';

/** Ways a service offers support. */
export const MODES = {
  in_person: 'In person',
  telephone: 'By telephone',
  video: 'By video call',
  text: 'By text message',
  group: 'In a group',
} as const;
export type Mode = keyof typeof MODES;
export const MODE_CODES = Object.keys(MODES) as Mode[];

/** The same, as the public finder says them. */
export const MODES_PUBLIC: Record<Mode, string> = {
  in_person: 'Face to face',
  telephone: 'Phone calls',
  video: 'Video calls',
  text: 'Text messages',
  group: 'Group sessions',
};

/** Aids a service can offer: the episode code list, less "no medicine or vape". */
export type DirectoryAid = Exclude<Aid, 'none'>;
export const DIRECTORY_AIDS: Record<DirectoryAid, string> = (() => {
  const { none: _none, ...rest } = AIDS;
  return rest;
})();
export const DIRECTORY_AID_CODES = Object.keys(DIRECTORY_AIDS) as DirectoryAid[];

/** Free vape starter kits from the national Swap to Stop scheme. */
export const SWAP_TO_STOP: DirectoryAid = 'e_cigarette_swap_to_stop';

/** The aids as the public finder says them, in plain words. */
export const AIDS_PUBLIC: Record<DirectoryAid, string> = {
  combination_nrt: 'Nicotine patches together with gum, spray or lozenges',
  single_nrt: 'Nicotine patches, gum, spray or lozenges',
  varenicline: 'Varenicline tablets',
  cytisine: 'Cytisine tablets',
  bupropion: 'Bupropion tablets',
  e_cigarette: 'Help to switch to vaping',
  e_cigarette_swap_to_stop: 'A free vape starter kit (Swap to Stop)',
};

/**
 * ISO 639 codes for languages often asked for in England, for the open data. Anything else is kept by
 * name, with no code.
 */
const LANGUAGE_CODES: Record<string, string> = {
  arabic: 'ar',
  bengali: 'bn',
  'british sign language': 'bfi',
  bsl: 'bfi',
  cantonese: 'yue',
  chinese: 'zh',
  english: 'en',
  farsi: 'fa',
  french: 'fr',
  gujarati: 'gu',
  hindi: 'hi',
  italian: 'it',
  kurdish: 'ku',
  lithuanian: 'lt',
  mandarin: 'cmn',
  pashto: 'ps',
  persian: 'fa',
  polish: 'pl',
  portuguese: 'pt',
  punjabi: 'pa',
  romanian: 'ro',
  russian: 'ru',
  slovak: 'sk',
  somali: 'so',
  spanish: 'es',
  tamil: 'ta',
  tigrinya: 'ti',
  turkish: 'tr',
  ukrainian: 'uk',
  urdu: 'ur',
  welsh: 'cy',
};

export function languageCode(name: string): string | null {
  return LANGUAGE_CODES[name.trim().toLowerCase()] ?? null;
}
