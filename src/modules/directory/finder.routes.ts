import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { notFound } from '../../platform/errors.ts';
import type { FormErrors } from '../../platform/forms.ts';
import type { Language } from '../../platform/language.ts';
import { routeLanguage } from '../../platform/page-language.ts';
import { translator } from '../../platform/translate.ts';
import { AIDS_PUBLIC, MODES_PUBLIC, SWAP_TO_STOP, type DirectoryAid, type Mode } from './directory.codes.ts';
import { weekInWords } from './opening-hours-words.ts';
import type { Clock } from '../../platform/clock.ts';
import { isUuid } from '../../platform/validation.ts';
import { sharedCentroids } from './centroid-data.ts';
import { finderTables, measure, type FoundService } from './directory.service.ts';
import { directoryCacheOf } from './directory-cache.service.ts';
import {
  distanceMiles,
  formatMiles,
  locate,
  type LocateResult,
  type Place,
  type PostcodeSource,
} from './geo.ts';
import { readTypedCode } from '../referrals/campaign-attribution.ts';
import { decideForWhereabouts, type CommissionedServiceLookup } from '../referrals/referral.service.ts';
import { contactViewOf } from '../referrals/signposted-view.ts';
import {
  outsideBritain,
  whereaboutsOf,
  type Outside,
  type SendDecision,
} from '../referrals/where-to-send.ts';

// The public finder: anyone, signed in or not, on any phone, with or without JavaScript. Searches are
// GET requests, so a result can be bookmarked and shared; nothing typed here is stored, and these
// pages make no CSRF token, so they set no cookie (only the language cookie, when a person chooses
// Welsh or English with the link at the top). The pages are bilingual: Mortar's words are in the
// person's language, a service's own entry (name, description, opening times) as the service wrote it.

const V = (name: string) => `directory/views/${name}.njk`;
const PUBLIC = { access: 'public' } as const;

const MESSAGES: Record<Exclude<LocateResult, { ok: true }>['reason'], string> = {
  empty: 'Enter your postcode',
  invalid: 'Enter a real postcode, like LS1 4AP, or the first part of one, like LS1',
  unknown: 'We cannot find that postcode. Check it and try again',
};

/** What a results card or service page shows, in the words people see, in the page's language. */
function viewOf(s: FoundService, place: Place | null, lang: Language, clock?: Clock) {
  const t = translator(lang);
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    phone: s.phone,
    phoneHref: s.phone ? `tel:${s.phone.replace(/\s+/g, '')}` : null,
    email: s.email,
    website: s.website,
    openingTimes: s.openingTimes,
    modes: s.modes.filter((m): m is Mode => m in MODES_PUBLIC).map((m) => t(MODES_PUBLIC[m])),
    languages: s.languages,
    tailoredSupport: s.tailoredSupport,
    tailoredSupportText: s.tailoredSupportText,
    inTalkingTherapies: s.inTalkingTherapies,
    aids: s.aids
      .filter((a): a is DirectoryAid => a in AIDS_PUBLIC && a !== SWAP_TO_STOP)
      .map((a) => t(AIDS_PUBLIC[a])),
    freeVapeKits: s.aids.includes(SWAP_TO_STOP),
    eligibility: s.eligibility,
    areas: s.areas.map((a) => a.name),
    isLocal: s.isLocal,
    distance: s.distanceMiles === null ? null : formatMiles(s.distanceMiles, lang),
    nearest: s.nearestLocation,
    locations: s.locations.map((l) => ({
      ...l,
      // Only the service's own page says when each place is open: it has the day to say it from.
      week: clock ? weekInWords(l.hours, clock.today(), lang) : [],
      distance: place
        ? formatMiles(distanceMiles(place, { lat: l.latitude, long: l.longitude }), lang)
        : null,
    })),
    updatedAt: s.updatedAt,
  };
}

/** A query string of the parameters that are set, with its leading '?' (or nothing). */
const queryString = (params: Record<string, string | null>) => {
  const set = Object.entries(params).filter((e): e is [string, string] => e[1] !== null);
  return set.length ? `?${set.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}` : '';
};

const referHref = (postcode: string | null, campaign: string | null) =>
  `/self-referral${queryString({ postcode, campaign })}`;

function queryOf(request: FastifyRequest): Record<string, unknown> {
  return (request.query ?? {}) as Record<string, unknown>;
}

/**
 * A campaign's link may land on the finder (?campaign=CODE): the code goes along with every search and
 * link to the self-referral form, which decides whether a campaign has it. Only something shaped like a
 * code is carried.
 */
function campaignOf(request: FastifyRequest): string | null {
  const read = readTypedCode(
    typeof queryOf(request).campaign === 'string' ? (queryOf(request).campaign as string) : '',
  );
  return read.ok ? read.code : null;
}

function searchPage(
  reply: FastifyReply,
  postcode: string,
  campaign: string | null,
  errors?: FormErrors,
  outside?: Outside,
) {
  if (errors) reply.code(400);
  return reply.page(V('find'), {
    title: 'Find help to stop smoking near you',
    csrf: false,
    bilingual: true,
    // In the other language, the same search again (or the empty form), with only a campaign-shaped code.
    languageAddress:
      errors || outside
        ? `/find-support/results${queryString({ postcode, campaign })}`
        : `/find-support${queryString({ campaign })}`,
    values: { postcode },
    campaign,
    errors,
    outside,
  });
}

