import type { Database } from '../db/database.ts';
import { addDays } from '../platform/dates.ts';
import * as repo from '../modules/partners/partner.repository.ts';
import { insertTraining } from '../modules/partners/training.repository.ts';
import { defaultRenewalDate, type Course } from '../modules/partners/training.ts';

// Demonstration partners (issue 6). Leeds: its three referring organisations in Mortar, linked so their
// referrals count, and three that are not in Mortar (a housing association, an addiction service and a
// mental health trust), in every status and policy state, with contacts and a dozen training records
// (some due for renewal soon, some lapsed, one person recorded twice under two spellings). Manchester:
// a few. Dates are relative to today, so the demo always shows something due soon and something lapsed.
// Names of people and of organisations not in Mortar are made up.

const LEEDS = 'E08000035';
const MANCHESTER = 'E08000003';

type DemoPartner = {
  code: string;
  name: string;
  linkTo?: string;
  sector: string;
  kind: string;
  status: string;
  joinedDaysAgo: number | null;
  notes?: string;
  policy?: { status: string; adoptedDaysAgo?: number; reviewInDays?: number };
  contacts?: { name: string; role: string; email?: string; phone?: string; primary?: boolean }[];
  /** Staff name, course, completed this many days ago, and a renewal date this many days from today (or the default). */
  training?: [string, string | null, Course, number, number?][];
};

const PARTNERS: DemoPartner[] = [
  {
    code: LEEDS,
    name: 'Leeds NHS Talking Therapies',
    linkTo: 'Leeds NHS Talking Therapies',
    sector: 'nhs',
    kind: 'talking_therapies',
    status: 'active',
    joinedDaysAgo: 540,
    notes: 'Therapists ask about smoking at assessment and refer through Mortar.',
    policy: { status: 'adopted', adoptedDaysAgo: 400, reviewInDays: 330 },
    contacts: [
      {
        name: 'Dana Whitfield',
        role: 'Clinical lead',
        email: 'dana.whitfield@example.nhs.uk',
        phone: '0113 496 0101',
        primary: true,
      },
      { name: 'Omar Farouk', role: 'Service manager', email: 'omar.farouk@example.nhs.uk' },
    ],
    training: [
      ['Riya Patel', 'Psychological wellbeing practitioner', 'vba', 300],
      ['Dana Whitfield', 'Clinical lead', 'vba', 680], // due in about 50 days
      ['Dana Whitfield', 'Clinical lead', 'ncsct_practitioner', 500],
      ['dana  whitfield', 'Clinical lead', 'ncsct_mental_health', 200], // the same person, typed another way
      ['Tom Ellis', 'High intensity therapist', 'vba', 800], // lapsed
    ],
  },
  {
    code: LEEDS,
    name: 'Hyde Park Surgery',
    linkTo: 'Hyde Park Surgery',
    sector: 'nhs',
    kind: 'gp_practice',
    status: 'active',
    joinedDaysAgo: 300,
    policy: { status: 'drafted', reviewInDays: 60 },
    contacts: [
      {
        name: 'Gareth Price',
        role: 'Practice manager',
        email: 'gareth.price@example.nhs.uk',
        phone: '0113 496 0202',
        primary: true,
      },
    ],
    training: [
      ['Gareth Price', 'Practice manager', 'vba', 100],
      ['Helen Marsh', 'Practice nurse', 'vba', 650, 20], // due in 20 days
      ['Helen Marsh', 'Practice nurse', 'ncsct_practitioner', 1200], // lapsed
    ],
  },
  {
    code: LEEDS,
    name: 'Leeds North Foodbank',
    linkTo: 'Leeds North Foodbank',
    sector: 'voluntary',
    kind: 'foodbank',
    status: 'active',
    joinedDaysAgo: 200,
    policy: { status: 'adopted', adoptedDaysAgo: 420, reviewInDays: -30 }, // review overdue
    contacts: [
      { name: 'Fran Okafor', role: 'Volunteer coordinator', email: 'fran@example.org', primary: true },
    ],
    training: [
      ['Fran Okafor', 'Volunteer coordinator', 'vba', 150],
      ['Joe Bailey', 'Volunteer', 'vba', 20],
    ],
  },
  {
    code: LEEDS,
    name: 'Aire Valley Housing Association',
    sector: 'voluntary',
    kind: 'housing',
    status: 'active',
    joinedDaysAgo: 90,
    policy: { status: 'none' },
    contacts: [
      { name: 'Priya Nair', role: 'Tenancy support manager', phone: '0113 496 0303', primary: true },
    ],
    training: [['Sean Walsh', 'Tenancy support officer', 'vba', 45]],
  },
  {
    code: LEEDS,
    name: 'Leeds Community Recovery Service',
    sector: 'community',
    kind: 'addiction_support',
    status: 'prospective',
    joinedDaysAgo: null,
    notes: 'First meeting held; they would like Very Brief Advice training for their keyworkers.',
    contacts: [
      { name: 'Kim Adeyemi', role: 'Operations lead', email: 'kim.adeyemi@example.org', primary: true },
    ],
  },
  {
    code: LEEDS,
    name: 'Leeds Mental Health NHS Trust',
    sector: 'nhs',
    kind: 'mental_health_trust',
    status: 'paused',
    joinedDaysAgo: 700,
    notes: 'Paused while the trust moves to a new patient record system.',
    policy: { status: 'adopted', adoptedDaysAgo: 690, reviewInDays: 40 },
    training: [['Ruth Cole', 'Ward manager', 'ncsct_practitioner', 400]],
  },
  {
    code: MANCHESTER,
    name: 'Manchester NHS Talking Therapies',
    linkTo: 'Manchester NHS Talking Therapies',
    sector: 'nhs',
    kind: 'talking_therapies',
    status: 'active',
    joinedDaysAgo: 365,
    policy: { status: 'adopted', adoptedDaysAgo: 300, reviewInDays: 400 },
    contacts: [
      { name: 'Leon Grant', role: 'Service lead', email: 'leon.grant@example.nhs.uk', primary: true },
    ],
    training: [
      ['Maya Reid', 'Psychological wellbeing practitioner', 'vba', 120],
      ['Leon Grant', 'Service lead', 'ncsct_mental_health', 250],
    ],
  },
  {
    code: MANCHESTER,
    name: 'Manchester Central Foodbank',
    sector: 'voluntary',
    kind: 'foodbank',
    status: 'prospective',
    joinedDaysAgo: null,
    policy: { status: 'drafted' },
  },
];

