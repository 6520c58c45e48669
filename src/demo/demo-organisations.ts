import type { Database } from '../db/database.ts';
import type { Role } from '../db/schema.ts';
import type { StaffUser } from '../platform/roles.ts';

export const LEEDS = 'E08000035';
export const MANCHESTER = 'E08000003';

export type Orgs = {
  leedsService: string;
  manchesterService: string;
  leedsTalkingTherapies: string;
  leedsGp: string;
  leedsFoodbank: string;
  manchesterTalkingTherapies: string;
  leedsCouncil: string;
  nationalBody: string;
};

export const DEMO_ACCOUNTS: { email: string; name: string; role: Role; org: keyof Orgs }[] = [
  { email: 'referrer@demo.test', name: 'Riya Patel', role: 'referrer', org: 'leedsTalkingTherapies' },
  { email: 'adviser@demo.test', name: 'Adam Clarke', role: 'adviser', org: 'leedsService' },
  { email: 'manager@demo.test', name: 'Mina Hussain', role: 'service_manager', org: 'leedsService' },
  { email: 'commissioner@demo.test', name: 'Chris Owen', role: 'commissioner', org: 'leedsCouncil' },
  { email: 'analyst@demo.test', name: 'Ana Silva', role: 'national_analyst', org: 'nationalBody' },
  { email: 'admin@demo.test', name: 'Alex Morgan', role: 'administrator', org: 'leedsCouncil' },
  {
    email: 'national.admin@demo.test',
    name: 'Nia Roberts',
    role: 'national_administrator',
    org: 'nationalBody',
  },
  { email: 'adviser.manchester@demo.test', name: 'Megan Doyle', role: 'adviser', org: 'manchesterService' },
  { email: 'referrer.gp@demo.test', name: 'Gareth Price', role: 'referrer', org: 'leedsGp' },
  { email: 'referrer.foodbank@demo.test', name: 'Fran Okafor', role: 'referrer', org: 'leedsFoodbank' },
];

/** The demo's organisations: a service, referrers and a council in Leeds, a service in Manchester. */
export async function insertDemoOrganisations(db: Database): Promise<Orgs> {
  const org = async (name: string, type: string, la: string | null) =>
    (
      await db
        .insertInto('organisations')
        .values({ name, type, local_authority_code: la, ods_code: null, email: null, phone: null })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  return {
    leedsService: await org('Leeds Stop Smoking Service', 'stop_smoking_service', LEEDS),
    manchesterService: await org('Manchester Stop Smoking Service', 'stop_smoking_service', MANCHESTER),
    leedsTalkingTherapies: await org('Leeds NHS Talking Therapies', 'talking_therapies', LEEDS),
    leedsGp: await org('Hyde Park Surgery', 'gp_practice', LEEDS),
    leedsFoodbank: await org('Leeds North Foodbank', 'foodbank', LEEDS),
    manchesterTalkingTherapies: await org(
      'Manchester NHS Talking Therapies',
      'talking_therapies',
      MANCHESTER,
    ),
    leedsCouncil: await org('Leeds City Council Public Health', 'local_authority', LEEDS),
    nationalBody: await org('National Stop Smoking Data Team', 'national_body', null),
  };
}

/** Each service's clinic, and the commission that makes it the authority's service. */
export async function insertDemoSitesAndCommissions(db: Database, orgs: Orgs): Promise<void> {
  await db
    .insertInto('sites')
    .values([
      {
        organisation_id: orgs.leedsService,
        name: 'Leeds city centre clinic',
        address: 'Merrion Centre, Leeds',
        postcode: 'LS2 8NG',
      },
      {
        organisation_id: orgs.manchesterService,
        name: 'Manchester central clinic',
        address: 'Piccadilly, Manchester',
        postcode: 'M1 1AE',
      },
    ])
    .execute();
  await db
    .insertInto('commissions')
    .values([
      { local_authority_code: LEEDS, service_organisation_id: orgs.leedsService, starts_on: '2025-04-01' },
      {
        local_authority_code: MANCHESTER,
        service_organisation_id: orgs.manchesterService,
        starts_on: '2025-04-01',
      },
    ])
    .execute();
}

/** One account per entry of DEMO_ACCOUNTS, all with the same password hash; keyed by email. */
export async function insertDemoUsers(
  db: Database,
  orgs: Orgs,
  passwordHash: string,
): Promise<Record<string, StaffUser>> {
  const users: Record<string, StaffUser> = {};
  for (const a of DEMO_ACCOUNTS) {
    const row = await db
      .insertInto('users')
      .values({
        email: a.email,
        name: a.name,
        role: a.role,
        organisation_id: orgs[a.org],
        password_hash: passwordHash,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const o = await db
      .selectFrom('organisations')
      .selectAll()
      .where('id', '=', orgs[a.org])
      .executeTakeFirstOrThrow();
    users[a.email] = {
      kind: 'user',
      id: row.id,
      email: a.email,
      name: a.name,
      role: a.role,
      organisationId: o.id,
      organisationName: o.name,
      organisationType: o.type,
      localAuthorityCode: o.local_authority_code,
    };
  }
  return users;
}
