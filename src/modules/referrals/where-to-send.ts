import {
  NATIONAL_SERVICES,
  type Nation,
  type NationalService,
  type NationalServiceCode,
} from './national-services.ts';
import { translator, type Translate } from '../../platform/translate.ts';

// Where a person's stop smoking support is, from where they live. One rule for the public finder, the
// self-referral, the staff referral form and the referral API, so they never disagree: a referral is held
// in Mortar only when someone at the service reads referrals here; otherwise the person is given the
// service's own contact details, or their nation's service. Pure: callers look up the postcode and the
// service their authority commissions, and pass them in.

export type ServiceContact = {
  phone: string | null;
  email: string | null;
  website: string | null;
  openingTimes: string | null;
};

/** The stop smoking service an authority commissions today, as routing sees it. */
export type CommissionedService = {
  organisationId: string;
  name: string;
  /**
   * Someone at the service reads referrals in Mortar: the organisation is open and has an active
   * adviser or service manager. A referral sent anywhere else would wait for nobody.
   */
  onMortar: boolean;
  contact: ServiceContact;
};

/** Places a UK postcode can be outside Great Britain. */
export type Outside = 'northern_ireland' | 'crown_dependency';

/** Where a postcode (or the part of one a person typed) is, as far as routing needs to know. */
export type Whereabouts =
  | { known: true; nation: Nation; localAuthorityCode: string | null }
  | { known: false; outside: Outside | null };

export type SendDecision =
  /** Send the referral: the authority's service reads referrals in Mortar. */
  | { kind: 'refer_in_mortar'; nation: Nation; localAuthorityCode: string; service: CommissionedService }
  /** The authority's service does not use Mortar: give its own details (its nation's line behind them). */
  | {
      kind: 'contact_directly';
      nation: Nation;
      localAuthorityCode: string;
      service: CommissionedService;
      helpline: NationalService;
    }
  /** Wales or Scotland, where one national NHS service takes everyone. */
  | {
      kind: 'national_service';
      nation: 'wales' | 'scotland';
      localAuthorityCode: string | null;
      service: NationalService;
    }
  /** England, and no service is commissioned for the authority in Mortar: England's helpline. */
  | { kind: 'no_service'; nation: 'england'; localAuthorityCode: string | null; helpline: NationalService }
  | { kind: 'outside_britain'; outside: Outside }
  | { kind: 'unknown_postcode' };

export type SendKind = SendDecision['kind'];

const NATION_BY_COUNTRY: Readonly<Record<string, Nation>> = {
  E92000001: 'england',
  W92000004: 'wales',
  S92000003: 'scotland',
};

const NATION_BY_AUTHORITY_PREFIX: Readonly<Record<string, Nation>> = {
  E: 'england',
  W: 'wales',
  S: 'scotland',
};

/** The nation of an ONS country code (E92000001, W92000004, S92000003), or null. */
export const nationOfCountry = (code: string | null | undefined): Nation | null =>
  (code && NATION_BY_COUNTRY[code]) || null;

/** The nation of a local authority code: England's start E, Wales's W06, Scotland's S12. */
export const nationOfAuthority = (code: string | null | undefined): Nation | null =>
  (code && /^[EWS][0-9]{8}$/.test(code) && NATION_BY_AUTHORITY_PREFIX[code.charAt(0)]) || null;

/**
 * A postcode, sector or district outside Great Britain, from its letters: BT is Northern Ireland; IM, GY
 * and JE the Isle of Man, Guernsey and Jersey. The postcode table holds Great Britain only, so without
 * this they would read as postcodes that do not exist.
 */
export function outsideBritain(text: string): Outside | null {
  if (typeof text !== 'string') return null;
  const area = /^\s*([A-Za-z]{1,2})[0-9]/.exec(text)?.[1]?.toUpperCase();
  if (area === 'BT') return 'northern_ireland';
  if (area === 'IM' || area === 'GY' || area === 'JE') return 'crown_dependency';
  return null;
}

/**
 * Where a postcode is: `found` is the postcode table's answer (null when it has no such postcode), or
 * for part of a postcode the authority holding most of it with no country.
 */
export function whereaboutsOf(
  text: string,
  found: { localAuthorityCode: string | null; countryCode: string | null } | null,
): Whereabouts {
  if (found) {
    const nation = nationOfCountry(found.countryCode) ?? nationOfAuthority(found.localAuthorityCode);
    if (nation) return { known: true, nation, localAuthorityCode: found.localAuthorityCode };
  }
  return { known: false, outside: outsideBritain(text) };
}

/**
 * The decision. In order: a postcode nobody can place; outside Britain; the authority's service, held in
 * Mortar only when it reads referrals here, otherwise contacted directly; then Wales's and Scotland's
 * national services; then England's helpline.
 */
export function decideWhereToSend(
  where: Whereabouts,
  service: CommissionedService | undefined,
): SendDecision {
  if (!where.known) {
    return where.outside ? { kind: 'outside_britain', outside: where.outside } : { kind: 'unknown_postcode' };
  }
  const { nation, localAuthorityCode } = where;
  if (service && localAuthorityCode) {
    if (service.onMortar) return { kind: 'refer_in_mortar', nation, localAuthorityCode, service };
    return {
      kind: 'contact_directly',
      nation,
      localAuthorityCode,
      service,
      helpline: NATIONAL_SERVICES[nation],
    };
  }
  if (nation === 'england') {
    return { kind: 'no_service', nation, localAuthorityCode, helpline: NATIONAL_SERVICES.england };
  }
  return { kind: 'national_service', nation, localAuthorityCode, service: NATIONAL_SERVICES[nation] };
}