export async function loadDemoPartners(db: Database, today: string): Promise<void> {
  const commissioner = await db
    .selectFrom('users')
    .select('id')
    .where('email', '=', 'commissioner@demo.test')
    .executeTakeFirst();
  const ago = (n: number) => addDays(today, -n);
  for (const p of PARTNERS) {
    const by = p.code === LEEDS ? (commissioner?.id ?? null) : null;
    const org = p.linkTo
      ? await db
          .selectFrom('organisations')
          .select('id')
          .where('name', '=', p.linkTo)
          .where('local_authority_code', '=', p.code)
          .executeTakeFirst()
      : undefined;
    const id = await repo.insertPartner(
      db,
      p.code,
      {
        name: p.name,
        organisationId: org?.id ?? null,
        sector: p.sector,
        kind: p.kind,
        status: p.status,
        joinedOn: p.joinedDaysAgo === null ? null : ago(p.joinedDaysAgo),
        notes: p.notes ?? null,
      },
      by,
    );
    if (p.policy) {
      const { status, adoptedDaysAgo, reviewInDays } = p.policy;
      await repo.savePolicy(
        db,
        id,
        {
          status,
          adoptedOn: adoptedDaysAgo === undefined ? null : ago(adoptedDaysAgo),
          reviewOn: reviewInDays === undefined ? null : addDays(today, reviewInDays),
          notes: null,
        },
        by,
      );
    }
    for (const c of p.contacts ?? []) {
      await repo.insertContact(db, id, {
        name: c.name,
        role: c.role,
        email: c.email ?? null,
        phone: c.phone ?? null,
        isPrimary: c.primary ?? false,
      });
    }
    for (const [staffName, staffRole, course, completedDaysAgo, renewalInDays] of p.training ?? []) {
      const completedOn = ago(completedDaysAgo);
      const renewalDueOn =
        renewalInDays === undefined ? defaultRenewalDate(course, completedOn) : addDays(today, renewalInDays);
      await insertTraining(db, id, { staffName, staffRole, course, completedOn, renewalDueOn }, by);
    }
  }
}
