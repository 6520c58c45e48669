import type { Database } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import type { StaffUser } from '../../platform/roles.ts';
import type { LocalDetails } from './toolkit-fill.ts';
import * as repo from './toolkit.repository.ts';
import type { DocumentText, DraftInput } from './toolkit.schemas.ts';

// The toolkit's changes, each in one transaction with its audit row. Nothing is overwritten but a
// draft: publishing freezes a version, and an area's edit is a new local version.

export type { DocumentRow, VersionRow, LocalVersionRow } from './toolkit.repository.ts';
export { findDocument, listDocuments, versionsOf } from './toolkit.repository.ts';

const entity = (documentId: string) => ({ entityType: 'toolkit_document', entityId: documentId });

/** Saves the national draft: the one open draft is changed, or a new one numbered after the last. */
export async function saveDraft(
  db: Database,
  user: StaffUser,
  documentId: string,
  d: DraftInput,
  rid: string,
) {
  await db.transaction().execute(async (trx) => {
    await repo.lockDocument(trx, documentId);
    const draft = (await repo.versionsOf(trx, documentId)).find((v) => !v.published_at);
    const fields = { title: d.title, body: d.body, changeNote: d.changeNote, userId: user.id };
    if (draft) await repo.updateDraft(trx, draft.id, fields);
    else {
      const number = (await repo.latestVersionNumber(trx, documentId)) + 1;
      await repo.insertVersion(trx, { documentId, number, ...fields });
    }
    await audit(trx, user, { action: 'update', ...entity(documentId), detail: 'national draft saved' }, rid);
  });
}

/** Publishes the draft; false when there is none (someone else published it first). */
export async function publishDraft(
  db: Database,
  user: StaffUser,
  documentId: string,
  now: Date,
  rid: string,
) {
  return db.transaction().execute(async (trx) => {
    await repo.lockDocument(trx, documentId);
    const draft = (await repo.versionsOf(trx, documentId)).find((v) => !v.published_at);
    if (!draft) return false;
    await repo.publishVersion(trx, draft.id, user.id, now);
    const detail = `national version ${draft.number} published`;
    await audit(trx, user, { action: 'update', ...entity(documentId), detail }, rid);
    return true;
  });
}

/** The area's copy of a document, with its versions newest first; undefined until it is adopted. */
export async function localCopy(db: Database, documentId: string, la: string) {
  const adoption = await repo.findAdoption(db, documentId, la);
  if (!adoption) return undefined;
  return { adoption, versions: await repo.localVersionsOf(db, adoption.id) };
}

/**
 * Adopts the newest published national version for the area: its first local version is that text.
 * Adopting twice changes nothing. With `from`, a later local version takes the newest national text
 * instead of the area's own (what "start again from the new national version" does); older ones stay.
 */
export async function adopt(
  db: Database,
  user: StaffUser,
  documentId: string,
  la: string,
  rid: string,
  restart = false,
) {
  await db.transaction().execute(async (trx) => {
    await repo.lockDocument(trx, documentId);
    const national = (await repo.versionsOf(trx, documentId)).find((v) => v.published_at);
    if (!national) return;
    let adoption = await repo.findAdoption(trx, documentId, la, true);
    if (adoption && !restart) return;
    adoption ??= {
      id: (await repo.insertAdoption(trx, documentId, la, user.id))!.id,
      document_id: documentId,
      local_authority_code: la,
    };
    const number = ((await repo.localVersionsOf(trx, adoption.id))[0]?.number ?? 0) + 1;
    const v = { title: national.title, body: national.body, basedOn: national.id, userId: user.id };
    await repo.insertLocalVersion(trx, { adoptionId: adoption.id, number, ...v });
    const detail = `${la} ${restart ? 'took' : 'adopted'} national version ${national.number}`;
    await audit(trx, user, { action: restart ? 'update' : 'create', ...entity(documentId), detail }, rid);
  });
}

/** The area's edit: a new local version, based on the same national version as the one it replaces. */
export async function editLocal(
  db: Database,
  user: StaffUser,
  documentId: string,
  la: string,
  d: DocumentText,
  rid: string,
) {
  return db.transaction().execute(async (trx) => {
    const adoption = await repo.findAdoption(trx, documentId, la, true);
    if (!adoption) return false;
    const latest = (await repo.localVersionsOf(trx, adoption.id))[0]!;
    const number = latest.number + 1;
    const v = { title: d.title, body: d.body, basedOn: latest.based_on_version_id, userId: user.id };
    await repo.insertLocalVersion(trx, { adoptionId: adoption.id, number, ...v });
    await audit(
      trx,
      user,
      { action: 'update', ...entity(documentId), detail: `${la} local version ${number}` },
      rid,
    );
    return true;
  });
}

/** What a download fills the placeholders with, for an area. */
export async function localDetails(db: Database, la: string, today: string): Promise<LocalDetails> {
  const r = await repo.areaDetails(db, la, today);
  return {
    'local authority': r?.authority ?? null,
    'service name': r?.service ?? null,
    'service phone': r?.phone ?? null,
    'service email': r?.email ?? null,
    'service website': r?.website ?? null,
  };
}
