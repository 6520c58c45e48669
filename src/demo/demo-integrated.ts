// Stop smoking support delivered inside NHS Talking Therapies (issue 12): a practitioner and a service
// manager in Leeds NHS Talking Therapies, and one quit attempt the practitioner runs alongside therapy.
// It counts in the Talking Therapies service's integrated-delivery return, not Leeds's.
import type { Database } from '../db/database.ts';
import type { Clock } from '../platform/clock.ts';
import { addDays } from '../platform/dates.ts';
import { hashPassword } from '../platform/passwords.ts';
import type { Role, StaffUser } from '../platform/roles.ts';
import { startEpisodeForNewPerson } from '../modules/episodes/episode.service.ts';
import { saveAssessment } from '../modules/treatment/assessment.service.ts';
import { savePlan } from '../modules/treatment/plan.service.ts';

export const DEMO_INTEGRATED_ACCOUNTS: readonly { email: string; name: string; role: Role }[] = [
  { email: 'practitioner.tt@demo.test', name: 'Priya Shah', role: 'adviser' },
  { email: 'manager.tt@demo.test', name: 'Tom Ellis', role: 'service_manager' },
];

/**
 * The practitioner and manager of the demonstration's "Leeds NHS Talking Therapies" (loadDemoData makes
 * it), with this password. Tests that follow a quit attempt inside therapy make them too.
 */
export async function createIntegratedAccounts(db: Database, password: string): Promise<StaffUser[]> {
  const org = await db
    .selectFrom('organisations')
    .selectAll()
    .where('name', '=', 'Leeds NHS Talking Therapies')
    .executeTakeFirstOrThrow();
  const hash = await hashPassword(password);
  const users: StaffUser[] = [];
  for (const a of DEMO_INTEGRATED_ACCOUNTS) {
    const row = await db
      .insertInto('users')
      .values({ email: a.email, name: a.name, role: a.role, organisation_id: org.id, password_hash: hash })
      .returning('id')
      .executeTakeFirstOrThrow();
    users.push({
      kind: 'user',
      id: row.id,
      email: a.email,
      name: a.name,
      role: a.role,
      organisationId: org.id,
      organisationName: org.name,
      organisationType: org.type,
      localAuthorityCode: org.local_authority_code,
    });
  }
  return users;
}

/** Needs the demonstration's "Leeds NHS Talking Therapies" (loadDemoData makes it). */
export async function loadDemoIntegrated(db: Database, password: string, clock: Clock): Promise<void> {
  const today = clock.today();
  const users = await createIntegratedAccounts(db, password);
  const org = { local_authority_code: users[0]!.localAuthorityCode };
  const practitioner = users[0]!;
  const { episodeId } = await startEpisodeForNewPerson(
    db,
    practitioner,
    {
      givenName: 'Morgan',
      familyName: 'Reed',
      dateOfBirth: '1988-09-14',
      postcode: 'LS6 2AB',
      phone: '07700 900461',
      email: undefined,
      nhsNumber: undefined,
      mentalHealth: 'anxiety',
      inTalkingTherapies: 'yes',
    },
    { localAuthorityCode: org.local_authority_code, startedOn: today },
  );
  await saveAssessment(db, practitioner, episodeId, {
    assessedOn: addDays(today, -3),
    cigarettesPerDay: 15,
    timeToFirstCigarette: '6_to_30',
    heavinessIndex: 3,
    pastQuitAttempts: 1,
    whatHelped: null,
    coPpm: 18,
    vapingStatus: 'never',
    mentalHealth: 'anxiety',
    mentalHealthBasis: 'diagnosed',
    inTalkingTherapies: 'yes',
    beliefs: null,
    goals: 'Stop before the end of my course of therapy',
    preferences: 'Sessions straight after therapy',
  });
  await savePlan(
    db,
    practitioner,
    episodeId,
    { quitDate: today, interventionType: '08', setting: 'psychiatric', aid: null },
    { today, now: clock.now() },
  );
}
