import type { Selectable } from 'kysely';
import type { AffectedMedicinesTable, MedicineNameCheck } from '../../db/schema.ts';
import type { Executor } from '../../db/database.ts';
import type { AffectedMedicine } from './medicines.ts';
import { isUuid } from '../../platform/validation.ts';

// Queries for the medicines list (administrators'), a person's medicines on an episode, the alerts raised
// for them, and the letterhead of the service that writes to the prescriber. Callers have already checked the episode is in scope
// (findEpisode); every query below is also pinned to its episode so an id from another cannot leak in.

export type AffectedMedicineRow = Selectable<AffectedMedicinesTable>;

/** A row of the administrators' list as the pure rules in medicines.ts take it. */
export function toAffectedMedicine(r: AffectedMedicineRow): AffectedMedicine {
  return {
    code: r.code,
    name: r.name,
    alsoKnownAs: r.also_known_as,
    concern: r.concern,
    advice: r.advice,
    adviceOnRelapse: r.advice_on_relapse,
    source: r.source,
    sourceUrl: r.source_url,
    sourceCheckedOn: r.source_checked_on,
    reviewedOn: r.reviewed_on,
  };
}

/** The list as it runs: active entries from the database, never the default in the code. */
export async function activeAffectedMedicines(db: Executor): Promise<AffectedMedicine[]> {
  const rows = await db
    .selectFrom('affected_medicines')
    .selectAll()
    .where('active', '=', true)
    .orderBy('name')
    .execute();
  return rows.map(toAffectedMedicine);
}

export async function allAffectedMedicines(db: Executor) {
  return db
    .selectFrom('affected_medicines as m')
    .leftJoin('users as u', 'u.id', 'm.updated_by')
    .selectAll('m')
    .select('u.name as updated_by_name')
    .orderBy('m.active', 'desc')
    .orderBy('m.name')
    .execute();
}

export async function findAffectedMedicine(db: Executor, code: string) {
  if (code.length > 60) return undefined;
  return db.selectFrom('affected_medicines').selectAll().where('code', '=', code).executeTakeFirst();
}

export type AffectedMedicineValues = {
  name: string;
  alsoKnownAs: string[];
  concern: 'significant' | 'review';
  advice: string;
  adviceOnRelapse: string;
  source: string;
  sourceUrl: string | null;
  sourceCheckedOn: string | null;
  reviewedOn: string | null;
  active: boolean;
};

const columns = (v: AffectedMedicineValues, userId: string) => ({
  name: v.name,
  also_known_as: v.alsoKnownAs,
  concern: v.concern,
  advice: v.advice,
  advice_on_relapse: v.adviceOnRelapse,
  source: v.source,
  source_url: v.sourceUrl,
  source_checked_on: v.sourceCheckedOn,
  reviewed_on: v.reviewedOn,
  active: v.active,
  updated_at: new Date(),
  updated_by: userId,
});

/** Inserts unless the code is taken; returns whether it was inserted. */
export async function insertAffectedMedicine(
  db: Executor,
  code: string,
  v: AffectedMedicineValues,
  userId: string,
): Promise<boolean> {
  const r = await db
    .insertInto('affected_medicines')
    .values({ code, ...columns(v, userId) })
    .onConflict((oc) => oc.column('code').doNothing())
    .returning('code')
    .executeTakeFirst();
  return r !== undefined;
}

