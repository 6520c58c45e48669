import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { notFound } from '../../platform/errors.ts';
import { formErrors, mergeErrors, type FormErrors } from '../../platform/forms.ts';
import { isoDateOf } from '../../platform/form-fields.ts';
import { optionsOf } from '../../platform/forms.ts';
import type * as medicinesRepo from './medicines.repository.ts';
import {
  addToList,
  allAffectedMedicines,
  changeOnList,
  findAffectedMedicine,
} from './medicines-admin.service.ts';
import { affectedMedicineSchema, type AffectedMedicineInput } from './medicines.schemas.ts';
import { MEDICINE_CONCERNS } from './medicines.ts';
import { SPS_SOURCE, SPS_SOURCE_URL } from './medicines.defaults.ts';
import { setFlash } from '../../platform/flash.ts';
import { bodyOf, keptValues } from '../organisations/organisation.schemas.ts';

// The list of medicines affected by stopping smoking, as administrators keep it. Alerts and letters read
// it from the database, so an edit here changes what the next alert and letter say. Entries are never
// deleted (alerts already raised refer to them): an entry that should no longer alert is made inactive.

// One list serves every service's alerts, so keeping it is national work (platform/scope.ts adminScope).
const ADMIN = ['national_administrator'] as const;
const V = (name: string) => `medicines/views/${name}.njk`;
const codeParam = (request: FastifyRequest) => (request.params as Record<string, string>).code ?? '';

type Deps = { db: Database };
type Row = medicinesRepo.AffectedMedicineRow;

const ANCHORS = {
  concern: 'concern',
  active: 'active',
  reviewedOn: 'reviewedOn-day',
  sourceCheckedOn: 'sourceCheckedOn-day',
};

const ACTIVE_OPTIONS = {
  yes: 'Yes, alert for it',
  no: 'No, stop alerting for it (kept for alerts already raised)',
} as const;

/** A date as the three boxes of a date input show it. */
function dateBoxes(name: string, iso: string | null): Record<string, string> {
  const [y, m, d] = iso ? iso.split('-') : ['', '', ''];
  return {
    [`${name}-day`]: d ? String(Number(d)) : '',
    [`${name}-month`]: m ? String(Number(m)) : '',
    [`${name}-year`]: y ?? '',
  };
}

function valuesOf(r: Row): Record<string, string> {
  return {
    code: r.code,
    name: r.name,
    alsoKnownAs: r.also_known_as.join('\n'),
    concern: r.concern,
    advice: r.advice,
    adviceOnRelapse: r.advice_on_relapse,
    source: r.source,
    sourceUrl: r.source_url ?? '',
    ...dateBoxes('sourceCheckedOn', r.source_checked_on),
    ...dateBoxes('reviewedOn', r.reviewed_on),
    active: r.active ? 'yes' : 'no',
  };
}

function inputOf(body: Record<string, unknown>) {
  return {
    ...body,
    sourceCheckedOn: isoDateOf(
      body['sourceCheckedOn-day'],
      body['sourceCheckedOn-month'],
      body['sourceCheckedOn-year'],
    ),
    reviewedOn: isoDateOf(body['reviewedOn-day'], body['reviewedOn-month'], body['reviewedOn-year']),
  };
}

const toValues = (v: AffectedMedicineInput): medicinesRepo.AffectedMedicineValues => ({
  name: v.name,
  alsoKnownAs: v.alsoKnownAs,
  concern: v.concern,
  advice: v.advice,
  adviceOnRelapse: v.adviceOnRelapse,
  source: v.source,
  sourceUrl: v.sourceUrl,
  sourceCheckedOn: v.sourceCheckedOn,
  reviewedOn: v.reviewedOn,
  active: v.active,
});

