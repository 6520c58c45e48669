import { sql, type ExpressionBuilder } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { DirectoryEditScope } from '../../platform/scope.ts';
import { commissionInForceSql } from '../organisations/commission.sql.ts';
import { onMortarSql } from '../referrals/on-mortar.sql.ts';
import type { LocationInput, ServiceEntryInput } from './directory.schemas.ts';
import { currentHours, type StoredPeriod } from './opening-hours.repository.ts';

// SQL only. Editing queries take the scope from platform/scope.ts and apply it to every query; public
// queries only ever see published entries of open organisations.

const IN_FORCE = commissionInForceSql();
const LAST_DAYS_CHANGE = sql`select d.updated_at from service_opening_days d where d.organisation_id = s.organisation_id`;

/** The stop smoking services this scope may edit, as a filter on organisations `o`. */
function editable(scope: DirectoryEditScope) {
  return (eb: ExpressionBuilder<DB & { o: DB['organisations'] }, 'o'>) => {
    const isService = eb('o.type', '=', 'stop_smoking_service');
    if (scope.kind === 'all') return isService;
    if (scope.kind === 'organisation') return eb.and([isService, eb('o.id', '=', scope.organisationId)]);
    return eb.and([
      isService,
      eb.exists(
        eb
          .selectFrom('commissions as c')
          .select('c.id')
          .whereRef('c.service_organisation_id', '=', 'o.id')
          .where('c.local_authority_code', '=', scope.localAuthorityCode)
          .where(IN_FORCE),
      ),
    ]);
  };
}

export async function listEditableServices(db: Executor, scope: DirectoryEditScope) {
  return db
    .selectFrom('organisations as o')
    .leftJoin('directory_services as s', 's.organisation_id', 'o.id')
    .select((eb) => [
      'o.id as organisation_id',
      'o.name',
      'o.active',
      's.id as service_id',
      's.published',
      's.updated_at',
      eb
        .selectFrom('directory_locations as l')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('l.service_id', '=', 's.id')
        .as('location_count'),
    ])
    .where(editable(scope))
    .orderBy('o.name')
    .orderBy('o.id')
    .execute();
}

/** A service this scope may edit, with its entry if it has one; undefined when out of scope or not a service. */
export async function findEditableService(db: Executor, scope: DirectoryEditScope, organisationId: string) {
  return db
    .selectFrom('organisations as o')
    .leftJoin('directory_services as s', 's.organisation_id', 'o.id')
    .leftJoin('users as u', 'u.id', 's.updated_by')
    .select([
      'o.id as organisation_id',
      'o.name',
      's.id as service_id',
      's.description',
      's.phone',
      's.email',
      's.website',
      's.opening_times',
      's.modes',
      's.languages',
      's.tailored_support',
      's.tailored_support_text',
      's.in_talking_therapies',
      's.aids',
      's.eligibility',
      's.published',
      's.updated_at',
      'u.name as updated_by_name',
    ])
    .where('o.id', '=', organisationId)
    .where(editable(scope))
    .executeTakeFirst();
}