export async function updateAffectedMedicine(
  db: Executor,
  code: string,
  v: AffectedMedicineValues,
  userId: string,
): Promise<boolean> {
  const r = await db
    .updateTable('affected_medicines')
    .set(columns(v, userId))
    .where('code', '=', code)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

// A person's medicines -------------------------------------------------------------------------------

export async function listEpisodeMedicines(db: Executor, episodeId: string) {
  return db
    .selectFrom('episode_medicines as m')
    .leftJoin('users as u', 'u.id', 'm.recorded_by')
    .selectAll('m')
    .select('u.name as recorded_by_name')
    .where('m.episode_id', '=', episodeId)
    .orderBy('m.stopped_at', (ob) => ob.nullsFirst())
    .orderBy('m.created_at')
    .execute();
}

/** Medicines the person is taking now: recorded on the episode and not marked stopped. */
export async function currentEpisodeMedicines(db: Executor, episodeId: string) {
  return db
    .selectFrom('episode_medicines')
    .select(['id', 'name', 'medicine_code', 'prescriber_kind', 'prescriber_name', 'name_check'])
    .where('episode_id', '=', episodeId)
    .where('stopped_at', 'is', null)
    .orderBy('created_at')
    .execute();
}

export async function insertEpisodeMedicine(
  db: Executor,
  v: {
    episodeId: string;
    name: string;
    medicineCode: string | null;
    prescriberKind: 'gp' | 'psychiatrist' | 'other';
    prescriberName: string | null;
    userId: string;
    /** How the name was recognised, or that the adviser confirmed it (migration 0017). */
    nameCheck?: MedicineNameCheck | null;
  },
): Promise<string> {
  const r = await db
    .insertInto('episode_medicines')
    .values({
      episode_id: v.episodeId,
      name: v.name,
      medicine_code: v.medicineCode,
      prescriber_kind: v.prescriberKind,
      prescriber_name: v.prescriberName,
      recorded_by: v.userId,
      name_check: v.nameCheck ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/** Marks a medicine stopped; returns its name, or undefined when it is not this episode's or already stopped. */
export async function stopEpisodeMedicine(
  db: Executor,
  episodeId: string,
  medicineId: string,
): Promise<string | undefined> {
  if (!isUuid(medicineId)) return undefined;
  const r = await db
    .updateTable('episode_medicines')
    .set({ stopped_at: new Date() })
    .where('id', '=', medicineId)
    .where('episode_id', '=', episodeId)
    .where('stopped_at', 'is', null)
    .returning('name')
    .executeTakeFirst();
  return r?.name;
}

// Alerts -------------------------------------------------------------------------------------------

const alertQuery = (db: Executor) =>
  db
    .selectFrom('medicine_alerts as a')
    .leftJoin('episode_medicines as em', 'em.id', 'a.episode_medicine_id')
    .leftJoin('affected_medicines as am', 'am.code', 'a.medicine_code')
    .leftJoin('users as u', 'u.id', 'a.acknowledged_by')
    .selectAll('a')
    .select([
      'em.name as recorded_as',
      'em.prescriber_kind',
      'em.prescriber_name',
      'am.name as medicine_name',
      'u.name as acknowledged_by_name',
    ]);

export type AlertRow = Awaited<ReturnType<ReturnType<typeof alertQuery>['execute']>>[number];

export async function listAlerts(db: Executor, episodeId: string) {
  return alertQuery(db).where('a.episode_id', '=', episodeId).orderBy('a.raised_at', 'desc').execute();
}

export async function findAlert(db: Executor, episodeId: string, alertId: string) {
  if (!isUuid(alertId)) return undefined;
  return alertQuery(db).where('a.episode_id', '=', episodeId).where('a.id', '=', alertId).executeTakeFirst();
}

/** Records who acknowledged an open alert and when; false when it is not open on this episode. */
export async function acknowledgeAlert(
  db: Executor,
  episodeId: string,
  alertId: string,
  userId: string,
): Promise<boolean> {
  if (!isUuid(alertId)) return false;
  const r = await db
    .updateTable('medicine_alerts')
    .set({ acknowledged_at: new Date(), acknowledged_by: userId })
    .where('id', '=', alertId)
    .where('episode_id', '=', episodeId)
    .where('acknowledged_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** The first time a letter is produced is kept; opening it again does not move it. */
export async function markLetterProduced(db: Executor, alertId: string): Promise<void> {
  await db
    .updateTable('medicine_alerts')
    .set({ letter_produced_at: new Date() })
    .where('id', '=', alertId)
    .where('letter_produced_at', 'is', null)
    .execute();
}

// The service's letterhead -----------------------------------------------------------------------

/** The service's name, how to reach it, and its first site's address, for letters it sends. */
export async function serviceLetterhead(db: Executor, organisationId: string) {
  const [org, site] = await Promise.all([
    db
      .selectFrom('organisations')
      .select(['name', 'phone', 'email'])
      .where('id', '=', organisationId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('sites')
      .select(['name', 'address', 'postcode'])
      .where('organisation_id', '=', organisationId)
      .orderBy('created_at')
      .executeTakeFirst(),
  ]);
  return { ...org, address: site ? [site.address, site.postcode].filter(Boolean).join(', ') : null };
}