/** Which fields an edit changed, named as the form names them, for the audit trail. */
function changedFields(before: Row, after: medicinesRepo.AffectedMedicineValues): string[] {
  const pairs: [string, unknown, unknown][] = [
    ['name', before.name, after.name],
    ['also known as', before.also_known_as.join('|'), after.alsoKnownAs.join('|')],
    ['concern', before.concern, after.concern],
    ['advice', before.advice, after.advice],
    ['advice on relapse', before.advice_on_relapse, after.adviceOnRelapse],
    ['source', before.source, after.source],
    ['link to the source', before.source_url, after.sourceUrl],
    ['source checked on', before.source_checked_on, after.sourceCheckedOn],
    ['reviewed on', before.reviewed_on, after.reviewedOn],
    ['active', before.active, after.active],
  ];
  return pairs.filter(([, a, b]) => a !== b).map(([k]) => k);
}

/** The form for one entry on the list: blank for a new one, or as typed with its errors. */
async function editPage(
  reply: FastifyReply,
  f: { row?: Row; values: Record<string, string>; errors?: FormErrors },
) {
  if (f.errors) reply.code(400);
  return reply.page(V('medicine-edit'), {
    title: f.row ? `Edit ${f.row.name}` : 'Add a medicine to the list',
    backHref: '/admin/medicines',
    row: f.row,
    isNew: !f.row,
    values: f.values,
    errors: f.errors,
    concernItems: optionsOf(MEDICINE_CONCERNS, f.values.concern),
    activeItems: optionsOf(ACTIVE_OPTIONS, f.values.active),
  });
}

export function registerMedicinesAdminRoutes(app: FastifyInstance, { db }: Deps) {
  app.get('/admin/medicines', { config: { access: ADMIN } }, async (_request, reply) => {
    const rows = await allAffectedMedicines(db);
    return reply.page(V('medicines'), {
      title: 'Medicines affected by stopping smoking',
      rows: rows.map((r) => ({ ...r, concernLabel: MEDICINE_CONCERNS[r.concern] })),
      notReviewed: rows.filter((r) => r.active && !r.reviewed_on).length,
    });
  });

  app.get('/admin/medicines/new', { config: { access: ADMIN } }, async (_request, reply) =>
    editPage(reply, {
      values: { active: 'yes', source: SPS_SOURCE, sourceUrl: SPS_SOURCE_URL },
    }),
  );

  app.post('/admin/medicines', { config: { access: ADMIN } }, async (request, reply) => {
    const user = staffOf(request);
    const body = bodyOf(request.body);
    const values = keptValues(body);
    const parsed = affectedMedicineSchema(app.clock.today(), { isNew: true }).safeParse(inputOf(body));
    if (!parsed.success) return editPage(reply, { values, errors: formErrors(parsed.error, ANCHORS) });
    const code = parsed.data.code as string;
    const created = await addToList(db, user, code, toValues(parsed.data), request.id);
    if (!created) {
      return editPage(reply, {
        values,
        errors: mergeErrors(
          undefined,
          'code',
          'A medicine with this code is already on the list: edit that one instead',
        ),
      });
    }
    setFlash(reply, `${parsed.data.name} has been added to the list`);
    return reply.redirect('/admin/medicines', 303);
  });

  app.get('/admin/medicines/:code', { config: { access: ADMIN } }, async (request, reply) => {
    const row = await findAffectedMedicine(db, codeParam(request));
    if (!row) throw notFound('Medicine not found');
    return editPage(reply, { row, values: valuesOf(row) });
  });

  app.post('/admin/medicines/:code', { config: { access: ADMIN } }, async (request, reply) => {
    const user = staffOf(request);
    const row = await findAffectedMedicine(db, codeParam(request));
    if (!row) throw notFound('Medicine not found');
    const body = bodyOf(request.body);
    const values = { ...keptValues(body), code: row.code };
    const parsed = affectedMedicineSchema(app.clock.today(), { isNew: false }).safeParse(inputOf(body));
    if (!parsed.success) return editPage(reply, { row, values, errors: formErrors(parsed.error, ANCHORS) });
    const next = toValues(parsed.data);
    const changed = changedFields(row, next);
    if (changed.length > 0) await changeOnList(db, user, row.code, next, changed, request.id);
    setFlash(reply, changed.length ? `${next.name} has been updated` : `Nothing was changed for ${row.name}`);
    return reply.redirect('/admin/medicines', 303);
  });
}
