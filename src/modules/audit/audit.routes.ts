import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import { HttpError } from '../../platform/errors.ts';
import { listHref, pageOf, paginationParams, requestedPage } from '../../platform/pagination.ts';
import { auditScope } from '../../platform/scope.ts';
import {
  ACTION_LABELS,
  actionLabel,
  actorLabel,
  AUDIT_ACTIONS,
  auditCsv,
  describeAuditSearch,
  isFiltered,
  readAuditFilter,
  recordLabel,
} from './audit-log.ts';
import { countAudit, listAudit } from './audit.repository.ts';

// The audit trail, as the NHS Data Security and Protection Toolkit expects it to be readable: who viewed
// or changed a person's record and when, searchable and exportable. A service manager reads it for the
// records their service holds; an administrator for their organisation (platform/scope.ts auditScope).
// Reading it, or exporting it, is itself audited.

const READERS = ['service_manager', 'administrator', 'national_administrator'] as const;

/** An export holds at most this many rows; a wider search is asked to narrow first. */
export const AUDIT_EXPORT_MAX = 50_000;

type Row = Awaited<ReturnType<typeof listAudit>>[number];

/** A row of the trail as the page shows it; `opens` when the reader may open the record it names. */
const rowView = (r: Row, opens: boolean) => ({
  at: r.at,
  who: actorLabel(r),
  whoEmail: r.actor_email,
  whoOrganisation: r.actor_organisation_name,
  action: actionLabel(r.action),
  record: recordLabel(r.entity_type),
  reference: r.reference,
  href: !opens
    ? null
    : r.person_id
      ? `/people/${r.person_id}`
      : r.referral_id
        ? `/worklist/${r.referral_id}`
        : null,
  detail: r.detail,
});

const actionItems = (selected: string | undefined) => [
  { value: '', text: 'Any action', selected: !selected },
  ...AUDIT_ACTIONS.map((a) => ({ value: a, text: ACTION_LABELS[a], selected: selected === a })),
];

export function registerAuditRoutes(app: FastifyInstance, { db }: { db: Database }) {
  app.get('/audit', { config: { access: READERS } }, async (request, reply) => {
    const user = staffOf(request);
    const scope = auditScope(user);
    const query = request.query as Record<string, unknown>;
    const { values, filter, errors } = readAuditFilter(query);
    const page = pageOf(await countAudit(db, scope, filter), requestedPage(query.page));
    const rows = await listAudit(db, scope, filter, page);
    await audit(
      db,
      user,
      { action: 'view', entityType: 'audit_log', detail: describeAuditSearch(filter, page.page) },
      request.id,
    );
    const kept = errors ? {} : values;
    // Records link to where the reader can open them: only a service's own staff open a person's record.
    const opens = user.role === 'service_manager';
    if (errors) reply.code(400);
    return reply.page('audit/views/audit.njk', {
      title: 'Audit',
      values,
      errors,
      filtered: isFiltered(filter),
      actionItems: actionItems(values.action),
      csvHref: listHref('/audit.csv', kept),
      page,
      pager: paginationParams(page, (p) => listHref('/audit', { ...kept, page: p })),
      rows: rows.map((r) => rowView(r, opens)),
    });
  });

  app.get('/audit.csv', { config: { access: READERS } }, async (request, reply) => {
    const user = staffOf(request);
    const scope = auditScope(user);
    const { filter, errors } = readAuditFilter(request.query as Record<string, unknown>);
    if (errors) {
      throw new HttpError(400, 'Your search has errors', errors.list.map((e) => e.text).join('. '));
    }
    const total = await countAudit(db, scope, filter);
    if (total > AUDIT_EXPORT_MAX) {
      throw new HttpError(
        400,
        'Too many rows to export',
        `An export holds at most ${AUDIT_EXPORT_MAX.toLocaleString('en-GB')} rows and this search has ${total.toLocaleString('en-GB')}. Choose a shorter date range.`,
      );
    }
    const rows = await listAudit(db, scope, filter, { limit: AUDIT_EXPORT_MAX, offset: 0 });
    await audit(
      db,
      user,
      { action: 'export', entityType: 'audit_log', detail: describeAuditSearch(filter, 'all') },
      request.id,
    );
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="mortar-audit.csv"')
      .header('cache-control', 'no-store')
      .send(auditCsv(rows));
  });
}
