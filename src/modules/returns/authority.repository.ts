// Who a return covers: the authority (or integrated service) it is for with its region, the stop smoking services the authority
// commissioned in a period, and the authorities an organisation's services work for under a commission.
import type { IsoDate } from '../../platform/dates.ts';
import type { Executor } from './returns.sql.ts';
import { commissionInForceSql } from '../organisations/commission.sql.ts';
import { INTEGRATED_TYPES } from '../organisations/delivery-route.ts';

export type AuthorityRow = { code: string; name: string; region_code: string; region_name: string };

export async function findAuthority(db: Executor, code: string): Promise<AuthorityRow | undefined> {
  return db
    .selectFrom('local_authorities as la')
    .innerJoin('regions as rg', 'rg.code', 'la.region_code')
    .select(['la.code', 'la.name', 'la.region_code', 'rg.name as region_name'])
    .where('la.code', '=', code)
    .executeTakeFirst();
}

/** The stop smoking services the authority commissioned at any time in the range, by name. */
export async function commissionedServices(db: Executor, la: string, first: IsoDate, last: IsoDate) {
  return db
    .selectFrom('commissions as c')
    .innerJoin('organisations as o', 'o.id', 'c.service_organisation_id')
    .select(['o.id', 'o.name'])
    .distinct()
    .where('c.local_authority_code', '=', la)
    .where(commissionInForceSql(first, last))
    .orderBy('o.name')
    .execute();
}

/** The authorities whose services this organisation runs under a commission in the range. */
export async function authoritiesCommissioning(
  db: Executor,
  serviceId: string,
  first: IsoDate,
  last: IsoDate,
) {
  return db
    .selectFrom('commissions as c')
    .innerJoin('local_authorities as la', 'la.code', 'c.local_authority_code')
    .select(['la.code', 'la.name'])
    .distinct()
    .where('c.service_organisation_id', '=', serviceId)
    .where(commissionInForceSql(first, last))
    .orderBy('la.name')
    .execute();
}

/**
 * A mental health service that delivers stop smoking support integrated with therapy, with the region of
 * the authority it sits in (null when it has none), for its integrated-delivery return; undefined when
 * the organisation is not one.
 */
export async function findIntegratedService(db: Executor, id: string) {
  return db
    .selectFrom('organisations as o')
    .leftJoin('local_authorities as la', 'la.code', 'o.local_authority_code')
    .leftJoin('regions as rg', 'rg.code', 'la.region_code')
    .select(['o.id', 'o.name', 'o.local_authority_code', 'la.region_code', 'rg.name as region_name'])
    .where('o.id', '=', id)
    .where('o.type', 'in', [...INTEGRATED_TYPES])
    .executeTakeFirst();
}
