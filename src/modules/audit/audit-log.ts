// Reading the audit trail: what a search asks for, how rows are named, and the CSV export. Pure.
import { z } from 'zod';
import type { FormErrors } from '../../platform/forms.ts';
import { formErrors } from '../../platform/forms.ts';
import type { AuditAction } from '../../platform/audit.ts';
import { toCsv } from '../../platform/csv.ts';
import { isIsoDate, type IsoDate } from '../../platform/dates.ts';
import { isoDateOf } from '../../platform/form-fields.ts';
import { SEARCH_MAX } from '../referrals/referral-search.ts';

export const AUDIT_ACTIONS = [
  'view',
  'list',
  'create',
  'update',
  'export',
] as const satisfies readonly AuditAction[];

export const ACTION_LABELS: Record<AuditAction, string> = {
  view: 'Viewed',
  list: 'Listed',
  create: 'Created',
  update: 'Changed',
  export: 'Exported',
};

/** What each audited entity is, in words. Those about a person's record come first. */
export const RECORD_LABELS: Record<string, string> = {
  referral: 'Referral',
  person: 'Person',
  episode: 'Treatment episode',
  episode_outcome: 'Four-week outcome',
  episode_local_outcome: 'Local outcome',
  episode_session: 'Session',
  episode_medicine: 'Medicine',
  mood_measure: 'Mood questionnaire',
  safety_task: 'Safety task',
  medicine_alert: 'Medicine alert',
  clinician_note: 'Note to clinician',
  audit_log: 'Audit',
  access_grant: 'Access granted',
  invitation: 'Invitation',
  user: 'User account',
  api_key: 'API key',
  organisation: 'Organisation',
  site: 'Site',
  commission: 'Commission',
  sso_sign_in: 'Single sign-on',
  sso_role_mapping: 'Single sign-on rule',
};

export function recordLabel(entityType: string): string {
  const known = RECORD_LABELS[entityType];
  if (known) return known;
  const words = entityType.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export type AuditFilter = {
  /** A reference, NHS number or name of the person whose record it is. */
  record: string;
  /** Part of the name or email address of who did it (or an API key's name). */
  user: string;
  from?: IsoDate;
  to?: IsoDate;
  action?: AuditAction;
};

const text = (label: string) =>
  z.string().trim().max(SEARCH_MAX, `${label} must be ${SEARCH_MAX} characters or fewer`);
const date = (label: string) =>
  z
    .string()
    .optional()
    .refine((v) => v === undefined || isIsoDate(v), `${label} must be a real date`);

const AuditFilterSchema = z
  .object({
    record: text('Person or record'),
    user: text('User'),
    from: date('Date from'),
    to: date('Date to'),
    action: z.union([z.literal(''), z.enum(AUDIT_ACTIONS)], { error: 'Select an action from the list' }),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, {
    path: ['to'],
    message: 'Date to must be the same as or after date from',
  });

const FIELDS = [
  'record',
  'user',
  'from-day',
  'from-month',
  'from-year',
  'to-day',
  'to-month',
  'to-year',
  'action',
];

const first = (v: unknown): string => {
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' ? s : '';
};

/** The audit page's search form from a query string: what was typed (to show again) and the filter. */
export function readAuditFilter(query: Record<string, unknown>): {
  values: Record<string, string>;
  filter: AuditFilter;
  errors?: FormErrors;
} {
  const values = Object.fromEntries(FIELDS.map((k) => [k, first(query[k])]));
  const parsed = AuditFilterSchema.safeParse({
    record: values.record,
    user: values.user,
    from: isoDateOf(values['from-day'], values['from-month'], values['from-year']),
    to: isoDateOf(values['to-day'], values['to-month'], values['to-year']),
    action: values.action,
  });
  if (!parsed.success) {
    return {
      values,
      filter: { record: '', user: '' },
      errors: formErrors(parsed.error, { from: 'from-day', to: 'to-day' }),
    };
  }
  const f = parsed.data;
  return {
    values,
    filter: {
      record: f.record,
      user: f.user,
      ...(f.from ? { from: f.from } : {}),
      ...(f.to ? { to: f.to } : {}),
      ...(f.action ? { action: f.action } : {}),
    },
  };
}

export const isFiltered = (f: AuditFilter) =>
  f.record !== '' || f.user !== '' || !!f.from || !!f.to || !!f.action;

/**
 * What a search of the audit asked for, for the audit row that records it: which filters, and the dates
 * and action, but never what was typed to find a person or a user (that could be a person's name).
 */
export function describeAuditSearch(f: AuditFilter, page: number | 'all'): string {
  const parts = [
    ...(f.record ? ['by person or record'] : []),
    ...(f.user ? ['by user'] : []),
    ...(f.from ? [`from ${f.from}`] : []),
    ...(f.to ? [`to ${f.to}`] : []),
    ...(f.action ? [`action ${f.action}`] : []),
  ];
  const what = parts.length ? `searched ${parts.join(', ')}` : 'everything';
  return page === 'all' ? `${what}, all rows` : `${what}, page ${page}`;
}

export type AuditRow = {
  id: number;
  at: Date;
  action: string;
  entity_type: string;
  entity_id: string | null;
  detail: string | null;
  request_id: string | null;
  actor_name: string | null;
  actor_email: string | null;
  api_key_name: string | null;
  actor_organisation_name: string | null;
  reference: string | null;
};

/** Who did it, in words: a member of staff, a system with an API key, or nobody signed in. */
export function actorLabel(r: Pick<AuditRow, 'actor_name' | 'api_key_name'>): string {
  if (r.actor_name) return r.actor_name;
  if (r.api_key_name) return `API key: ${r.api_key_name}`;
  return 'Nobody signed in';
}

export const actionLabel = (action: string) =>
  (ACTION_LABELS as Record<string, string | undefined>)[action] ?? action;

/** A date and time as England's clocks showed it, for a file: 2025-03-30 01:30 (BST or GMT as it was). */
export function londonDateTime(d: Date): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(d);
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

export const AUDIT_CSV_HEADERS = [
  'When (UK time)',
  'User',
  'User email',
  'User organisation',
  'Action',
  'Record',
  'Reference',
  'Record id',
  'Detail',
  'Request id',
] as const;

/** The audit rows as CSV; a cell a spreadsheet would read as a formula is made plain text (platform/csv.ts). */
export function auditCsv(rows: readonly AuditRow[]): string {
  return toCsv(
    AUDIT_CSV_HEADERS,
    rows.map((r) => [
      londonDateTime(r.at),
      actorLabel(r),
      r.actor_email,
      r.actor_organisation_name,
      actionLabel(r.action),
      recordLabel(r.entity_type),
      r.reference,
      r.entity_id,
      r.detail,
      r.request_id,
    ]),
  );
}
