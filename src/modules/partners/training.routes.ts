import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import { toCsv } from '../../platform/csv.ts';
import { formErrors, type FormErrors } from '../../platform/forms.ts';
import { partnerScope } from '../../platform/scope.ts';
import { setFlash } from '../../platform/flash.ts';
import { bodyOf, keptValues } from '../organisations/organisation.schemas.ts';
import { EDIT, idParam, ownScope, READ } from './partner.routes.ts';
import * as repo from './partner.repository.ts';
import type { PartnerRow } from './partner.repository.ts';
import { courseItems, dateValues, DATE_ANCHORS, trainingSchema, withDates } from './partner.schemas.ts';
import { getPartner } from './partner.service.ts';
import { addTraining, changeTraining, getTraining, removeTraining } from './training.service.ts';
import { byRenewal, dateText, trainingView } from './partner.view.ts';
import * as trainingRepo from './training.repository.ts';
import {
  COURSE_CODES,
  COURSES,
  DEFAULT_RENEWAL_YEARS,
  defaultRenewalDate,
  DUE_SOON_DAYS,
  isCourse,
  type Course,
} from './training.ts';
import { NO_WORKFORCE } from './workforce.repository.ts';
import { loadWorkforceCounts } from './training.service.ts';

// Staff training in partner organisations: recording, changing and removing a record, and the
// authority's workforce at /training, soonest renewal first. The commissioner edits; a national analyst
// reads every authority's. Staff names are people's details: lists, views and exports are audited.

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

/** "every 2 years" for each course: the hint beside the renewal date. */
const renewalHint = COURSE_CODES.map((c) => `${COURSES[c]}: ${DEFAULT_RENEWAL_YEARS[c]} years`).join('; ');

