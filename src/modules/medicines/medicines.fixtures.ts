// Records for the medicines tests, written straight to the database: these tests are about medicines,
// not about how people and episodes are started.
import type { Database } from '../../db/database.ts';

export async function serviceId(db: Database, name = 'Leeds Stop Smoking Service'): Promise<string> {
  return (
    await db.selectFrom('organisations').select('id').where('name', '=', name).executeTakeFirstOrThrow()
  ).id;
}

export async function userId(db: Database, email: string): Promise<string> {
  return (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
}

/** A person with one episode at the service, with or without a quit date. */
export async function newEpisode(
  db: Database,
  opts: { givenName: string; quitDate?: string | null; service?: string; nhsNumber?: string | null },
): Promise<{ episodeId: string; personId: string }> {
  const organisationId = await serviceId(db, opts.service);
  const person = await db
    .insertInto('people')
    .values({
      service_organisation_id: organisationId,
      local_authority_code: null,
      given_name: opts.givenName,
      family_name: 'Medicines',
      date_of_birth: '1980-02-03',
      postcode: 'LS1 4AP',
      phone: '07700 900111',
      email: null,
      nhs_number: opts.nhsNumber ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const episode = await db
    .insertInto('episodes')
    .values({
      person_id: person.id,
      service_organisation_id: organisationId,
      local_authority_code: null,
      referral_id: null,
      adviser_user_id: null,
      quit_date: opts.quitDate ?? null,
      mental_health: 'depression',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { episodeId: episode.id, personId: person.id };
}

export async function addMedicine(
  db: Database,
  episodeId: string,
  name: string,
  opts: {
    code?: string | null;
    prescriberKind?: 'gp' | 'psychiatrist' | 'other';
    prescriberName?: string | null;
    stopped?: boolean;
  } = {},
): Promise<string> {
  const r = await db
    .insertInto('episode_medicines')
    .values({
      episode_id: episodeId,
      name,
      medicine_code: opts.code ?? null,
      prescriber_kind: opts.prescriberKind ?? 'gp',
      prescriber_name: opts.prescriberName ?? null,
      stopped_at: opts.stopped ? new Date() : null,
      recorded_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function alertsOf(db: Database, episodeId: string) {
  return db
    .selectFrom('medicine_alerts')
    .selectAll()
    .where('episode_id', '=', episodeId)
    .orderBy('raised_at')
    .orderBy('id')
    .execute();
}

export async function medicinesOf(db: Database, episodeId: string) {
  return db
    .selectFrom('episode_medicines')
    .selectAll()
    .where('episode_id', '=', episodeId)
    .orderBy('created_at')
    .execute();
}

/**
 * The names issue 10 found raised no alert, with the list entry each is and how the adviser is told it
 * was recognised.
 */
export const ISSUE_10_NAMES: readonly (readonly [name: string, code: string, recognisedAs: string])[] = [
  ['Clozapin 100mg', 'clozapine', 'clozapine (a close spelling of “clozapin”)'],
  ['clozepine', 'clozapine', 'clozapine (a close spelling of “clozepine”)'],
  ['olanzepine 5mg', 'olanzapine', 'olanzapine (a close spelling of “olanzepine”)'],
  ['theophyline', 'theophylline', 'theophylline (a close spelling of “theophyline”)'],
  ['amitryptiline', 'amitriptyline', 'amitriptyline (a close spelling of “amitryptiline”)'],
  ['haloperidal', 'haloperidol', 'haloperidol (a close spelling of “haloperidal”)'],
  ['olanzapineODT', 'olanzapine', 'olanzapine'],
  ['ZypAdhera', 'olanzapine', 'olanzapine (brand ZypAdhera)'],
  ['Arkolamyl', 'olanzapine', 'olanzapine (brand Arkolamyl)'],
  ['Nuelin', 'theophylline', 'theophylline (brand Nuelin)'],
  ['Serenace', 'haloperidol', 'haloperidol (brand Serenace)'],
  ['Dozic', 'haloperidol', 'haloperidol (brand Dozic)'],
  ['Triptafen', 'amitriptyline', 'amitriptyline (brand Triptafen)'],
  ['Tofranil', 'imipramine', 'imipramine (brand Tofranil)'],
];