export async function upsertServiceEntry(
  db: Executor,
  organisationId: string,
  e: ServiceEntryInput,
  userId: string | null,
): Promise<string> {
  const values = {
    description: e.description,
    phone: e.phone,
    email: e.email,
    website: e.website,
    opening_times: e.openingTimes,
    modes: e.modes,
    languages: e.languages,
    tailored_support: e.tailoredSupport,
    tailored_support_text: e.tailoredSupportText,
    in_talking_therapies: e.inTalkingTherapies,
    aids: e.aids,
    eligibility: e.eligibility,
    published: e.published,
    updated_at: new Date(),
    updated_by: userId,
  };
  const row = await db
    .insertInto('directory_services')
    .values({ organisation_id: organisationId, ...values })
    .onConflict((oc) => oc.column('organisation_id').doUpdateSet(values))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function listLocations(db: Executor, serviceId: string) {
  return db
    .selectFrom('directory_locations')
    .select(['id', 'name', 'address', 'postcode', 'latitude', 'longitude', 'accessibility'])
    .where('service_id', '=', serviceId)
    .orderBy('name')
    .orderBy('id')
    .execute();
}

export async function findLocation(db: Executor, serviceId: string, locationId: string) {
  return db
    .selectFrom('directory_locations')
    .select(['id', 'name', 'address', 'postcode', 'latitude', 'longitude', 'accessibility'])
    .where('service_id', '=', serviceId)
    .where('id', '=', locationId)
    .executeTakeFirst();
}

type LocationValues = Omit<LocationInput, 'latitude' | 'longitude'> & { latitude: number; longitude: number };

export async function insertLocation(
  db: Executor,
  serviceId: string,
  l: LocationValues,
  userId: string | null,
): Promise<string> {
  const row = await db
    .insertInto('directory_locations')
    .values({
      service_id: serviceId,
      name: l.name,
      address: l.address,
      postcode: l.postcode,
      latitude: l.latitude,
      longitude: l.longitude,
      accessibility: l.accessibility,
      updated_by: userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await touchService(db, serviceId, userId);
  return row.id;
}

export async function updateLocation(
  db: Executor,
  serviceId: string,
  locationId: string,
  l: LocationValues,
  userId: string | null,
): Promise<boolean> {
  const r = await db
    .updateTable('directory_locations')
    .set({
      name: l.name,
      address: l.address,
      postcode: l.postcode,
      latitude: l.latitude,
      longitude: l.longitude,
      accessibility: l.accessibility,
      updated_at: new Date(),
      updated_by: userId,
    })
    .where('service_id', '=', serviceId)
    .where('id', '=', locationId)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) return false;
  await touchService(db, serviceId, userId);
  return true;
}

export async function deleteLocation(
  db: Executor,
  serviceId: string,
  locationId: string,
  userId: string | null,
) {
  const row = await db
    .deleteFrom('directory_locations')
    .where('service_id', '=', serviceId)
    .where('id', '=', locationId)
    .returning(['id', 'name'])
    .executeTakeFirst();
  if (row) await touchService(db, serviceId, userId);
  return row;
}

/** A change to a place is a change to the entry: its last-modified time moves with it. */
async function touchService(db: Executor, serviceId: string, userId: string | null) {
  await db
    .updateTable('directory_services')
    .set({ updated_at: new Date(), updated_by: userId })
    .where('id', '=', serviceId)
    .execute();
}

// Public ---------------------------------------------------------------------------------------------

export type PublicLocation = {
  id: string;
  name: string;
  address: string;
  postcode: string;
  latitude: number;
  longitude: number;
  accessibility: string | null;
  /** When it is open: periods not ended by today in England, in week order (none when never given). */
  hours: StoredPeriod[];
};

export type PublicService = {
  id: string;
  organisationId: string;
  name: string;
  description: string;
  phone: string | null;
  email: string | null;
  website: string | null;
  openingTimes: string | null;
  /** The days it is open, 1 (Monday) to 7, as its manager keeps them for appointments; null if never set. */
  openingDays: number[] | null;
  modes: string[];
  languages: string[];
  tailoredSupport: boolean;
  tailoredSupportText: string | null;
  inTalkingTherapies: boolean;
  aids: string[];
  eligibility: string | null;
  updatedAt: Date;
  locations: PublicLocation[];
  /** The local authorities that commission the service today: the areas it covers. */
  areas: { code: string; name: string }[];
  /** Someone reads referrals for it in Mortar (referrals/on-mortar.sql.ts), so people may refer themselves. */
  onMortar: boolean;
};

function published(
  eb: ExpressionBuilder<DB & { s: DB['directory_services']; o: DB['organisations'] }, 's' | 'o'>,
) {
  return eb.and([
    eb('s.published', '=', true),
    eb('o.active', '=', true),
    eb('o.type', '=', 'stop_smoking_service'),
  ]);
}

/**
 * Published services with a place inside the box, or commissioned today by the authority. A box, not a
 * circle: the caller measures the exact distance.
 */
export async function candidateServiceIds(
  db: Executor,
  near: { minLat: number; maxLat: number; minLong: number; maxLong: number },
  localAuthorityCode: string | null,
): Promise<string[]> {
  const rows = await db
    .selectFrom('directory_services as s')
    .innerJoin('organisations as o', 'o.id', 's.organisation_id')
    .select('s.id')
    .where(published)
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('directory_locations as l')
            .select('l.id')
            .whereRef('l.service_id', '=', 's.id')
            .where('l.latitude', '>=', near.minLat)
            .where('l.latitude', '<=', near.maxLat)
            .where('l.longitude', '>=', near.minLong)
            .where('l.longitude', '<=', near.maxLong),
        ),
        ...(localAuthorityCode
          ? [
              eb.exists(
                eb
                  .selectFrom('commissions as c')
                  .select('c.id')
                  .whereRef('c.service_organisation_id', '=', 's.organisation_id')
                  .where('c.local_authority_code', '=', localAuthorityCode)
                  .where(IN_FORCE),
              ),
            ]
          : []),
      ]),
    )
    .execute();
  return rows.map((r) => r.id);
}

