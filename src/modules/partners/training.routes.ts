import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { formErrors, type FormErrors } from '../../platform/forms.ts';
import { setFlash } from '../../platform/flash.ts';
import { bodyOf, keptValues } from '../organisations/organisation.schemas.ts';
import { EDIT, idParam, ownScope } from './partner.routes.ts';
import type { PartnerRow } from './partner.repository.ts';
import {
  courseItems,
  dateValues,
  DATE_ANCHORS,
  trainingSchema,
  withDates,
  type TrainingInput,
} from './partner.schemas.ts';
import { getPartner } from './partner.service.ts';
import { addTraining, changeTraining, getTraining, removeTraining } from './training.service.ts';
import { dateText, renewalHint } from './partner.view.ts';
import type { TrainingRow } from './training.repository.ts';
import { COURSES, DEFAULT_RENEWAL_YEARS, defaultRenewalDate, isCourse, type Course } from './training.ts';

// Staff training in partner organisations: recording, changing and removing a record. The authority's
// commissioner edits; the partner's page lists the records and /training (workforce.routes.ts) the
// authority's whole workforce.

type Deps = { db: Database };
const V = (name: string) => `partners/views/${name}.njk`;

function trainingForm(
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

/** The form's values for a record being changed. */
function valuesOf(t: TrainingRow) {
  // A renewal date that is the course's default is left blank, so changing the course or the date it
  // was completed works it out again rather than keeping the old default.
  const isDefault = isCourse(t.course) && t.renewal_due_on === defaultRenewalDate(t.course, t.completed_on);
  return {
    staffName: t.staff_name,
    staffRole: t.staff_role ?? '',
    course: t.course,
    ...dateValues('completedOn', t.completed_on),
    ...(isDefault ? {} : dateValues('renewalDueOn', t.renewal_due_on)),
  };
}

type Saved = { staffName: string; course: Course; renewalDueOn: string; defaulted: boolean };

const savedText = (v: Saved) =>
  `Training for ${v.staffName} has been saved. Renewal is due on ${dateText(v.renewalDueOn)}` +
  (v.defaulted
    ? ` (every ${DEFAULT_RENEWAL_YEARS[v.course]} years for ${COURSES[v.course]}, as no date was given)`
    : '');

/** Recording and changing a record read the same form; `save` stores it once it reads. */
async function submitTraining(
  clock: Clock,
  request: FastifyRequest,
  reply: FastifyReply,
  form: { partner: PartnerRow; recordId?: string },
  save: (input: TrainingInput) => Promise<Saved>,
) {
  const body = bodyOf(request.body);
  const parsed = trainingSchema(clock.today()).safeParse(withDates(body, ['completedOn', 'renewalDueOn']));
  if (!parsed.success)
    return trainingForm(reply, form.partner, {
      recordId: form.recordId,
      values: keptValues(body),
      errors: formErrors(parsed.error, { ...DATE_ANCHORS, course: 'course' }),
    });
  setFlash(reply, savedText(await save(parsed.data)));
  return reply.redirect(`/partners/${form.partner.id}#training`, 303);
}

function confirmRemoval(reply: FastifyReply, p: PartnerRow, t: TrainingRow) {
  const course = isCourse(t.course) ? COURSES[t.course] : t.course;
  return reply.page(V('confirm-remove'), {
    title: `Remove ${t.staff_name}’s ${course} record?`,
    backHref: `/partners/${p.id}#training`,
    action: `/partners/${p.id}/training/${t.id}/remove`,
    explanation: `Remove a record only if it was entered by mistake. It will no longer count towards ${p.name}’s trained staff.`,
    buttonText: 'Remove this record',
    cancelHref: `/partners/${p.id}#training`,
  });
}

/** The partner and record the path names, within the commissioner's own authority. */
async function ownRecord(db: Database, request: FastifyRequest) {
  const own = ownScope(request);
  const p = await getPartner(db, own.scope, idParam(request));
  return { own, p, t: await getTraining(db, p.id, idParam(request, 'recordId')) };
}

export function registerTrainingRoutes(app: FastifyInstance, { db }: Deps) {
  app.get('/partners/:id/training/new', { config: { access: EDIT } }, async (request, reply) => {
    const { scope } = ownScope(request);
    const p = await getPartner(db, scope, idParam(request));
    return trainingForm(reply, p, { values: {} });
  });

  app.post('/partners/:id/training', { config: { access: EDIT } }, async (request, reply) => {
    const own = ownScope(request);
    const p = await getPartner(db, own.scope, idParam(request));
    return submitTraining(app.clock, request, reply, { partner: p }, (input) =>
      addTraining(db, own, p.id, input),
    );
  });

  app.get('/partners/:id/training/:recordId/edit', { config: { access: EDIT } }, async (request, reply) => {
    const { p, t } = await ownRecord(db, request);
    return trainingForm(reply, p, { recordId: t.id, values: valuesOf(t) });
  });

  app.post('/partners/:id/training/:recordId/edit', { config: { access: EDIT } }, async (request, reply) => {
    const { own, p, t } = await ownRecord(db, request);
    return submitTraining(app.clock, request, reply, { partner: p, recordId: t.id }, (input) =>
      changeTraining(db, own, p.id, t.id, input),
    );
  });

  app.get('/partners/:id/training/:recordId/remove', { config: { access: EDIT } }, async (request, reply) => {
    const { p, t } = await ownRecord(db, request);
    return confirmRemoval(reply, p, t);
  });

  app.post(
    '/partners/:id/training/:recordId/remove',
    { config: { access: EDIT } },
    async (request, reply) => {
      const { own, p, t } = await ownRecord(db, request);
      if (await removeTraining(db, own, p.id, t.id))
        setFlash(reply, `The training record for ${t.staff_name} has been removed`);
      return reply.redirect(`/partners/${p.id}#training`, 303);
    },
  );
}
