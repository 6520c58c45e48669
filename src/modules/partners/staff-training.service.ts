import type { Database } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import type { StaffUser } from '../../platform/roles.ts';
import * as trainingRepo from './training.repository.ts';
import { defaultRenewalDate, type Course } from './training.ts';

// Training a member of staff completes inside Mortar (the Very Brief Advice module). A user belongs to
// an organisation; a partner stands for an organisation in one authority (partners.organisation_id). So
// the completion becomes a training record at every partner that stands for the user's organisation,
// where the commissioner's lists and the workforce counts (workforce.repository.ts) already read it, by
// the same renewal rule as any record. An organisation no authority has as a partner gets no record:
// it has no workforce to count, and the completion is still kept by the module.

type Executor = Pick<Database, 'selectFrom' | 'insertInto' | 'updateTable' | 'deleteFrom'>;

export type RecordedAt = { partnerId: string; partnerName: string };

/** Records `course` completed by `user` on `completedOn` at each partner for their organisation. */
export async function recordCompletedCourse(
  db: Executor,
  user: StaffUser,
  course: Course,
  completedOn: string,
  requestId: string,
): Promise<RecordedAt[]> {
  const renewalDueOn = defaultRenewalDate(course, completedOn);
  const partners = await trainingRepo.partnersOfOrganisation(db, user.organisationId);
  for (const p of partners) {
    const saved = await trainingRepo.upsertUserTraining(db, p.id, user, {
      course,
      completedOn,
      renewalDueOn,
    });
    if (!saved) continue;
    await audit(
      db,
      user,
      {
        action: saved.created ? 'create' : 'update',
        entityType: 'training_record',
        entityId: saved.id,
        detail: `partner ${p.id}; ${course} completed ${completedOn} in Mortar; renewal ${renewalDueOn} (default)`,
      },
      requestId,
    );
  }
  return partners.map((p) => ({ partnerId: p.id, partnerName: p.name }));
}