export function registerTrainingRoutes(app: FastifyInstance, { db }: Deps) {
  async function trainingForm(
    reply: FastifyReply,
    p: PartnerRow,
    f: { recordId?: string; values: Record<string, string>; errors?: FormErrors },
  ) {
    if (f.errors) reply.code(400);
    return reply.page(V('training-form'), {
      title: f.recordId ? `Change a training record at ${p.name}` : `Record training at ${p.name}`,
      backHref: `/partners/${p.id}#training`,
      action: f.recordId ? `/partners/${p.id}/training/${f.recordId}/edit` : `/partners/${p.id}/training`,
      partner: p,
      values: f.values,
      errors: f.errors,
      courseItems: courseItems(f.values.course),
      renewalHint,
    });
  }

  app.get('/partners/:id/training/new', { config: { access: EDIT } }, async (request, reply) => {
    const { scope } = ownScope(request);
    const p = await getPartner(db, scope, idParam(request));
    return trainingForm(reply, p, { values: {} });
  });

  const saved = (name: string, v: { course: Course; renewalDueOn: string; defaulted: boolean }) =>
    `Training for ${name} has been saved. Renewal is due on ${dateText(v.renewalDueOn)}` +
    (v.defaulted
      ? ` (every ${DEFAULT_RENEWAL_YEARS[v.course]} years for ${COURSES[v.course]}, as no date was given)`
      : '');

  app.post('/partners/:id/training', { config: { access: EDIT } }, async (request, reply) => {
    const own = ownScope(request);
    const p = await getPartner(db, own.scope, idParam(request));
    const body = bodyOf(request.body);
    const parsed = trainingSchema(app.clock.today()).safeParse(
      withDates(body, ['completedOn', 'renewalDueOn']),
    );
    if (!parsed.success)
      return trainingForm(reply, p, {
        values: keptValues(body),
        errors: formErrors(parsed.error, { ...DATE_ANCHORS, course: 'course' }),
      });
    const v = await addTraining(db, own, p.id, parsed.data);
    setFlash(reply, saved(v.staffName, v));
    return reply.redirect(`/partners/${p.id}#training`, 303);
  });

  app.get('/partners/:id/training/:recordId/edit', { config: { access: EDIT } }, async (request, reply) => {
    const { scope } = ownScope(request);
    const p = await getPartner(db, scope, idParam(request));
    const t = await getTraining(db, p.id, idParam(request, 'recordId'));
    // A renewal date that is the course's default is left blank, so changing the course or the date it
    // was completed works it out again rather than keeping the old default.
    const isDefault = isCourse(t.course) && t.renewal_due_on === defaultRenewalDate(t.course, t.completed_on);
    const values = {
      staffName: t.staff_name,
      staffRole: t.staff_role ?? '',
      course: t.course,
      ...dateValues('completedOn', t.completed_on),
      ...(isDefault ? {} : dateValues('renewalDueOn', t.renewal_due_on)),
    };
    return trainingForm(reply, p, { recordId: t.id, values });
  });

  app.post('/partners/:id/training/:recordId/edit', { config: { access: EDIT } }, async (request, reply) => {
    const own = ownScope(request);
    const p = await getPartner(db, own.scope, idParam(request));
    const t = await getTraining(db, p.id, idParam(request, 'recordId'));
    const body = bodyOf(request.body);
    const parsed = trainingSchema(app.clock.today()).safeParse(
      withDates(body, ['completedOn', 'renewalDueOn']),
    );
    if (!parsed.success)
      return trainingForm(reply, p, {
        recordId: t.id,
        values: keptValues(body),
        errors: formErrors(parsed.error, { ...DATE_ANCHORS, course: 'course' }),
      });
    const v = await changeTraining(db, own, p.id, t.id, parsed.data);
    setFlash(reply, saved(v.staffName, v));
    return reply.redirect(`/partners/${p.id}#training`, 303);
  });

  app.get('/partners/:id/training/:recordId/remove', { config: { access: EDIT } }, async (request, reply) => {
    const { scope } = ownScope(request);
    const p = await getPartner(db, scope, idParam(request));
    const t = await getTraining(db, p.id, idParam(request, 'recordId'));
    const course = isCourse(t.course) ? COURSES[t.course] : t.course;
    return reply.page(V('confirm-remove'), {
      title: `Remove ${t.staff_name}’s ${course} record?`,
      backHref: `/partners/${p.id}#training`,
      action: `/partners/${p.id}/training/${t.id}/remove`,
      explanation: `Remove a record only if it was entered by mistake. It will no longer count towards ${p.name}’s trained staff.`,
      buttonText: 'Remove this record',
      cancelHref: `/partners/${p.id}#training`,
    });
  });

  app.post(
    '/partners/:id/training/:recordId/remove',
    { config: { access: EDIT } },
    async (request, reply) => {
      const own = ownScope(request);
      const p = await getPartner(db, own.scope, idParam(request));
      const t = await getTraining(db, p.id, idParam(request, 'recordId'));
      if (await removeTraining(db, own, p.id, t.id))
        setFlash(reply, `The training record for ${t.staff_name} has been removed`);
      return reply.redirect(`/partners/${p.id}#training`, 303);
    },
  );

  // --- The workforce --------------------------------------------------------------------------------

  async function workforce(request: FastifyRequest) {
    const scope = partnerScope(staffOf(request));
    const q = (request.query ?? {}) as Record<string, unknown>;
    let authority: string | undefined = scope.kind === 'local_authority' ? scope.code : undefined;
    if (
      scope.kind === 'all' &&
      typeof q.authority === 'string' &&
      /^E\d{8}$/.test(q.authority) &&
      (await repo.authorityName(db, q.authority))
    ) {
      authority = q.authority;
    }
    const course = isCourse(q.course) ? q.course : undefined;
    const today = app.clock.today();
    const rows = byRenewal(
      (await trainingRepo.listTrainingInScope(db, scope, { authority, course })).map((t) =>
        trainingView(t, today),
      ),
    );
    return { scope, authority, course, today, rows };
  }

  app.get('/training', { config: { access: READ } }, async (request, reply) => {
    const user = staffOf(request);
    const { scope, authority, course, today, rows } = await workforce(request);
    const counts = await loadWorkforceCounts(db, authority ? [authority] : 'all', today);
    const summary = authority
      ? (counts.get(authority) ?? NO_WORKFORCE)
      : [...counts.values()].reduce(
          (s, c) => {
            for (const k of Object.keys(s) as (keyof typeof s)[]) s[k] += c[k];
            return s;
          },
          { ...NO_WORKFORCE },
        );
    const byCourse = COURSE_CODES.filter((c) => !course || c === course).map((c) => {
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
    await audit(
      db,
      user,
      {
        action: 'list',
        entityType: 'training_record',
        detail: `${rows.length} records${authority ? ` in ${authority}` : ''}${course ? `, ${course}` : ''}`,
      },
      request.id,
    );
    const areaName = authority ? await repo.authorityName(db, authority) : 'England';
    const authorities = scope.kind === 'all' ? await repo.listAuthorities(db) : [];
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
      byCourse,
      dueSoonDays: DUE_SOON_DAYS,
      renewalHint,
      csvHref: `/training.csv${query ? `?${query}` : ''}`,
      courseItems: [
        { value: '', text: 'Every course', selected: !course },
        ...COURSE_CODES.map((c) => ({ value: c, text: COURSES[c], selected: c === course })),
      ],
      authorityItems: [
        { value: '', text: 'Every local authority', selected: !authority },
        ...authorities.map((a) => ({ value: a.code, text: a.name, selected: a.code === authority })),
      ],
    });
  });

  app.get('/training.csv', { config: { access: READ } }, async (request, reply) => {
    const { authority, course, rows } = await workforce(request);
    const header = [
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
    const data = rows.map((r) => [
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
    ]);
    await audit(
      db,
      staffOf(request),
      {
        action: 'export',
        entityType: 'training_record',
        detail: `${data.length} records as CSV${authority ? ` for ${authority}` : ''}${course ? `, ${course}` : ''}`,
      },
      request.id,
    );
    reply
      .header('content-disposition', `attachment; filename="mortar-training-${authority ?? 'england'}.csv"`)
      .header('cache-control', 'no-store');
    return reply.type('text/csv; charset=utf-8').send(toCsv(header, data));
  });
}
