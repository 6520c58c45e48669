import type { NotificationType, Refusal } from './fake-notify-rules.ts';

// The notifications the fake has accepted, indexed for the questions tests and the bench ask (by id,
// by reference, by recipient), and their JSON as Notify's GET endpoints give it (app/models.py
// Notification.serialize_with_cost_data; app/v2/notifications/get_notifications.py).

export type FinalStatus = 'delivered' | 'permanent-failure' | 'temporary-failure' | 'technical-failure';
export type NotificationStatus = 'created' | 'sending' | FinalStatus;

export type FakeNotification = {
  id: string;
  type: NotificationType;
  /** The recipient as the sender wrote it (Notify gives it back that way). */
  to: string;
  /** The recipient normalised (447... or a lower-case address), to find every message to one person. */
  recipient: string;
  templateId: string;
  templateVersion: number;
  personalisation: Record<string, unknown>;
  reference: string | null;
  body: string;
  subject: string | null;
  status: NotificationStatus;
  createdAt: number;
  sentAt: number | null;
  completedAt: number | null;
};

/** Notify's timestamps: ISO 8601 in UTC with microseconds (app/utils.py DATETIME_FORMAT). */
export const notifyTime = (ms: number) => new Date(ms).toISOString().replace('Z', '000Z');

const FAILED: readonly string[] = ['technical-failure', 'temporary-failure', 'permanent-failure'];
export const LIST_STATUSES: readonly string[] = [
  'cancelled',
  'created',
  'sending',
  'sent',
  'delivered',
  'pending',
  'failed',
  'technical-failure',
  'temporary-failure',
  'permanent-failure',
  'pending-virus-check',
  'validation-failed',
  'virus-scan-failed',
  'returned-letter',
  'accepted',
  'received',
];
const PAGE_SIZE = 250;

/** Text message fragments as Notify bills them: 160 characters alone, 153 each when split. */
const fragments = (body: string) => (body.length <= 160 ? 1 : Math.ceil(body.length / 153));

export class NotificationStore {
  /** Oldest first. */
  readonly all: FakeNotification[] = [];
  readonly #byId = new Map<string, FakeNotification>();
  readonly #byReference = new Map<string, FakeNotification[]>();
  readonly #byRecipient = new Map<string, FakeNotification[]>();
  readonly #position = new Map<string, number>();

