// Code lists shown on forms and accepted by the API. Labels are the words people see.

/** NHS Data Dictionary SMOKING STATUS CODE. */
export const SMOKING_STATUS = {
  '1': 'Smokes now',
  '2': 'Used to smoke (ex-smoker)',
  '3': 'Does not smoke (history not known)',
  '4': 'Has never smoked',
  Z: 'Asked, but did not want to say',
  '9': 'Not asked',
} as const;
export type SmokingStatus = keyof typeof SMOKING_STATUS;

/**
 * The answers the referrer's form offers when they ask: smokes, used to smoke, never smoked, or did not
 * want to say. Only someone who smokes is then advised and offered a referral; for everyone else the
 * asking is recorded on its own.
 */
export const ASKED_STATUSES = ['1', '2', '4', 'Z'] as const satisfies readonly SmokingStatus[];
export type AskedStatus = (typeof ASKED_STATUSES)[number];
export const SMOKES: AskedStatus = '1';

/** People who smoke now, or stopped recently and want help to stay stopped, can be referred. */
export const REFERRABLE_STATUSES: readonly SmokingStatus[] = ['1', '2'];

export const VAPING_STATUS = {
  current: 'Vapes now',
  former: 'Used to vape',
  never: 'Has never vaped',
  not_known: 'Not known',
} as const;

export const MENTAL_HEALTH = {
  depression: 'Depression',
  anxiety: 'Anxiety',
  both: 'Depression and anxiety',
  other: 'Another mental health condition',
  not_known: 'Not known',
} as const;

/** Every value a referral's mental_health may hold: what a referrer knows, and "none", which only a person can say of themself. */
export const MENTAL_HEALTH_RECORDED = {
  ...MENTAL_HEALTH,
  none: 'No anxiety or depression (they told us)',
} as const;

/** What a person referring themself would like help with. */
export const HELP_WANTED = {
  stop_smoking: 'Stopping smoking',
  switch_to_vaping: 'Switching from smoking to vaping',
  cut_down_first: 'Cutting down first',
} as const;
export type HelpWanted = keyof typeof HELP_WANTED;

export const IN_TALKING_THERAPIES = {
  yes: 'Yes',
  no: 'No',
  not_known: 'Not known',
} as const;

export const CONTACT_METHODS = {
  phone: 'Phone call',
  text: 'Text message',
  email: 'Email',
} as const;

export const CONTACT_TIMES = {
  any: 'Any time',
  morning: 'Mornings',
  afternoon: 'Afternoons',
  evening: 'Evenings',
} as const;
