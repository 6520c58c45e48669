import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { auditMany } from '../../platform/audit.ts';
import { HttpError } from '../../platform/errors.ts';
import { formErrors, mergeErrors, type FormErrors } from '../../platform/forms.ts';
import { listHref, pageOf, paginationParams, requestedPage } from '../../platform/pagination.ts';
import type { StaffUser } from '../../platform/roles.ts';
import { referralScope } from '../../platform/scope.ts';
import {
  CONTACT_METHODS,
  CONTACT_TIMES,
  HELP_WANTED,
  IN_TALKING_THERAPIES,
  MENTAL_HEALTH_RECORDED,
  SMOKING_STATUS,
  VAPING_STATUS,
} from './referral.codes.ts';
import { ORGANISATION_TYPES } from '../organisations/organisation.codes.ts';
import { labelOf, optionsOf } from '../../platform/forms.ts';
import * as repo from './referral.repository.ts';
import { readListSearch } from './referral-search.ts';
import { actOnReferral, viewReferral, type ServiceAction } from './referral.service.ts';
import {
  canDecide,
  canRecordContact,
  CONTACT_OUTCOME_LABELS,
  CONTACT_OUTCOMES,
  DECLINE_REASONS,
  STATUS_COLOURS,
  STATUS_LABELS,
  type ContactOutcome,
  type DeclineReason,
  type ReferralStatus,
} from './referral-status.ts';

const SERVICE = ['adviser', 'service_manager'] as const;

const FILTERS: Record<string, { label: string; statuses: readonly ReferralStatus[] }> = {
  open: { label: 'To do', statuses: ['received', 'contacted'] },
  unable_to_contact: { label: 'Unable to contact', statuses: ['unable_to_contact'] },
  accepted: { label: 'Accepted', statuses: ['accepted'] },
  declined: { label: 'Declined', statuses: ['declined'] },
  all: { label: 'All', statuses: [] },
};

const note = z
  .string()
  .trim()
  .max(1000, 'Note must be 1000 characters or fewer')
  .optional()
  .transform((v) => v || undefined);
const ContactSchema = z.object({
  outcome: z.enum(CONTACT_OUTCOMES, { error: 'Select what happened when you tried to contact them' }),
  note,
});
const DeclineSchema = z
  .object({
    reason: z.enum(Object.keys(DECLINE_REASONS) as [DeclineReason, ...DeclineReason[]], {
      error: 'Select why the service is declining the referral',
    }),
    note,
  })
  .refine((d) => d.reason !== 'other' || !!d.note, {
    path: ['note'],
    message: 'Say why the referral is being declined',
  });
const AcceptSchema = z.object({ note });

/** Whole days since a time, for "waiting" columns. */
export function daysSince(from: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - from.getTime()) / 86_400_000));
}

/**
 * What the worklist shows above everything else: the service's open safety tasks. The safety work lives
 * in a module above referrals, so app.ts hands its reader in rather than this module importing it.
 */
export type SafetyBannerReader = (db: Database, user: StaffUser, requestId: string) => Promise<unknown>;

