import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { staffOf } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import { toCsv } from '../../platform/csv.ts';
import { partnerScope } from '../../platform/scope.ts';
import { READ } from './partner.routes.ts';
import { areaChoice, authorityAsked } from './partner.service.ts';
import { authorityItems, byRenewal, renewalHint, trainingView } from './partner.view.ts';
import * as trainingRepo from './training.repository.ts';
import { workforceSummary, type WorkforceCounts } from './training.service.ts';
import { COURSE_CODES, COURSES, DUE_SOON_DAYS, isCourse, type Course } from './training.ts';

// The trained staff of an authority's partners at /training, soonest renewal first, and the same list as
// CSV. The commissioner sees their authority's; a national analyst reads every authority's. Staff names
// are people's details: lists and exports are audited.

type Deps = { db: Database };
const V = (name: string) => `partners/views/${name}.njk`;
/** A national list can be long; beyond this the page says so and the CSV has everything. */
const ROWS_SHOWN = 2000;

const COURSE_COUNT_KEY: Record<Course, 'vbaTrainedStaff' | 'ncsctTrainedStaff' | 'mentalHealthModuleStaff'> =
  {
    vba: 'vbaTrainedStaff',
    ncsct_practitioner: 'ncsctTrainedStaff',
    ncsct_mental_health: 'mentalHealthModuleStaff',
  };

/** The records the query string asks for (an authority, a course), soonest renewal first. */
async function workforce(db: Database, clock: Clock, request: FastifyRequest) {
  const scope = partnerScope(staffOf(request));
  const q = (request.query ?? {}) as Record<string, unknown>;
  const authority = await authorityAsked(db, scope, q.authority);
  const course = isCourse(q.course) ? q.course : undefined;
  const today = clock.today();
  const rows = byRenewal(
    (await trainingRepo.listTrainingInScope(db, scope, { authority, course })).map((t) =>
      trainingView(t, today),
    ),
  );
  return { scope, authority, course, today, rows };
}

type Workforce = Awaited<ReturnType<typeof workforce>>;

/** Each course's current staff (as the dashboards count them) and its records due soon and lapsed. */
const byCourseOf = ({ course, rows }: Workforce, summary: WorkforceCounts) =>
  COURSE_CODES.filter((c) => !course || c === course).map((c) => {
    const mine = rows.filter((r) => r.course === c);
    return {
      course: c,
      text: COURSES[c],
      currentStaff: summary[COURSE_COUNT_KEY[c]],
      dueSoon: mine.filter((r) => r.state === 'due_soon').length,
      lapsed: mine.filter((r) => r.state === 'lapsed').length,
      records: mine.length,
    };
  });

const whichText = ({ authority, course }: Workforce, inOrFor: string) =>
  `${authority ? ` ${inOrFor} ${authority}` : ''}${course ? `, ${course}` : ''}`;

const CSV_HEADER = [
  'Local authority code',
  'Local authority',
  'Partner',
  'Partner status',
  'Member of staff',
  'Job title',
  'Course',
  'Completed on',
  'Renewal due on',
  'State',
];

const csvRow = (r: Workforce['rows'][number]) => [
  r.local_authority_code,
  r.authority_name,
  r.partner_name,
  r.partner_status,
  r.staff_name,
  r.staff_role,
  r.courseText,
  r.completed_on,
  r.renewalOn,
  r.stateText,
];

export function registerWorkforceRoutes(app: FastifyInstance, { db }: Deps) {
  app.get('/training', { config: { access: READ } }, async (request, reply) => {
    const w = await workforce(db, app.clock, request);
    const { scope, authority, course, rows } = w;
    const summary = await workforceSummary(db, authority, w.today);
    const detail = `${rows.length} records${whichText(w, 'in')}`;
    await audit(db, staffOf(request), { action: 'list', entityType: 'training_record', detail }, request.id);
    const { areaName, authorities } = await areaChoice(db, scope, authority);
    const query = new URLSearchParams([
      ...(authority && scope.kind === 'all' ? [['authority', authority]] : []),
      ...(course ? [['course', course]] : []),
    ]).toString();
    return reply.page(V('training'), {
      title: `Trained staff in ${areaName}`,
      national: scope.kind === 'all',
      authority,
      rows: rows.slice(0, ROWS_SHOWN),
      truncated: rows.length > ROWS_SHOWN,
      total: rows.length,
      byCourse: byCourseOf(w, summary),
      dueSoonDays: DUE_SOON_DAYS,
      renewalHint,
      csvHref: `/training.csv${query ? `?${query}` : ''}`,
      courseItems: [
        { value: '', text: 'Every course', selected: !course },
        ...COURSE_CODES.map((c) => ({ value: c, text: COURSES[c], selected: c === course })),
      ],
      authorityItems: authorityItems(authorities, authority),
    });
  });

  app.get('/training.csv', { config: { access: READ } }, async (request, reply) => {
    const w = await workforce(db, app.clock, request);
    const data = w.rows.map(csvRow);
    const detail = `${data.length} records as CSV${whichText(w, 'for')}`;
    await audit(
      db,
      staffOf(request),
      { action: 'export', entityType: 'training_record', detail },
      request.id,
    );
    reply
      .header('content-disposition', `attachment; filename="mortar-training-${w.authority ?? 'england'}.csv"`)
      .header('cache-control', 'no-store');
    return reply.type('text/csv; charset=utf-8').send(toCsv(CSV_HEADER, data));
  });
}