/** Where someone was signposted instead of referred, as an advice record keeps it. */
export type Signpost =
  { national: NationalServiceCode; organisationId: null } | { national: null; organisationId: string };

/**
 * For the decisions that send a person elsewhere with someone to contact: where to. Null when the
 * referral is held in Mortar, or when there is no one to send them to but a helpline.
 */
export function signpostOf(d: SendDecision): Signpost | null {
  if (d.kind === 'contact_directly') return { national: null, organisationId: d.service.organisationId };
  if (d.kind === 'national_service') {
    return { national: d.service.code as NationalServiceCode, organisationId: null };
  }
  return null;
}

/** The one who is told where to go: the referrer (staff and systems) or the person themselves. */
export type Audience = 'staff' | 'person';

export const NATION_NAMES: Readonly<Record<Nation, string>> = {
  england: 'England',
  wales: 'Wales',
  scotland: 'Scotland',
};

const contactLine = (phone: string | null, website: string | null) =>
  [phone ? `call ${phone}` : null, website ? `visit ${website.replace(/^https?:\/\//, '')}` : null]
    .filter(Boolean)
    .join(' or ');

const ENGLISH = translator('en');

/** "You can call … or visit …", whole, for the person; null when there is neither. */
function howToReach(phone: string | null, website: string | null, t: Translate): string | null {
  const site = website?.replace(/^https?:\/\//, '') ?? null;
  if (phone && site) return t('You can call {phone} or visit {website}', { phone, website: site });
  if (phone) return t('You can call {phone}', { phone });
  if (site) return t('You can visit {website}', { website: site });
  return null;
}

/**
 * Why the person's own request cannot be sent, and where to go instead, in their language: each is
 * built of whole sentences, since Welsh names a nation with a mutation ("yng Nghymru") that a word put
 * into an English frame would lose. A national service's name and words are Mortar's, so translated;
 * a local service's name and details are its own, so shown as entered.
 */
function personMessage(d: Exclude<SendDecision, { kind: 'refer_in_mortar' }>, t: Translate): string {
  switch (d.kind) {
    case 'unknown_postcode':
      return t('We cannot find this postcode. Check it and enter it again');
    case 'outside_britain':
      return d.outside === 'northern_ireland'
        ? t(
            'This postcode is in Northern Ireland. We can only send requests to services in England, Scotland and Wales',
          )
        : t('This postcode is not in England, Scotland or Wales. We cannot send requests there');
    case 'no_service':
      return t('We cannot send requests to a stop smoking service for this postcode yet');
    case 'national_service': {
      const where =
        d.nation === 'wales' ? t('Your postcode is in Wales.') : t('Your postcode is in Scotland.');
      const cannot = t('We cannot send requests to {service}, {summary}.', {
        service: t(d.service.name),
        summary: t(d.service.summary),
      });
      const website = d.service.websiteLabel === null ? null : t(d.service.websiteLabel);
      return [where, cannot, howToReach(d.service.phone, website, t)].filter(Boolean).join(' ');
    }
    case 'contact_directly': {
      const how =
        howToReach(d.service.contact.phone, d.service.contact.website, t) ??
        t('You can call {helpline} on {phone}', { helpline: t(d.helpline.name), phone: d.helpline.phone });
      return `${t('We cannot send requests to {service}.', { service: d.service.name })} ${how}`;
    }
  }
}

/**
 * Why a referral is not held in Mortar, in the words of whoever reads it; null when it is. Each names
 * where to go next, so nobody is left with only a refusal. The person's words come in the language of
 * the page they are on (`t`; English unless given).
 */
export function notHeldMessage(d: SendDecision, audience: Audience, t: Translate = ENGLISH): string | null {
  if (d.kind === 'refer_in_mortar') return null;
  if (audience === 'person') return personMessage(d, t);
  switch (d.kind) {
    case 'unknown_postcode':
      return 'We cannot find this postcode. Check it and enter it again';
    case 'outside_britain':
      return d.outside === 'northern_ireland'
        ? 'This postcode is in Northern Ireland. Mortar covers England, Scotland and Wales. Tell the person that many pharmacies and GP practices in Northern Ireland give free help to stop smoking'
        : 'This postcode is outside England, Scotland and Wales. Mortar cannot refer there';
    case 'no_service':
      return `No stop smoking service in Mortar covers this postcode yet. Give the person the national helpline: ${d.helpline.phone}`;
    case 'national_service': {
      const how = contactLine(d.service.phone, d.service.websiteLabel);
      return `This postcode is in ${NATION_NAMES[d.nation]}. Mortar does not hold referrals for ${d.service.name}, ${d.service.summary}: the person can ${how}`;
    }
    case 'contact_directly': {
      const how = contactLine(d.service.contact.phone, d.service.contact.website);
      const next = how || `call ${d.helpline.name} on ${d.helpline.phone}`;
      return `${d.service.name} does not take referrals through Mortar: the person can ${next}`;
    }
  }
}