export function registerWorklistRoutes(
  app: FastifyInstance,
  deps: { db: Database; config: Config; safetyBanner: SafetyBannerReader },
) {
  const { db, config } = deps;

  app.get('/worklist', { config: { access: SERVICE } }, async (request, reply) => {
    const user = staffOf(request);
    const scope = referralScope(user);
    const q = request.query as Record<string, unknown>;
    const filterKey = typeof q.status === 'string' && q.status in FILTERS ? q.status : 'open';
    const filter = FILTERS[filterKey]!;
    const { text, search, error } = readListSearch(q);
    const listFilter = { statuses: filter.statuses, search };
    const page = pageOf(await repo.countReferrals(db, scope, listFilter), requestedPage(q.page));
    const rows = await repo.listReferrals(db, scope, {
      ...listFilter,
      limit: page.limit,
      offset: page.offset,
    });
    await auditMany(
      db,
      user,
      'list',
      'referral',
      rows.map((r) => r.id),
      request.id,
    );
    const now = app.clock.now();
    const href = (p: number) => listHref('/worklist', { status: filterKey, q: text, page: p });
    if (error) reply.code(400);
    return reply.page('referrals/views/worklist.njk', {
      title: 'Worklist',
      safetyBanner: await deps.safetyBanner(db, user, request.id),
      filterKey,
      filters: Object.entries(FILTERS).map(([key, f]) => ({
        key,
        label: f.label,
        href: listHref('/worklist', { status: key, q: text }),
        current: key === filterKey,
      })),
      values: { q: text },
      errors: error ? mergeErrors(undefined, 'q', error) : undefined,
      searched: search.kind !== 'none',
      page,
      pager: paginationParams(page, href),
      rows: rows.map((r) => ({
        ...r,
        waitingDays: daysSince(r.created_at, now),
        statusLabel: STATUS_LABELS[r.status],
        statusColour: STATUS_COLOURS[r.status],
        mentalHealthLabel: labelOf(MENTAL_HEALTH_RECORDED, r.mental_health),
        referrerTypeLabel:
          r.source === 'self' ? 'Self-referral' : labelOf(ORGANISATION_TYPES, r.referrer_type),
      })),
    });
  });

  const showReferral = async (
    request: FastifyRequest,
    reply: FastifyReply,
    errors?: FormErrors,
    values: Record<string, unknown> = {},
  ) => {
    const user = staffOf(request);
    const id = (request.params as { id: string }).id;
    const { referral, events } = await viewReferral(db, user, id, request.id);
    const status = referral.status;
    return reply.page('referrals/views/worklist-show.njk', {
      title: `${referral.given_name} ${referral.family_name}`,
      backHref: '/worklist',
      referral,
      errors,
      values,
      statusLabel: STATUS_LABELS[status],
      statusColour: STATUS_COLOURS[status],
      canContact: canRecordContact(status),
      canDecide: canDecide(status),
      canTreat: status === 'accepted' || status === 'quit_date_set' || status === 'outcome_recorded',
      labels: {
        smoking: labelOf(SMOKING_STATUS, referral.smoking_status),
        vaping: labelOf(VAPING_STATUS, referral.vaping_status),
        mentalHealth: labelOf(MENTAL_HEALTH_RECORDED, referral.mental_health),
        helpWanted: referral.help_wanted ? labelOf(HELP_WANTED, referral.help_wanted) : null,
        talkingTherapies: labelOf(IN_TALKING_THERAPIES, referral.in_talking_therapies),
        contactMethods: referral.contact_methods.map((m) => labelOf(CONTACT_METHODS, m)).join(', '),
        contactTimes: labelOf(CONTACT_TIMES, referral.contact_times),
        referrerType: labelOf(ORGANISATION_TYPES, referral.referrer_type),
      },
      age: referral.date_of_birth ? ageFrom(referral.date_of_birth, app.clock.now()) : null,
      events: events.map((e) => ({
        ...e,
        label:
          e.kind === 'contact_attempt'
            ? `Contact attempt: ${CONTACT_OUTCOME_LABELS[e.contactOutcome ?? 'no_answer']}`
            : STATUS_LABELS[e.kind],
        reasonLabel:
          e.kind === 'declined' && e.reason && e.reason in DECLINE_REASONS
            ? DECLINE_REASONS[e.reason as DeclineReason]
            : e.reason,
      })),
      outcomeOptions: optionsOf(CONTACT_OUTCOME_LABELS, values.outcome as string | undefined),
      declineOptions: [
        { value: '', text: 'Choose a reason' },
        ...Object.entries(DECLINE_REASONS).map(([value, text]) => ({
          value,
          text,
          selected: values.reason === value,
        })),
      ],
    });
  };

  app.get('/worklist/:id', { config: { access: SERVICE } }, showReferral);

  const act = (
    path: string,
    schema: z.ZodType<Record<string, unknown>>,
    toAction: (d: Record<string, unknown>) => ServiceAction,
    anchors: Record<string, string>,
  ) =>
    app.post(`/worklist/:id/${path}`, { config: { access: SERVICE } }, async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const values = { ...body, form: path };
      const parsed = schema.safeParse(body);
      if (!parsed.success)
        return showReferral(request, reply.code(400), formErrors(parsed.error, anchors), values);
      const id = (request.params as { id: string }).id;
      try {
        await actOnReferral(
          db,
          staffOf(request),
          id,
          toAction(parsed.data),
          config.maxFailedContactAttempts,
          request.id,
        );
      } catch (err) {
        if (err instanceof HttpError && err.status === 409) {
          return showReferral(
            request,
            reply.code(409),
            { list: [{ text: err.message, href: '#actions' }], fields: {} },
            values,
          );
        }
        throw err;
      }
      return reply.redirect(`/worklist/${id}`, 303);
    });

  act(
    'contact-attempts',
    ContactSchema,
    (d) => ({ kind: 'contact', outcome: d.outcome as ContactOutcome, note: d.note as string | undefined }),
    { outcome: 'outcome', note: 'contact-note' },
  );
  act('accept', AcceptSchema, (d) => ({ kind: 'accept', note: d.note as string | undefined }), {
    note: 'accept-note',
  });
  act(
    'decline',
    DeclineSchema,
    (d) => ({ kind: 'decline', reason: d.reason as DeclineReason, note: d.note as string | undefined }),
    { reason: 'reason', note: 'decline-note' },
  );
}

function ageFrom(dob: string, now: Date): number {
  const [y, m, d] = dob.split('-').map(Number) as [number, number, number];
  let age = now.getFullYear() - y;
  if (now.getMonth() + 1 < m || (now.getMonth() + 1 === m && now.getDate() < d)) age--;
  return age;
}
