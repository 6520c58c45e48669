import type { Database } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import { notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/validation.ts';
import type { TrainingInput } from './partner.schemas.ts';
import type { Own } from './partner.service.ts';
import * as trainingRepo from './training.repository.ts';
import { defaultRenewalDate } from './training.ts';
import { loadWorkforceCounts, NO_WORKFORCE, type WorkforceCounts } from './workforce.repository.ts';

// The trained workforce as the dashboards count it.
export { loadWorkforceCounts, type WorkforceCounts };

/** The workforce of one authority on `today`, or England's total when no authority is given. */
export async function workforceSummary(
  db: Database,
  authority: string | undefined,
  today: string,
): Promise<WorkforceCounts> {
  const counts = await loadWorkforceCounts(db, authority ? [authority] : 'all', today);
  if (authority) return counts.get(authority) ?? NO_WORKFORCE;
  const out = { ...NO_WORKFORCE };
  for (const c of counts.values())
    for (const k of Object.keys(out) as (keyof WorkforceCounts)[]) out[k] += c[k];
  return out;
}

// Training records of a partner's staff: every change in one transaction with its audit row. Audit
// details give the course and dates, never the member of staff's name.

export async function getTraining(db: Database, partnerId: string, id: string) {
  const t = isUuid(id) ? await trainingRepo.findTraining(db, partnerId, id) : undefined;
  if (!t) throw notFound('Training record not found');
  return t;
}

/** The values stored: a blank renewal date becomes the course's default (training.ts). */
export function trainingValues(t: TrainingInput): trainingRepo.TrainingValues & { defaulted: boolean } {
  const completedOn = t.completedOn!;
  return {
    staffName: t.staffName,
    staffRole: t.staffRole ?? null,
    course: t.course,
    completedOn,
    renewalDueOn: t.renewalDueOn ?? defaultRenewalDate(t.course, completedOn),
    defaulted: t.renewalDueOn === undefined,
  };
}

const trainingDetail = (partnerId: string, v: trainingRepo.TrainingValues & { defaulted: boolean }) =>
  `partner ${partnerId}; ${v.course} completed ${v.completedOn}; renewal ${v.renewalDueOn}${v.defaulted ? ' (default)' : ''}`;

export async function addTraining(db: Database, own: Own, partnerId: string, input: TrainingInput) {
  const values = trainingValues(input);
  await db.transaction().execute(async (trx) => {
    const id = await trainingRepo.insertTraining(trx, partnerId, values, own.user.id);
    await audit(
      trx,
      own.user,
      {
        action: 'create',
        entityType: 'training_record',
        entityId: id,
        detail: trainingDetail(partnerId, values),
      },
      own.requestId,
    );
  });
  return values;
}

export async function changeTraining(
  db: Database,
  own: Own,
  partnerId: string,
  id: string,
  input: TrainingInput,
) {
  const values = trainingValues(input);
  await db.transaction().execute(async (trx) => {
    await trainingRepo.updateTraining(trx, partnerId, id, values, own.user.id);
    await audit(
      trx,
      own.user,
      {
        action: 'update',
        entityType: 'training_record',
        entityId: id,
        detail: trainingDetail(partnerId, values),
      },
      own.requestId,
    );
  });
  return values;
}

export async function removeTraining(
  db: Database,
  own: Own,
  partnerId: string,
  id: string,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (!(await trainingRepo.deleteTraining(trx, partnerId, id))) return false;
    await audit(
      trx,
      own.user,
      {
        action: 'update',
        entityType: 'training_record',
        entityId: id,
        detail: `removed from partner ${partnerId}`,
      },
      own.requestId,
    );
    return true;
  });
}
