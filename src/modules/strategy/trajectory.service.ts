import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import { mergeErrors, type FormErrors } from '../../platform/forms.ts';
import type { StaffUser } from '../../platform/roles.ts';
import { financialYearLabel } from '../../platform/quarters.ts';
import { numberOf } from './need.schemas.ts';
import * as repo from './trajectory.repository.ts';
import {
  FIRST_MILESTONE_YEAR,
  LAST_MILESTONE_YEAR,
  describeChange,
  milestoneChanges,
  validateMilestones,
  type Milestone,
  type MilestoneChange,
} from './trajectory.ts';

// Reading the trajectory form and saving it: the whole set of milestones is read, checked and saved in
// one transaction, each changed year recorded in the history and the save audited.

export const MILESTONE_YEARS = Array.from(
  { length: LAST_MILESTONE_YEAR - FIRST_MILESTONE_YEAR + 1 },
  (_, i) => FIRST_MILESTONE_YEAR + i,
);
export const fieldOf = (financialYear: number) => `milestone-${financialYear}`;

/** Every year's box: blank is no milestone for that year. */
export function parseMilestones(body: Record<string, unknown>): Milestone[] | FormErrors {
  let errors: FormErrors | undefined;
  const ms: Milestone[] = [];
  for (const fy of MILESTONE_YEARS) {
    const raw = body[fieldOf(fy)];
    if (typeof raw !== 'string' || raw.trim() === '') continue;
    const target = numberOf(raw);
    if (!Number.isInteger(target))
      errors = mergeErrors(
        errors,
        fieldOf(fy),
        `Enter the milestone for ${financialYearLabel(fy)} as a whole number, like 300000`,
      );
    else ms.push({ financialYear: fy, target });
  }
  for (const e of validateMilestones(ms)) errors = mergeErrors(errors, fieldOf(e.financialYear), e.message);
  return errors ?? ms;
}

/** Saves the milestones; the changes made (none when nothing differed). */
export async function saveMilestones(
  db: Database,
  user: StaffUser,
  next: readonly Milestone[],
  now: Date,
  requestId: string,
): Promise<MilestoneChange[]> {
  return db.transaction().execute(async (trx) => {
    // Two people saving at once: the second waits and diffs against what the first saved.
    await sql`lock table national_milestones in share row exclusive mode`.execute(trx);
    const changes = milestoneChanges(await repo.loadMilestones(trx), next);
    if (changes.length === 0) return changes;
    await repo.applyChanges(trx, changes, user.id, now);
    await audit(
      trx,
      user,
      {
        action: 'update',
        entityType: 'national_trajectory',
        entityId: null,
        detail: changes.map(describeChange).join('; ').slice(0, 1000),
      },
      requestId,
    );
    return changes;
  });
}

/** The milestones as saved, for other modules (the national dashboard). */
export const loadMilestones = (db: Database): Promise<Milestone[]> => repo.loadMilestones(db);
