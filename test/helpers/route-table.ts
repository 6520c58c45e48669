// The live route table, and real URLs for it: what test/access-matrix.db.test.ts and test/input-fuzz.db.test.ts
// walk, so a route added tomorrow is checked without anyone listing it.
import { randomUUID } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { sql } from 'kysely';
import type { Database } from '../../src/db/database.ts';
import { LEEDS } from '../../src/demo/demo-data.ts';
import type { Role } from '../../src/platform/roles.ts';
import { hashToken, newToken } from '../../src/platform/tokens.ts';

export { STATIC_PREFIXES } from '../../src/platform/access.ts';

export type DeclaredRoute = {
  method: string;
  url: string;
  access: unknown;
  /** Another system's callback, with its own bearer token (GOV.UK Notify's). */
  callback?: boolean;
};

/** The demonstration account of each role. */
export const ACCOUNTS: Record<Role, string> = {
  referrer: 'referrer@demo.test',
  adviser: 'adviser@demo.test',
  service_manager: 'manager@demo.test',
  commissioner: 'commissioner@demo.test',
  national_analyst: 'analyst@demo.test',
  administrator: 'admin@demo.test',
  national_administrator: 'national.admin@demo.test',
};

/**
 * Builds an app and records every route it registers. Fastify announces every new instance on this
 * channel (it is how tracing tools hook in); an onRoute hook added there sees each route as it is
 * registered, before the app can be asked for them.
 */
export async function captureRoutes<T>(
  build: () => Promise<T>,
): Promise<{ built: T; routes: DeclaredRoute[] }> {
  const routes: DeclaredRoute[] = [];
  const onInit = (message: unknown) => {
    const { fastify } = message as { fastify: FastifyInstance };
    fastify.addHook('onRoute', (route: RouteOptions) => {
      for (const method of [route.method].flat())
        routes.push({
          method,
          url: route.url,
          access: route.config?.access,
          ...(route.config?.callback ? { callback: true } : {}),
        });
    });
  };
  subscribe('fastify.initialization', onInit);
  try {
    return { built: await build(), routes };
  } finally {
    unsubscribe('fastify.initialization', onInit);
  }
}

