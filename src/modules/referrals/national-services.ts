/**
 * The national NHS stop smoking services of Wales and Scotland, and England's helpline, with their
 * public contact details. Checked against the public pages named in
 * data/reference/NATIONAL-SERVICES.md; check them again there when they change.
 */

export type Nation = 'england' | 'wales' | 'scotland';

export type NationalService = {
  nation: Nation;
  /** Stable code, stored with an advice record when a person is signposted here. */
  code: 'help_me_quit' | 'quit_your_way_scotland' | 'smokefree_national_helpline';
  name: string;
  /** What the service is, in a few words, for someone who has not heard of it. */
  summary: string;
  phone: string;
  /** A text message option, when the service has one. */
  text: string | null;
  /** Null where Mortar has not checked one (England's helpline: only its number is stated). */
  website: string | null;
  websiteLabel: string | null;
};

export const HELP_ME_QUIT: NationalService = {
  nation: 'wales',
  code: 'help_me_quit',
  name: 'Help Me Quit',
  summary: "Wales's free NHS stop smoking service",
  phone: '0800 085 2219',
  text: 'Text HMQ to 80818',
  website: 'https://www.helpmequit.wales',
  websiteLabel: 'www.helpmequit.wales',
};

export const QUIT_YOUR_WAY_SCOTLAND: NationalService = {
  nation: 'scotland',
  code: 'quit_your_way_scotland',
  name: 'Quit Your Way Scotland',
  summary: "Scotland's free NHS stop smoking service",
  phone: '0800 84 84 84',
  text: null,
  website: 'https://www.quityourway.scot',
  websiteLabel: 'www.quityourway.scot',
};

export const SMOKEFREE_NATIONAL_HELPLINE: NationalService = {
  nation: 'england',
  code: 'smokefree_national_helpline',
  name: 'National Smokefree Helpline',
  summary: "England's free NHS stop smoking helpline",
  phone: '0300 123 1044',
  text: null,
  website: null,
  websiteLabel: null,
};

/** The service or helpline for everyone in a nation. */
export const NATIONAL_SERVICES: Readonly<Record<Nation, NationalService>> = {
  england: SMOKEFREE_NATIONAL_HELPLINE,
  wales: HELP_ME_QUIT,
  scotland: QUIT_YOUR_WAY_SCOTLAND,
};

/** The national services a person can be signposted to instead of referred (England's line is a helpline). */
export const NATIONAL_SERVICE_CODES = ['help_me_quit', 'quit_your_way_scotland'] as const;
export type NationalServiceCode = (typeof NATIONAL_SERVICE_CODES)[number];

export function nationalServiceByCode(code: string): NationalService | null {
  return Object.values(NATIONAL_SERVICES).find((s) => s.code === code) ?? null;
}

/** "tel:08000852219" */
export const telHref = (phone: string) => `tel:${phone.replace(/[^0-9+]/g, '')}`;
