import { nationalServiceByCode, SMOKEFREE_NATIONAL_HELPLINE, telHref } from './national-services.ts';
import type { SendDecision } from './where-to-send.ts';
import { translator, type Translate } from '../../platform/translate.ts';

/** A signposting advice record as the repository reads it, with the named service's details. */
export type SignpostedRow = {
  signposted_service: string | null;
  name: string | null;
  organisation_phone: string | null;
  organisation_email: string | null;
  phone: string | null;
  email: string | null;
  website: string | null;
  opening_times: string | null;
};

export type ContactView = {
  name: string;
  summary: string | null;
  phone: string | null;
  phoneHref: string | null;
  text: string | null;
  email: string | null;
  website: string | null;
  websiteLabel: string | null;
  openingTimes: string | null;
  /** England's helpline, offered when the service has no phone number or website on record. */
  helpline: { name: string; phone: string; phoneHref: string } | null;
};

const stripScheme = (url: string) => url.replace(/^https?:\/\//, '').replace(/\/$/, '');

const ENGLISH = translator('en');
const maybe = (t: Translate, text: string | null) => (text === null ? null : t(text));

/**
 * What the referrer is shown to give the person: the service's name and every way to reach it. A public
 * page passes its language: a national service's name, words and website are Mortar's own and are said
 * as the service says them in Welsh (Help Me Quit is Helpa Fi i Stopio); a local service's details are
 * its directory entry, shown as entered.
 */
export function signpostedView(row: SignpostedRow, t: Translate = ENGLISH): ContactView {
  const national = row.signposted_service ? nationalServiceByCode(row.signposted_service) : null;
  if (national) {
    return {
      name: t(national.name),
      summary: t(national.summary),
      phone: national.phone,
      phoneHref: telHref(national.phone),
      text: maybe(t, national.text),
      email: null,
      website: maybe(t, national.website),
      websiteLabel: maybe(t, national.websiteLabel),
      openingTimes: null,
      helpline: null,
    };
  }
  const phone = row.phone ?? row.organisation_phone;
  const h = SMOKEFREE_NATIONAL_HELPLINE;
  return {
    name: row.name ?? 'Their local stop smoking service',
    summary: null,
    phone,
    phoneHref: phone ? telHref(phone) : null,
    text: null,
    email: row.email ?? row.organisation_email,
    website: row.website,
    websiteLabel: row.website ? stripScheme(row.website) : null,
    openingTimes: row.opening_times,
    helpline: phone || row.website ? null : { name: t(h.name), phone: h.phone, phoneHref: telHref(h.phone) },
  };
}

/** The contact card for a decision that sends the person elsewhere; null when there is none to show. */
export function contactViewOf(d: SendDecision, t: Translate = ENGLISH): ContactView | null {
  if (d.kind === 'national_service') {
    return signpostedView({ ...EMPTY_ROW, signposted_service: d.service.code }, t);
  }
  if (d.kind === 'contact_directly') {
    const { phone, email, website, openingTimes } = d.service.contact;
    return signpostedView(
      {
        ...EMPTY_ROW,
        name: d.service.name,
        phone,
        email,
        website,
        opening_times: openingTimes,
      },
      t,
    );
  }
  return null;
}

const EMPTY_ROW: SignpostedRow = {
  signposted_service: null,
  name: null,
  organisation_phone: null,
  organisation_email: null,
  phone: null,
  email: null,
  website: null,
  opening_times: null,
};
