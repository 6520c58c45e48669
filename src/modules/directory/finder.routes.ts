import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { notFound } from '../../platform/errors.ts';
import type { FormErrors } from '../../platform/forms.ts';
import { AIDS_PUBLIC, MODES_PUBLIC, SWAP_TO_STOP, type DirectoryAid, type Mode } from './directory.codes.ts';
import { loadPublishedServices } from './directory.repository.ts';
import { isUuid } from '../../platform/validation.ts';
import { sharedCentroids } from './centroid-data.ts';
import { finderTables, measure, servicesNear, type FoundService } from './directory.service.ts';
import {
  distanceMiles,
  formatMiles,
  locate,
  type LocateResult,
  type Place,
  type PostcodeSource,
} from './geo.ts';
import { readTypedCode } from '../referrals/campaign-attribution.ts';

// The public finder: anyone, signed in or not, on any phone, with or without JavaScript. Searches are
// GET requests, so a result can be bookmarked and shared; nothing typed here is stored, and these
// pages make no CSRF token, so they set no cookie.

const V = (name: string) => `directory/views/${name}.njk`;
const PUBLIC = { access: 'public' } as const;

const MESSAGES: Record<Exclude<LocateResult, { ok: true }>['reason'], string> = {
  empty: 'Enter your postcode',
  invalid: 'Enter a real postcode, like LS1 4AP, or the first part of one, like LS1',
  unknown: 'We cannot find that postcode. Check it and try again',
};

/** What a results card or service page shows, in the words people see. */
function viewOf(s: FoundService, place: Place | null) {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    phone: s.phone,
    phoneHref: s.phone ? `tel:${s.phone.replace(/\s+/g, '')}` : null,
    email: s.email,
    website: s.website,
    openingTimes: s.openingTimes,
    modes: s.modes.filter((m): m is Mode => m in MODES_PUBLIC).map((m) => MODES_PUBLIC[m]),
    languages: s.languages,
    tailoredSupport: s.tailoredSupport,
    tailoredSupportText: s.tailoredSupportText,
    inTalkingTherapies: s.inTalkingTherapies,
    aids: s.aids
      .filter((a): a is DirectoryAid => a in AIDS_PUBLIC && a !== SWAP_TO_STOP)
      .map((a) => AIDS_PUBLIC[a]),
    freeVapeKits: s.aids.includes(SWAP_TO_STOP),
    eligibility: s.eligibility,
    areas: s.areas.map((a) => a.name),
    isLocal: s.isLocal,
    distance: s.distanceMiles === null ? null : formatMiles(s.distanceMiles),
    nearest: s.nearestLocation,
    locations: s.locations.map((l) => ({
      ...l,
      distance: place ? formatMiles(distanceMiles(place, { lat: l.latitude, long: l.longitude })) : null,
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

function searchPage(reply: FastifyReply, postcode: string, campaign: string | null, errors?: FormErrors) {
  if (errors) reply.code(400);
  return reply.page(V('find'), {
    title: 'Find help to stop smoking near you',
    csrf: false,
    values: { postcode },
    campaign,
    errors,
  });
}

function resultsPage(reply: FastifyReply, place: Place, services: FoundService[], campaign: string | null) {
  const own = services.find((s) => s.isLocal) ?? null;
  return reply.page(V('results'), {
    title: `Stop smoking services near ${place.label}`,
    csrf: false,
    backHref: '/find-support',
    place,
    partial: place.precision !== 'postcode',
    // 'local': their own service is listed; 'partial': part of a postcode, whose authority is not
    // known; 'elsewhere': their authority is known and none of these is its service.
    situation: own ? 'local' : place.localAuthorityCode === null ? 'partial' : 'elsewhere',
    services: services.map((s) => viewOf(s, place)),
    own: own ? { id: own.id, name: own.name } : null,
    referHref: referHref(place.label, campaign),
    serviceQuery: queryString({ postcode: place.label, campaign }),
    campaign,
    values: { postcode: place.label },
  });
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
      const text = MESSAGES[found.reason];
      return searchPage(reply, postcode, campaign, {
        list: [{ text, href: '#postcode' }],
        fields: { postcode: { text } },
      });
    }
    return resultsPage(reply, found.place, await servicesNear(db, found.place), campaign);
  });

  app.get('/find-support/services/:id', { config: PUBLIC }, async (request, reply) => {
    const id = (request.params as Record<string, string>).id ?? '';
    if (!isUuid(id)) throw notFound('Service not found');
    const [service] = await loadPublishedServices(db, [id]);
    if (!service) throw notFound('Service not found');
    // Arriving from a search, the postcode comes along: distances, and the link to refer yourself, use it.
    const raw = queryOf(request).postcode;
    const campaign = campaignOf(request);
    const found = typeof raw === 'string' && raw.trim() ? locate(raw, await tables()) : null;
    const place = found?.ok ? found.place : null;
    const [view] = measure([service], place).map((s) => viewOf(s, place));
    return reply.page(V('service'), {
      title: service.name,
      csrf: false,
      backHref: place
        ? `/find-support/results${queryString({ postcode: place.label, campaign })}`
        : `/find-support${queryString({ campaign })}`,
      service: view,
      place,
      campaign,
      referHref: referHref(place?.label ?? null, campaign),
    });
  });
}
