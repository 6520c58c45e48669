import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { isUuid } from '../../platform/validation.ts';
import { commissionInForceSql } from '../organisations/commission.sql.ts';

// SQL only. National documents are read by everyone signed in; an area's adopted copy is read and
// written only for the local authority the caller's scope names (the service passes it in).

export type DocumentRow = { id: string; slug: string; kind: string };
export type VersionRow = {
  id: string;
  document_id: string;
  number: number;
  title: string;
  body: string;
  change_note: string | null;
  created_at: Date;
  published_at: Date | null;
  author: string | null;
  publisher: string | null;
};
export type AdoptionRow = { id: string; document_id: string; local_authority_code: string };
export type LocalVersionRow = {
  id: string;
  number: number;
  title: string;
  body: string;
  based_on_version_id: string;
  based_on_number: number;
  created_at: Date;
  author: string | null;
};

export async function findDocument(db: Executor, id: string): Promise<DocumentRow | undefined> {
  if (!isUuid(id)) return undefined;
  return db
    .selectFrom('toolkit_documents')
    .select(['id', 'slug', 'kind'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Every document with its newest published version, and the area's newest local version if given. */
export async function listDocuments(db: Executor, la: string | null) {
  const { rows } = await sql<{
    id: string;
    kind: string;
    title: string;
    number: number;
    published_at: Date;
    has_draft: boolean;
    local_number: number | null;
    local_based_on: number | null;
  }>`
    select d.id, d.kind, v.title, v.number, v.published_at,
      exists (select 1 from toolkit_versions x where x.document_id = d.id and x.published_at is null) as has_draft,
      lv.number as local_number, lb.number as local_based_on
    from toolkit_documents d
    join lateral (select * from toolkit_versions v where v.document_id = d.id and v.published_at is not null
                  order by v.number desc limit 1) v on true
    left join toolkit_adoptions a on a.document_id = d.id and a.local_authority_code = ${la}
    left join lateral (select * from toolkit_local_versions l where l.adoption_id = a.id
                       order by l.number desc limit 1) lv on true
    left join toolkit_versions lb on lb.id = lv.based_on_version_id
    order by d.kind, v.title`.execute(db);
  return rows;
}

const VERSION_SELECT = sql`
  select v.id, v.document_id, v.number, v.title, v.body, v.change_note, v.created_at, v.published_at,
    cu.name as author, pu.name as publisher
  from toolkit_versions v
  left join users cu on cu.id = v.created_by
  left join users pu on pu.id = v.published_by`;

/** Every version of a document, newest first; the draft, if any, among them. */
export async function versionsOf(db: Executor, documentId: string): Promise<VersionRow[]> {
  const { rows } = await sql<VersionRow>`${VERSION_SELECT}
    where v.document_id = ${documentId} order by v.number desc`.execute(db);
  return rows;
}

export async function latestVersionNumber(db: Executor, documentId: string): Promise<number> {
  const r = await db
    .selectFrom('toolkit_versions')
    .select((eb) => eb.fn.max('number').as('n'))
    .where('document_id', '=', documentId)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** Locks the document, so two people saving or publishing at once are taken one after the other. */
export async function lockDocument(db: Executor, documentId: string): Promise<void> {
  await sql`select id from toolkit_documents where id = ${documentId} for update`.execute(db);
}

export async function insertVersion(
  db: Executor,
  v: {
    documentId: string;
    number: number;
    title: string;
    body: string;
    changeNote: string | null;
    userId: string;
  },
): Promise<void> {
  await db
    .insertInto('toolkit_versions')
    .values({
      document_id: v.documentId,
      number: v.number,
      title: v.title,
      body: v.body,
      change_note: v.changeNote,
      created_by: v.userId,
    })
    .execute();
}

export async function updateDraft(
  db: Executor,
  id: string,
  v: { title: string; body: string; changeNote: string | null; userId: string },
): Promise<void> {
  await db
    .updateTable('toolkit_versions')
    .set({ title: v.title, body: v.body, change_note: v.changeNote, created_by: v.userId })
    .where('id', '=', id)
    .where('published_at', 'is', null)
    .execute();
}

export async function publishVersion(db: Executor, id: string, userId: string, at: Date): Promise<void> {
  await db
    .updateTable('toolkit_versions')
    .set({ published_at: at, published_by: userId })
    .where('id', '=', id)
    .where('published_at', 'is', null)
    .execute();
}

export async function findAdoption(
  db: Executor,
  documentId: string,
  la: string,
  lock = false,
): Promise<AdoptionRow | undefined> {
  const q = db
    .selectFrom('toolkit_adoptions')
    .select(['id', 'document_id', 'local_authority_code'])
    .where('document_id', '=', documentId)
    .where('local_authority_code', '=', la);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}

export async function insertAdoption(db: Executor, documentId: string, la: string, userId: string) {
  return db
    .insertInto('toolkit_adoptions')
    .values({ document_id: documentId, local_authority_code: la, adopted_by: userId })
    .onConflict((oc) => oc.columns(['document_id', 'local_authority_code']).doNothing())
    .returning('id')
    .executeTakeFirst();
}

/** The area's own versions of an adopted document, newest first. */
export async function localVersionsOf(db: Executor, adoptionId: string): Promise<LocalVersionRow[]> {
  const { rows } = await sql<LocalVersionRow>`
    select l.id, l.number, l.title, l.body, l.based_on_version_id, b.number as based_on_number,
      l.created_at, u.name as author
    from toolkit_local_versions l
    join toolkit_versions b on b.id = l.based_on_version_id
    left join users u on u.id = l.created_by
    where l.adoption_id = ${adoptionId} order by l.number desc`.execute(db);
  return rows;
}

export async function insertLocalVersion(
  db: Executor,
  v: { adoptionId: string; number: number; basedOn: string; title: string; body: string; userId: string },
): Promise<void> {
  await db
    .insertInto('toolkit_local_versions')
    .values({
      adoption_id: v.adoptionId,
      number: v.number,
      based_on_version_id: v.basedOn,
      title: v.title,
      body: v.body,
      created_by: v.userId,
    })
    .execute();
}

/** The authority's name and the stop smoking service it commissions on `day`, with its contacts. */
export async function areaDetails(db: Executor, la: string, day: string) {
  const { rows } = await sql<{
    authority: string;
    service: string | null;
    phone: string | null;
    email: string | null;
    website: string | null;
  }>`
    select la.name as authority, o.name as service, coalesce(ds.phone, o.phone) as phone,
      coalesce(ds.email, o.email) as email, ds.website
    from local_authorities la
    left join lateral (
      select c.service_organisation_id from commissions c
      where c.local_authority_code = la.code and ${commissionInForceSql(day)}
      order by c.starts_on desc limit 1) c on true
    left join organisations o on o.id = c.service_organisation_id
    left join directory_services ds on ds.organisation_id = o.id
    where la.code = ${la}`.execute(db);
  return rows[0];
}
