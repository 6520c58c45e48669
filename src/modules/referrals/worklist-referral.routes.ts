import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { HttpError } from '../../platform/errors.ts';
import { formErrors, labelOf, optionsOf, type FormErrors } from '../../platform/forms.ts';
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
} from './referral-status.ts';
import { SERVICE } from './worklist.routes.ts';

// One referral on the worklist, and what the service does with it: record a contact attempt, accept or
// decline. Each action's form is on the referral's page, which shows it again with its errors.

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

/** The actions, each a form posted to /worklist/:id/<path>. */
const ACTIONS: readonly {
  path: string;
  schema: z.ZodType<Record<string, unknown>>;
  toAction: (d: Record<string, unknown>) => ServiceAction;
  anchors: Record<string, string>;
}[] = [
  {
    path: 'contact-attempts',
    schema: ContactSchema,
    toAction: (d) => ({
      kind: 'contact',
      outcome: d.outcome as ContactOutcome,
      note: d.note as string | undefined,
    }),
    anchors: { outcome: 'outcome', note: 'contact-note' },
  },
  {
    path: 'accept',
    schema: AcceptSchema,
    toAction: (d) => ({ kind: 'accept', note: d.note as string | undefined }),
    anchors: { note: 'accept-note' },
  },
  {
    path: 'decline',
    schema: DeclineSchema,
    toAction: (d) => ({
      kind: 'decline',
      reason: d.reason as DeclineReason,
      note: d.note as string | undefined,
    }),
    anchors: { reason: 'reason', note: 'decline-note' },
  },
];

/** A referral as the service sees it, with its actions; a form that had errors is shown again. */
async function referralPage(
  db: Database,
  now: Date,
  request: FastifyRequest,
  reply: FastifyReply,
  form: { errors?: FormErrors; values?: Record<string, unknown> } = {},
) {
  const { errors, values = {} } = form;
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
    age: referral.date_of_birth ? ageFrom(referral.date_of_birth, now) : null,
    events: events.map((e) => ({
      ...e,
      label:
        e.kind === 'contact_attempt'
          ? `Contact attempt: ${CONTACT_OUTCOME_LABELS[e.contactOutcome ?? 'no_answer']}`
          : e.kind === 'details_corrected'
            ? 'Contact details corrected by the referrer'
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
}

export function registerWorklistReferralRoutes(
  app: FastifyInstance,
  { db, config }: { db: Database; config: Config },
) {
  const page = (request: FastifyRequest, reply: FastifyReply, form?: Parameters<typeof referralPage>[4]) =>
    referralPage(db, app.clock.now(), request, reply, form);

  app.get('/worklist/:id', { config: { access: SERVICE } }, async (request, reply) => page(request, reply));

  for (const { path, schema, toAction, anchors } of ACTIONS) {
    app.post(`/worklist/:id/${path}`, { config: { access: SERVICE } }, async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const values = { ...body, form: path };
      const parsed = schema.safeParse(body);
      if (!parsed.success)
        return page(request, reply.code(400), { errors: formErrors(parsed.error, anchors), values });
      const id = (request.params as { id: string }).id;
      try {
        await actOnReferral(
          db,
          staffOf(request),
          id,
          toAction(parsed.data),
          { maxFailedAttempts: config.maxFailedContactAttempts, now: app.clock.now() },
          request.id,
        );
      } catch (err) {
        if (err instanceof HttpError && err.status === 409) {
          const errors = { list: [{ text: err.message, href: '#actions' }], fields: {} };
          return page(request, reply.code(409), { errors, values });
        }
        throw err;
      }
      return reply.redirect(`/worklist/${id}`, 303);
    });
  }
}

function ageFrom(dob: string, now: Date): number {
  const [y, m, d] = dob.split('-').map(Number) as [number, number, number];
  let age = now.getFullYear() - y;
  if (now.getMonth() + 1 < m || (now.getMonth() + 1 === m && now.getDate() < d)) age--;
  return age;
}