  add(n: FakeNotification): void {
    this.#position.set(n.id, this.all.length);
    this.all.push(n);
    this.#byId.set(n.id, n);
    if (n.reference !== null) push(this.#byReference, n.reference, n);
    push(this.#byRecipient, n.recipient, n);
  }

  get(id: string): FakeNotification | undefined {
    return this.#byId.get(id.toLowerCase());
  }

  byReference(reference: string): FakeNotification[] {
    return this.#byReference.get(reference) ?? [];
  }

  byRecipient(recipient: string): FakeNotification[] {
    return this.#byRecipient.get(recipient) ?? [];
  }

  /** How many notifications carry each reference: more than one means a message went twice. */
  countsByReference(): Map<string, number> {
    return new Map([...this.#byReference].map(([ref, list]) => [ref, list.length]));
  }

  /** Newest first, one page of Notify's list, after `olderThan` when given. */
  list(filter: { reference?: string; types?: string[]; statuses?: string[]; olderThan?: string }) {
    const statuses = filter.statuses?.flatMap((s) => (s === 'failed' ? FAILED : [s]));
    const source = filter.reference !== undefined ? this.byReference(filter.reference) : this.all;
    const start =
      filter.olderThan !== undefined ? this.#position.get(filter.olderThan.toLowerCase()) : undefined;
    if (filter.olderThan !== undefined && start === undefined) return [];
    const page: FakeNotification[] = [];
    for (let i = source.length - 1; i >= 0 && page.length < PAGE_SIZE; i--) {
      const n = source[i]!;
      if (start !== undefined && this.#position.get(n.id)! >= start) continue;
      if (filter.types?.length && !filter.types.includes(n.type)) continue;
      if (statuses?.length && !statuses.includes(n.status)) continue;
      page.push(n);
    }
    return page;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The 201 answer to a send (app/v2/notifications/create_response.py). */
export function createdBody(
  n: FakeNotification,
  baseUrl: string,
  serviceId: string,
  from: { smsSender: string; fromEmail: string },
) {
  const content =
    n.type === 'sms'
      ? { body: n.body, from_number: from.smsSender }
      : { from_email: from.fromEmail, body: n.body, subject: n.subject, one_click_unsubscribe_url: null };
  return {
    id: n.id,
    reference: n.reference,
    uri: `${baseUrl}/v2/notifications/${n.id}`,
    template: {
      id: n.templateId,
      version: n.templateVersion,
      uri: `${baseUrl}/services/${serviceId}/templates/${n.templateId}`,
    },
    scheduled_for: null,
    content,
  };
}

/** One notification as GET /v2/notifications/{id} answers it. */
export function serialise(n: FakeNotification, baseUrl: string, smsRate: number) {
  const costReady = !(n.type === 'sms' && n.status === 'created');
  const cost =
    n.type === 'email'
      ? { cost_details: {}, cost_in_pounds: 0, is_cost_data_ready: true }
      : costReady
        ? {
            cost_details: {
              billable_sms_fragments: fragments(n.body),
              international_rate_multiplier: 1,
              sms_rate: smsRate,
            },
            cost_in_pounds: fragments(n.body) * smsRate,
            is_cost_data_ready: true,
          }
        : { cost_details: {}, cost_in_pounds: null, is_cost_data_ready: false };
  return {
    id: n.id,
    reference: n.reference,
    email_address: n.type === 'email' ? n.to : null,
    phone_number: n.type === 'sms' ? n.to : null,
    line_1: null,
    line_2: null,
    line_3: null,
    line_4: null,
    line_5: null,
    line_6: null,
    postcode: null,
    type: n.type,
    status: n.status,
    template: {
      version: n.templateVersion,
      id: n.templateId,
      uri: `${baseUrl}/v2/template/${n.templateId}/version/${n.templateVersion}`,
    },
    body: n.body,
    subject: n.subject,
    created_at: notifyTime(n.createdAt),
    created_by_name: null,
    sent_at: n.sentAt === null ? null : notifyTime(n.sentAt),
    completed_at: n.completedAt === null ? null : notifyTime(n.completedAt),
    scheduled_for: null,
    postage: null,
    one_click_unsubscribe_url: null,
    ...cost,
  };
}

/** The query of GET /v2/notifications checked as Notify's schema checks it. */
export function parseListQuery(
  params: URLSearchParams,
): { ok: true; filter: Parameters<NotificationStore['list']>[0] } | { ok: false; refusal: Refusal } {
  const errors: string[] = [];
  const allowed = ['reference', 'status', 'template_type', 'include_jobs', 'older_than'];
  const extra = [...new Set(params.keys())].filter((k) => !allowed.includes(k));
  if (extra.length)
    errors.push(
      `Additional properties are not allowed (${extra.join(', ')} ${extra.length === 1 ? 'was' : 'were'} unexpected)`,
    );
  const statuses = params.getAll('status');
  for (const s of statuses)
    if (!LIST_STATUSES.includes(s)) errors.push(`status ${s} is not one of [${LIST_STATUSES.join(', ')}]`);
  const types = params.getAll('template_type');
  for (const t of types)
    if (!['sms', 'email', 'letter'].includes(t))
      errors.push(`template_type ${t} is not one of [sms, email, letter]`);
  const olderThan = params.get('older_than') ?? undefined;
  if (olderThan !== undefined && !/^[0-9a-f]{8}-?([0-9a-f]{4}-?){3}[0-9a-f]{12}$/i.test(olderThan))
    errors.push('older_than is not a valid UUID');
  if (errors.length)
    return {
      ok: false,
      refusal: { status: 400, errors: errors.map((message) => ({ error: 'ValidationError', message })) },
    };
  const reference = params.get('reference') ?? undefined;
  return {
    ok: true,
    filter: {
      ...(reference !== undefined ? { reference } : {}),
      ...(types.length ? { types } : {}),
      ...(statuses.length ? { statuses } : {}),
      ...(olderThan !== undefined ? { olderThan } : {}),
    },
  };
}
