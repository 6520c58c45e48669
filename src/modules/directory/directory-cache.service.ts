import type { Database } from '../../db/database.ts';
import type { CommissionedService } from '../referrals/where-to-send.ts';
import { commissionedServiceLookup, type CommissionedServiceLookup } from '../referrals/referral.service.ts';
import * as repo from './directory.repository.ts';
import type { PublicService } from './directory.repository.ts';
import { directoryStamp } from './directory-version.repository.ts';
import { NEAR_MILES, withinReach, type FoundService } from './directory.service.ts';
import type { Place } from './geo.ts';

// The published directory, held in memory between requests (issue 15: the finder's results page cost
// five times the static page, nearly all of it the same queries over the same few rows every time).
//
// Every request still asks the database for the directory's stamp (migration 0047's version, which
// triggers move at the commit of any change to what the directory shows, and England's date): one
// single-row read. The copy is used only when its stamp is the one just read, so a page is never older
// than the directory as it stood when its request read the stamp, whichever instance made the change.
// A copy is loaded in one repeatable-read transaction together with the stamp it is filed under, so it
// is whole and exactly that version. The directory holds one entry per stop smoking service (about 150
// in England), so the whole of it is one copy, a few hundred kilobytes, and a search measures every
// place in memory (about a microsecond each) instead of keeping a copy per postcode district.

export type DirectoryCopy = {
  readonly stamp: string;
  /** Every published service, by name then id: the open data's order. */
  readonly services: readonly PublicService[];
  service(id: string): PublicService | undefined;
  /** The services that cover the place or are within `radiusMiles` of it, nearest first (servicesNear). */
  near(place: Place, radiusMiles?: number): FoundService[];
  /** The service an authority commissions today, read once per copy and authority. */
  readonly commissioned: CommissionedServiceLookup;
};

export type DirectoryCache = {
  /** The directory as it stands now: the copy in memory when its stamp is current, else a fresh one. */
  current(): Promise<DirectoryCopy>;
  /** Requests answered from memory, and copies loaded: what the tests and a profile look at. */
  stats(): { hits: number; loads: number };
};

/** Frozen, so no request can change what the next one is shown. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function copyOf(db: Database, stamp: string, services: PublicService[]): DirectoryCopy {
  const byId = new Map(services.map((s) => [s.id, s]));
  const read = commissionedServiceLookup(db);
  const commissioned = new Map<string, Promise<CommissionedService | undefined>>();
  return {
    stamp,
    services: deepFreeze(services),
    service: (id) => byId.get(id),
    near: (place, radiusMiles = NEAR_MILES) => withinReach(services, place, radiusMiles),
    // Read after the stamp, so never older than it; the copy is dropped when the stamp moves.
    commissioned: (la) => {
      let found = commissioned.get(la);
      if (!found) {
        found = read(la).then((s) => deepFreeze(s));
        found.catch(() => commissioned.delete(la));
        commissioned.set(la, found);
      }
      return found;
    },
  };
}

async function loadCopy(db: Database): Promise<DirectoryCopy> {
  const { stamp, services } = await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const at = await directoryStamp(trx);
      const { ids } = await repo.pagePublishedServiceIds(trx, null, 0);
      return { stamp: at, services: await repo.loadPublishedServices(trx, ids) };
    });
  return copyOf(db, stamp, services);
}

export function createDirectoryCache(db: Database): DirectoryCache {
  let held: { stamp: string; copy: Promise<DirectoryCopy> } | undefined;
  let hits = 0;
  let loads = 0;
  return {
    async current() {
      const stamp = await directoryStamp(db);
      if (held?.stamp === stamp) {
        hits++;
        return held.copy;
      }
      loads++;
      const copy = loadCopy(db);
      const entry = { stamp, copy };
      held = entry;
      // Filed under the stamp it was loaded with, which may be newer than the one this request read.
      copy.then(
        (c) => {
          if (held === entry) held = { stamp: c.stamp, copy };
        },
        () => {
          if (held === entry) held = undefined;
        },
      );
      return copy;
    },
    stats: () => ({ hits, loads }),
  };
}

const perApp = new WeakMap<object, DirectoryCache>();

/** One cache per app instance (the finder and the open data share it), as each process has one app. */
export function directoryCacheOf(app: object, db: Database): DirectoryCache {
  let cache = perApp.get(app);
  if (!cache) {
    cache = createDirectoryCache(db);
    perApp.set(app, cache);
  }
  return cache;
}