export async function addApiKey(
  db: Database,
  organisationId: string,
  name: string,
): Promise<{ id: string; key: string }> {
  const key = `mk_${newToken()}`;
  const row = await db
    .insertInto('api_keys')
    .values({
      organisation_id: organisationId,
      name,
      key_prefix: key.slice(0, 8),
      key_hash: hashToken(key),
      created_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, key };
}

const one = async <T>(q: Promise<T | undefined>, what: string): Promise<T> => {
  const row = await q;
  if (row === undefined) throw new Error(`demo data has no ${what}`);
  return row;
};

const WILDCARD_FOR: Record<string, string> = { '/static/*': 'app.css', '/assets/*': 'images/favicon.svg' };

/**
 * Real URLs for the demonstration data. Real ids reach deeper into the handlers than random ones (which
 * mostly stop at "not found"). Records that an unauthorised-looking POST could change (a user, an
 * organisation, an API key) are ones no caller depends on, so one route's side effects cannot change
 * another route's answer. Also makes the API keys callers use: one for Leeds Talking Therapies (a
 * referrer) and a spare, for routes that take a key id.
 */
export async function demoUrls(db: Database) {
  const orgNamed = (name: string) =>
    one(db.selectFrom('organisations').select('id').where('name', '=', name).executeTakeFirst(), name);
  const leedsReferral = (
    await one(
      db.selectFrom('referrals').select('id').where('given_name', '=', 'Sam').executeTakeFirst(),
      'referral for Sam',
    )
  ).id;
  const spareOrganisation = (await orgNamed('Manchester Stop Smoking Service')).id;
  const referrerOrganisation = (await orgNamed('Leeds NHS Talking Therapies')).id;
  const spareUser = (
    await one(
      db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'referrer.foodbank@demo.test')
        .executeTakeFirst(),
      'foodbank user',
    )
  ).id;
  const spareSite = (
    await one(
      db.selectFrom('sites').select('id').where('organisation_id', '=', spareOrganisation).executeTakeFirst(),
      'Manchester site',
    )
  ).id;
  // The Leeds commissioner may edit Leeds's local campaign (not the regional one), so every role in the list reaches the handler.
  const leedsCampaign = (
    await one(
      db.selectFrom('campaigns').select('id').where('code', '=', 'LEEDS-TT-2026').executeTakeFirst(),
      'Leeds campaign',
    )
  ).id;
  const apiKey = await addApiKey(db, referrerOrganisation, 'route walk');
  const spareKey = await addApiKey(db, spareOrganisation, 'spare, for routes that take a key id');

  const tableIds = new Map<string, string | null>();
  async function firstIdOfTable(segment: string): Promise<string | null> {
    const table = segment.replaceAll('-', '_');
    if (!tableIds.has(table)) {
      const exists = await sql<{ n: number }>`
        select count(*)::int as n from information_schema.columns
        where table_schema = current_schema() and table_name = ${table} and column_name = 'id'`.execute(db);
      let id: string | null = null;
      if (exists.rows[0]?.n) {
        const r = await sql<{ id: unknown }>`select id from ${sql.table(table)} limit 1`.execute(db);
        id = r.rows[0] ? String(r.rows[0].id) : null;
      }
      tableIds.set(table, id);
    }
    return tableIds.get(table) ?? null;
  }

  async function valueFor(param: string, before: string): Promise<string> {
    const p = param.toLowerCase();
    if (p === 'keyid' || before === 'api-keys') return spareKey.id;
    if (p === 'userid' || before === 'users') return spareUser;
    if (p === 'siteid' || before === 'sites') return spareSite;
    if (p === 'organisationid' || p === 'orgid' || before === 'organisations') return spareOrganisation;
    if (p === 'referralid' || before === 'referrals' || before === 'worklist') return leedsReferral;
    // The FHIR API's referral resources have the referral's id.
    if (['ServiceRequest', 'Task', 'Patient'].includes(before)) return leedsReferral;
    if (before === 'campaigns') return leedsCampaign;
    // Very Brief Advice the referrer's organisation recorded without a referral: its latest.
    if (before === 'advice-recorded')
      return (
        (
          await db
            .selectFrom('advice_records')
            .select('id')
            .where('organisation_id', '=', referrerOrganisation)
            .where('outcome', '=', 'declined')
            .orderBy('recorded_at', 'desc')
            .executeTakeFirst()
        )?.id ?? randomUUID()
      );
    if (before === 'toolkit') return (await firstIdOfTable('toolkit-documents')) ?? randomUUID();
    // Leeds's strategy: the commissioner among the demo accounts is Leeds's, so it reaches past the scope check.
    if (before === 'strategy')
      return (
        (
          await db
            .selectFrom('strategies')
            .select('id')
            .where('local_authority_code', '=', LEEDS)
            .executeTakeFirst()
        )?.id ?? randomUUID()
      );
    if (p === 'code' || p.endsWith('code') || before === 'local-authorities' || before === 'areas')
      return LEEDS;
    return (await firstIdOfTable(before)) ?? randomUUID();
  }

  /** A URL for a route pattern: each :param a real id, each wildcard a real file. */
  async function concreteUrl(url: string): Promise<string> {
    const segments = url.split('/');
    for (let i = 0; i < segments.length; i++) {
      const s = segments[i]!;
      if (s.startsWith(':'))
        segments[i] = encodeURIComponent(
          await valueFor(s.slice(1).replace(/\(.*\)$/, ''), segments[i - 1] ?? ''),
        );
      else if (s === '*') segments[i] = WILDCARD_FOR[url] ?? 'matrix-probe';
    }
    return segments.join('/');
  }

  return { concreteUrl, apiKey, spareKey };
}
