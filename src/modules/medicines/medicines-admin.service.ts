import type { Database } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import type { StaffUser } from '../../platform/roles.ts';
import * as repo from './medicines.repository.ts';

// Keeping the list of medicines affected by stopping smoking: each change is saved with its audit row in
// one transaction, so the trail never misses an edit that alerts and letters then read.

export const allAffectedMedicines = (db: Database) => repo.allAffectedMedicines(db);
export const findAffectedMedicine = (db: Database, code: string) => repo.findAffectedMedicine(db, code);

/** Adds an entry unless its code is taken; returns whether it was added. */
export async function addToList(
  db: Database,
  user: StaffUser,
  code: string,
  values: repo.AffectedMedicineValues,
  requestId: string,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (!(await repo.insertAffectedMedicine(trx, code, values, user.id))) return false;
    await audit(
      trx,
      user,
      { action: 'create', entityType: 'affected_medicine', entityId: code, detail: `added ${values.name}` },
      requestId,
    );
    return true;
  });
}

/** Saves an edit to an entry; `changed` names the fields the edit changed, for the audit trail. */
export async function changeOnList(
  db: Database,
  user: StaffUser,
  code: string,
  values: repo.AffectedMedicineValues,
  changed: readonly string[],
  requestId: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await repo.updateAffectedMedicine(trx, code, values, user.id);
    await audit(
      trx,
      user,
      {
        action: 'update',
        entityType: 'affected_medicine',
        entityId: code,
        detail: `changed: ${changed.join(', ')}`,
      },
      requestId,
    );
  });
}
