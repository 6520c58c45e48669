// The SQL of handing a quit attempt between routes of delivery (handover.service.ts): which services can
// receive it, moving the episode and its person, and the handovers kept (migration 0026).
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { commissionInForceSql } from '../organisations/commission.sql.ts';
import { INTEGRATED_TYPES, type DeliveryRoute } from '../organisations/delivery-route.ts';

export type ReceivingService = { id: string; name: string };

/**
 * The services of `route` that can take over an episode of this authority today: for the stop smoking
 * route, the stop smoking services the authority commissions today; for the integrated route, the mental
 * health services in the authority. Only services with someone active who can run treatment there.
 */
export async function receivingServices(
  db: Executor,
  route: DeliveryRoute,
  localAuthorityCode: string | null,
  today: string,
): Promise<ReceivingService[]> {
  if (localAuthorityCode === null || route === 'pharmacy') return [];
  let q = db
    .selectFrom('organisations as o')
    .select(['o.id', 'o.name'])
    .distinct()
    .where('o.active', '=', true)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('users as u')
          .select('u.id')
          .whereRef('u.organisation_id', '=', 'o.id')
          .where('u.active', '=', true)
          .where('u.role', 'in', ['adviser', 'service_manager']),
      ),
    );
  q =
    route === 'integrated'
      ? q
          .where('o.type', 'in', [...INTEGRATED_TYPES])
          .where('o.local_authority_code', '=', localAuthorityCode)
      : q
          .innerJoin('commissions as c', 'c.service_organisation_id', 'o.id')
          .where('o.type', '=', 'stop_smoking_service')
          .where('c.local_authority_code', '=', localAuthorityCode)
          .where(commissionInForceSql(today));
  return q.orderBy('o.name').execute();
}

/** The episode's facts the handover rule needs, its row locked for the change; undefined outside the scope. */
export async function lockEpisode(trx: Executor, organisationId: string, episodeId: string) {
  return trx
    .selectFrom('episodes as e')
    .leftJoin('episode_outcomes as o', 'o.episode_id', 'e.id')
    .select(['e.id', 'e.person_id', 'e.quit_date', 'e.closed_at', 'e.local_authority_code', 'o.outcome'])
    .where('e.id', '=', episodeId)
    .where('e.service_organisation_id', '=', organisationId)
    .forUpdate('e')
    .executeTakeFirst();
}

/**
 * Gives the episode to the receiving service, whole: its sessions, mood checks, medicines and notes hang
 * off the episode and go with it. The person goes with it too; when the sending service still holds other
 * episodes of theirs, the receiver gets a copy of the person's details instead, so neither loses its records.
 */
export async function moveEpisode(
  trx: Executor,
  e: { id: string; personId: string; from: string; to: string },
): Promise<void> {
  const others = await trx
    .selectFrom('episodes')
    .select('id')
    .where('person_id', '=', e.personId)
    .where('id', '!=', e.id)
    .where('service_organisation_id', '=', e.from)
    .executeTakeFirst();
  let personId = e.personId;
  if (others) {
    const { rows } = await sql<{ id: string }>`
      insert into people (service_organisation_id, local_authority_code, given_name, family_name, date_of_birth,
        postcode, phone, email, nhs_number)
      select ${e.to}::uuid, local_authority_code, given_name, family_name, date_of_birth, postcode, phone, email,
        nhs_number
      from people where id = ${e.personId}::uuid
      returning id`.execute(trx);
    personId = rows[0]!.id;
  } else {
    await trx
      .updateTable('people')
      .set({ service_organisation_id: e.to })
      .where('id', '=', e.personId)
      .execute();
  }
  await trx
    .updateTable('episodes')
    .set({ service_organisation_id: e.to, person_id: personId, adviser_user_id: null })
    .where('id', '=', e.id)
    .execute();
}

export async function insertHandover(
  trx: Executor,
  h: { episodeId: string; from: string; to: string; by: string; on: string },
): Promise<void> {
  await trx
    .insertInto('episode_handovers')
    .values({
      episode_id: h.episodeId,
      from_service_organisation_id: h.from,
      to_service_organisation_id: h.to,
      handed_over_by: h.by,
      handed_over_on: h.on,
    })
    .execute();
}

/** An episode's handovers, oldest first, with the services' names. */
export async function handoversOf(db: Executor, episodeId: string) {
  return db
    .selectFrom('episode_handovers as h')
    .innerJoin('organisations as f', 'f.id', 'h.from_service_organisation_id')
    .innerJoin('organisations as t', 't.id', 'h.to_service_organisation_id')
    .select(['h.handed_over_on', 'f.name as from_name', 't.name as to_name'])
    .where('h.episode_id', '=', episodeId)
    .orderBy('h.created_at')
    .execute();
}