/**
 * What the results say about the person's own support, from the decision the referral forms use:
 * 'local' (their service takes requests here), 'direct' (their service does not: its details),
 * 'national' (Wales or Scotland), 'elsewhere' (England, no service), 'partial' (part of a postcode
 * whose authority is not known).
 */
function situationOf(decision: SendDecision | null) {
  switch (decision?.kind) {
    case 'refer_in_mortar':
      return 'local';
    case 'contact_directly':
      return 'direct';
    case 'national_service':
      return 'national';
    case 'no_service':
      return 'elsewhere';
    default:
      return 'partial';
  }
}

function resultsPage(
  reply: FastifyReply,
  place: Place,
  services: FoundService[],
  decision: SendDecision | null,
  campaign: string | null,
) {
  const own = decision?.kind === 'refer_in_mortar' ? decision.service : null;
  const lang = routeLanguage(reply.request);
  const t = translator(lang);
  return reply.page(V('results'), {
    title: t('Stop smoking services near {postcode}', { postcode: place.label }),
    csrf: false,
    bilingual: true,
    languageAddress: `/find-support/results${queryString({ postcode: place.label, campaign })}`,
    backHref: '/find-support',
    place,
    partial: place.precision !== 'postcode',
    situation: situationOf(decision),
    services: services.map((s) => viewOf(s, place, lang)),
    own: own ? { id: own.organisationId, name: own.name } : null,
    elsewhere: decision ? contactViewOf(decision, t) : null,
    nation: decision && 'nation' in decision ? decision.nation : null,
    referHref: referHref(place.label, campaign),
    serviceQuery: queryString({ postcode: place.label, campaign }),
    campaign,
    values: { postcode: place.label },
  });
}

/**
 * The same decision the referral forms make, for the place searched: null for part of a postcode split
 * between authorities, whose own service cannot be known.
 */
async function decisionFor(
  db: Database,
  postcodes: PostcodeSource,
  place: Place,
  commissioned: CommissionedServiceLookup,
): Promise<SendDecision | null> {
  if (place.precision !== 'postcode' && place.localAuthorityCode === null) return null;
  const countryCode =
    place.precision === 'postcode' ? (postcodes.lookup(place.label)?.countryCode ?? null) : null;
  return decideForWhereabouts(
    db,
    whereaboutsOf(place.label, { localAuthorityCode: place.localAuthorityCode, countryCode }),
    commissioned,
  );
}

export function registerFinderRoutes(
  app: FastifyInstance,
  { db, postcodes }: { db: Database; postcodes: PostcodeSource },
) {
  // The centroid table is read once per process; loading it as the app starts keeps it off the first search.
  app.addHook('onReady', async () => {
    await sharedCentroids();
  });
  const tables = finderTables(postcodes);
  const directory = directoryCacheOf(app, db);

  app.get('/find-support', { config: PUBLIC }, async (request, reply) =>
    searchPage(reply, '', campaignOf(request)),
  );

  app.get('/find-support/results', { config: PUBLIC }, async (request, reply) => {
    const raw = queryOf(request).postcode;
    const campaign = campaignOf(request);
    const postcode = typeof raw === 'string' ? raw.slice(0, 100) : '';
    const found =
      typeof raw === 'string' || raw === undefined
        ? locate(postcode, await tables())
        : ({ ok: false, reason: 'invalid' } as const);
    if (!found.ok) {
      // Northern Ireland and the islands are not in the postcode table: say where they are, not "not found".
      const outside = found.reason === 'unknown' ? outsideBritain(postcode) : null;
      if (outside) return searchPage(reply, postcode, campaign, undefined, outside);
      const text = MESSAGES[found.reason];
      return searchPage(reply, postcode, campaign, {
        list: [{ text, href: '#postcode' }],
        fields: { postcode: { text } },
      });
    }
    const copy = await directory.current();
    const decision = await decisionFor(db, postcodes, found.place, copy.commissioned);
    return resultsPage(reply, found.place, copy.near(found.place), decision, campaign);
  });

  app.get('/find-support/services/:id', { config: PUBLIC }, async (request, reply) => {
    const id = (request.params as Record<string, string>).id ?? '';
    if (!isUuid(id)) throw notFound('Service not found');
    const service = (await directory.current()).service(id);
    if (!service) throw notFound('Service not found');
    // Arriving from a search, the postcode comes along: distances, and the link to refer yourself, use it.
    const raw = queryOf(request).postcode;
    const campaign = campaignOf(request);
    const found = typeof raw === 'string' && raw.trim() ? locate(raw, await tables()) : null;
    const place = found?.ok ? found.place : null;
    const [view] = measure([service], place).map((s) => viewOf(s, place, routeLanguage(request), app.clock));
    return reply.page(V('service'), {
      title: service.name,
      csrf: false,
      bilingual: true,
      languageAddress: `/find-support/services/${id}${queryString({ postcode: place?.label ?? null, campaign })}`,
      backHref: place
        ? `/find-support/results${queryString({ postcode: place.label, campaign })}`
        : `/find-support${queryString({ campaign })}`,
      service: view,
      place,
      campaign,
      // Only a service that reads requests in Mortar is offered for refer-yourself.
      referHref: service.onMortar ? referHref(place?.label ?? null, campaign) : null,
    });
  });
}