/** A page of published services by name (all of them when `limit` is null), and how many there are in all. */
export async function pagePublishedServiceIds(
  db: Executor,
  limit: number | null,
  offset: number,
): Promise<{ ids: string[]; total: number }> {
  const [rows, count] = await Promise.all([
    db
      .selectFrom('directory_services as s')
      .innerJoin('organisations as o', 'o.id', 's.organisation_id')
      .select('s.id')
      .where(published)
      .orderBy('o.name')
      .orderBy('s.id')
      .$if(limit !== null, (qb) => qb.limit(limit!))
      .offset(offset)
      .execute(),
    db
      .selectFrom('directory_services as s')
      .innerJoin('organisations as o', 'o.id', 's.organisation_id')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where(published)
      .executeTakeFirstOrThrow(),
  ]);
  return { ids: rows.map((r) => r.id), total: Number(count.n) };
}

/** Published services with their places and areas, in the order of `ids` (unknown or hidden ids are dropped). */
export async function loadPublishedServices(db: Executor, ids: readonly string[]): Promise<PublicService[]> {
  if (ids.length === 0) return [];
  const [services, locations, areas] = await Promise.all([
    publishedServiceRows(db, ids),
    db
      .selectFrom('directory_locations')
      .select(['id', 'service_id', 'name', 'address', 'postcode', 'latitude', 'longitude', 'accessibility'])
      .where('service_id', 'in', [...ids])
      .orderBy('name')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('directory_services as s')
      .innerJoin('commissions as c', 'c.service_organisation_id', 's.organisation_id')
      .innerJoin('local_authorities as la', 'la.code', 'c.local_authority_code')
      .select(['s.id as service_id', 'la.code', 'la.name'])
      .where('s.id', 'in', [...ids])
      .where(IN_FORCE)
      .orderBy('la.name')
      .execute(),
  ]);
  const byId = new Map(services.map((s) => [s.id, toPublicService(s)]));
  const hours = await currentHours(db, locations);
  for (const l of locations) {
    const { service_id, ...rest } = l;
    byId.get(service_id)?.locations.push({
      ...rest,
      latitude: Number(rest.latitude),
      longitude: Number(rest.longitude),
      hours: hours.get(l.id) ?? [],
    });
  }
  for (const a of areas) byId.get(a.service_id)?.areas.push({ code: a.code, name: a.name });
  return ids.map((id) => byId.get(id)).filter((s): s is PublicService => s !== undefined);
}

type ServiceRow = Awaited<ReturnType<typeof publishedServiceRows>>[number];

function toPublicService(s: ServiceRow): PublicService {
  return {
    id: s.id,
    organisationId: s.organisation_id,
    name: s.name,
    description: s.description,
    phone: s.phone,
    email: s.email,
    website: s.website,
    openingTimes: s.opening_times,
    openingDays: s.opening_days ?? null,
    modes: s.modes,
    languages: s.languages,
    tailoredSupport: s.tailored_support,
    tailoredSupportText: s.tailored_support_text,
    inTalkingTherapies: s.in_talking_therapies,
    aids: s.aids,
    eligibility: s.eligibility,
    updatedAt: s.last_modified,
    locations: [],
    areas: [],
    onMortar: Boolean(s.on_mortar),
  };
}

function publishedServiceRows(db: Executor, ids: readonly string[]) {
  return db
    .selectFrom('directory_services as s')
    .innerJoin('organisations as o', 'o.id', 's.organisation_id')
    .select([
      's.id',
      's.organisation_id',
      'o.name',
      's.description',
      's.phone',
      's.email',
      's.website',
      's.opening_times',
      's.modes',
      's.languages',
      's.tailored_support',
      's.tailored_support_text',
      's.in_talking_therapies',
      's.aids',
      's.eligibility',
      // Last modified: the entry (its places and their times touch it) or the days it is open, whichever is later.
      sql<Date>`greatest(s.updated_at, (${LAST_DAYS_CHANGE}))`.as('last_modified'),
      onMortarSql('s.organisation_id').as('on_mortar'),
      (eb) =>
        eb
          .selectFrom('service_opening_days as d')
          .select('d.days')
          .whereRef('d.organisation_id', '=', 's.organisation_id')
          .as('opening_days'),
    ])
    .where('s.id', 'in', [...ids])
    .where(published)
    .execute();
}
