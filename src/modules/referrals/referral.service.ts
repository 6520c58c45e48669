import type { Database, Executor } from '../../db/database.ts';
import { ENGLAND_TODAY } from '../../db/england-date.sql.ts';
import { recordStepCodes, stepCodeValues, type StepLink } from '../../platform/clinical-code-log.ts';
import type { ClinicalStep } from '../../platform/step-codes.ts';
import { audit, auditMany } from '../../platform/audit.ts';
import { HttpError, notFound } from '../../platform/errors.ts';
import { pageOf } from '../../platform/pagination.ts';
import type { Actor, StaffUser } from '../../platform/roles.ts';
import { referralScope } from '../../platform/scope.ts';
import type { PostcodeLookup } from '../../platform/postcode-lookup.ts';
import { campaignForCode } from './campaign-code.service.ts';
import type { IsoDate } from '../../platform/dates.ts';
import { dueFromDay, planReferrerUpdates } from './referrer-updates.service.ts';
import { planReferralWebhooks } from './webhook-delivery.service.ts';
import * as repo from './referral.repository.ts';
import {
  eventsForAccept,
  eventsForContactAttempt,
  eventsForDecline,
  isTransitionError,
  type ContactOutcome,
  type DeclineReason,
  type NewEvent,
} from './referral-status.ts';
import type { AdviceOnlyInput, AskedOnlyInput, ReferralInput } from './referral.schemas.ts';
import { IdempotencyKeyReused, sameRequest, type Idempotency } from './idempotency.ts';
import {
  decideWhereToSend,
  notHeldMessage,
  type CommissionedService,
  whereaboutsOf,
  type SendDecision,
  type SendKind,
  type Signpost,
  type Whereabouts,
} from './where-to-send.ts';

// What other modules may use of the referrals' storage: a self-referral is saved by the same statement,
// and an episode reads its referral's events.
export { insertReferral, loadEvents } from './referral.repository.ts';

export type ReferralDeps = {
  db: Database;
  postcodes: PostcodeLookup;
  /**
   * Where routing reads the service an authority commissions today: the app hands in the directory's copy
   * in memory (directory-cache.service.ts, checked against the directory's stamp on each request, as the
   * finder's results are), so a referral costs one single-row read there rather than the look-up's joins
   * planned afresh. Without it, or when `db` is a transaction, the database is asked.
   */
  commissioned?: CommissionedServiceLookup;
};

/**
 * A referral that cannot be held in Mortar: the form shows it against the postcode, the API as a 422
 * problem document whose `reason` is the decision's kind and, where the person should go instead,
 * `contact` holds that service's details.
 */
export class RoutingError extends HttpError {
  readonly reason: SendKind;
  readonly decision: SendDecision;
  constructor(decision: SendDecision, message: string) {
    super(422, 'The referral cannot be routed', message, {
      field: 'postcode',
      reason: decision.kind,
      ...contactOf(decision),
    });
    this.reason = decision.kind;
    this.decision = decision;
  }
}

/** The details a problem document gives of the service to contact instead. */
function contactOf(d: SendDecision) {
  if (d.kind === 'national_service') {
    const { name, phone, website } = d.service;
    return { contact: { name, phone, email: null, website } };
  }
  if (d.kind === 'contact_directly') {
    const { phone, email, website } = d.service.contact;
    return { contact: { name: d.service.name, phone, email, website } };
  }
  return {};
}

/** Where support is for a postcode: the one decision the finder, both forms and the API use. */
export async function decideForPostcode(deps: ReferralDeps, postcode: string): Promise<SendDecision> {
  const found = deps.postcodes.lookup(postcode);
  // Inside a transaction the look-up reads through it: the copy would need a connection of its own, and
  // the embedded database has one, held by the transaction.
  const lookup = deps.db.isTransaction ? undefined : deps.commissioned;
  return decideForWhereabouts(deps.db, whereaboutsOf(postcode, found), lookup);
}

/** The service an authority commissions today, as routing sees it; undefined when none is. */
export type CommissionedServiceLookup = (
  localAuthorityCode: string,
) => Promise<CommissionedService | undefined>;

/** Reads the commissioned service from the database (the finder hands in its cached copy instead). */
export const commissionedServiceLookup =
  (db: Database): CommissionedServiceLookup =>
  (localAuthorityCode) =>
    repo.commissionedServiceAt(db, localAuthorityCode);

/** The decision for a place already located (the finder's part of a postcode, say). */
export async function decideForWhereabouts(
  db: Database,
  where: Whereabouts,
  lookup: CommissionedServiceLookup = commissionedServiceLookup(db),
): Promise<SendDecision> {
  const la = where.known ? where.localAuthorityCode : null;
  const service = la ? await lookup(la) : undefined;
  return decideWhereToSend(where, service);
}

export type Route = { postcode: string; localAuthorityCode: string; serviceOrganisationId: string };

/** The service that holds a referral from this postcode; a RoutingError when none does in Mortar. */
export async function routeByPostcode(deps: ReferralDeps, postcode: string): Promise<Route> {
  const decision = await decideForPostcode(deps, postcode);
  if (decision.kind !== 'refer_in_mortar') {
    throw new RoutingError(decision, notHeldMessage(decision, 'staff') ?? '');
  }
  return {
    postcode: deps.postcodes.lookup(postcode)?.postcode ?? postcode,
    localAuthorityCode: decision.localAuthorityCode,
    serviceOrganisationId: decision.service.organisationId,
  };
}

const actorUserId = (actor: Actor) => (actor.kind === 'user' ? actor.id : null);

/** An advice record: who asked, what the person said, and what followed. Nothing that identifies them. */
async function insertAdviceRecord(
  deps: ReferralDeps,
  actor: Actor,
  input: Pick<AdviceOnlyInput, 'smokingStatus' | 'vapingStatus'>,
  outcome: {
    advice_given: boolean;
    outcome: 'declined' | 'asked_only' | 'signposted';
    signposted_service?: Signpost['national'];
    signposted_organisation_id?: string | null;
  },
): Promise<{ adviceId: string }> {
  const row = await deps.db
    .insertInto('advice_records')
    .values({
      organisation_id: actor.organisationId,
      user_id: actorUserId(actor),
      api_key_id: actor.kind === 'api' ? actor.keyId : null,
      local_authority_code: actor.localAuthorityCode,
      smoking_status: input.smokingStatus,
      vaping_status: input.vapingStatus,
      ...outcome,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAdviceCodes(deps.db, { adviceRecordId: row.id }, input, ADVICE_STEPS[outcome.outcome]);
  return { adviceId: row.id };
}

/** After the status the referrer recorded: the advice they gave, and the referral or its refusal. */
const ADVICE_STEPS = {
  asked_only: [],
  signposted: [{ kind: 'vba_given' }],
  declined: [{ kind: 'vba_given' }, { kind: 'referral_declined' }],
  referred: [{ kind: 'vba_given' }, { kind: 'referral_made' }],
} as const satisfies Record<string, readonly ClinicalStep[]>;

/** The referrer's own steps: the smoking status they recorded, then what followed. */
const adviceSteps = (
  input: Pick<AdviceOnlyInput, 'smokingStatus' | 'vapingStatus'>,
  after: readonly ClinicalStep[],
): ClinicalStep[] => [{ kind: 'smoking_status_at_referral', ...input }, ...after];

/** The codes for the referrer's own steps, taken now (platform/step-codes.ts decides which codes). */
async function recordAdviceCodes(
  db: Executor,
  link: StepLink,
  input: Pick<AdviceOnlyInput, 'smokingStatus' | 'vapingStatus'>,
  after: readonly ClinicalStep[],
) {
  for (const step of adviceSteps(input, after)) await recordStepCodes(db, link, step, ENGLAND_TODAY);
}

/** Asked about smoking, and the person does not smoke: the asking is counted, nothing about them is kept. */
export async function recordAskedOnly(deps: ReferralDeps, actor: Actor, input: AskedOnlyInput) {
  return insertAdviceRecord(deps, actor, input, { advice_given: false, outcome: 'asked_only' });
}

/**
 * Very Brief Advice given, and the person given the details of a service that does not take referrals
 * in Mortar: counted with where they were sent, and nothing about the person is kept.
 */
export async function recordSignposted(
  deps: ReferralDeps,
  actor: Actor,
  input: Pick<AdviceOnlyInput, 'smokingStatus' | 'vapingStatus'>,
  signpost: Signpost,
) {
  return insertAdviceRecord(deps, actor, input, {
    advice_given: true,
    outcome: 'signposted',
    signposted_service: signpost.national,
    signposted_organisation_id: signpost.organisationId,
  });
}

/** A signposting record the user's organisation made, with where it sent the person; undefined otherwise. */
export async function findSignposted(db: Database, actor: Actor, id: string) {
  return repo.findSignpostedAdvice(db, actor.organisationId, id);
}

/** Very Brief Advice given, referral declined: counted, and nothing about the person is kept. */
export async function recordAdviceOnly(deps: ReferralDeps, actor: Actor, input: AdviceOnlyInput) {
  return insertAdviceRecord(deps, actor, input, { advice_given: true, outcome: 'declined' });
}

export async function createReferral(
  deps: ReferralDeps,
  actor: Actor,
  input: ReferralInput,
  requestId?: string,
  idempotency?: Idempotency,
): Promise<{ id: string; reference: string; serviceName: string; replayed: boolean }> {
  // Only a key holder's request names itself; the same key with another body is refused, not answered.
  const idem = actor.kind === 'api' ? idempotency : undefined;
  const replay = async () => {
    if (!idem || actor.kind !== 'api') return undefined;
    const done = await repo.findByIdempotencyKey(deps.db, actor.keyId, idem.key);
    if (done && !sameRequest(done.idempotency_fingerprint, idem)) throw new IdempotencyKeyReused();
    return done && { id: done.id, reference: done.reference, serviceName: done.service_name, replayed: true };
  };
  const earlier = await replay();
  if (earlier) return earlier;
  const route = await routeByPostcode(deps, input.postcode);
  // An unknown code is refused (CampaignCodeError): a mistyped code would otherwise be lost to its campaign.
  const campaign = await campaignForCode(deps.db, input.campaignCode);
  return repo
    .insertReferral(deps.db, {
      actor: {
        organisationId: actor.organisationId,
        userId: actorUserId(actor),
        apiKeyId: actor.kind === 'api' ? actor.keyId : null,
        localAuthorityCode: actor.localAuthorityCode,
      },
      source: actor.kind === 'api' ? 'api' : 'staff',
      serviceOrganisationId: route.serviceOrganisationId,
      localAuthorityCode: route.localAuthorityCode,
      postcode: route.postcode,
      input,
      requestId: requestId ?? null,
      idempotency: idem ?? null,
      campaignId: campaign?.id ?? null,
      // Written by the same statement, so the codes commit with the referral (one commit, not four).
      stepCodes: stepCodeValues(adviceSteps(input, ADVICE_STEPS.referred)),
    })
    .then((row) => ({ id: row.id, reference: row.reference, serviceName: row.service_name, replayed: false }))
    .catch(async (err: unknown) => {
      // Two retries racing: the loser is answered with the winner's referral, as a replay.
      if ((err as { code?: string }).code === '23505' && idem) {
        const winner = await replay();
        if (winner) return winner;
      }
      throw err;
    });
}

/** A referral with its history, for whoever may see it; the read is audited. */
export async function viewReferral(db: Database, actor: Actor, id: string, requestId?: string) {
  const scope = referralScope(actor);
  const referral = await repo.findReferral(db, scope, id);
  if (!referral) throw notFound('Referral not found');
  const events = await repo.loadEvents(db, id);
  await audit(db, actor, { action: 'view', entityType: 'referral', entityId: id }, requestId);
  return { referral, events, scope };
}

/** The referrals a person or system may list, narrowed by the filter; each one listed is audited. */
export async function listReferralsAudited(
  db: Database,
  actor: Actor,
  filter: repo.ListFilter,
  requestId?: string,
) {
  const rows = await repo.listReferrals(db, referralScope(actor), filter);
  await auditMany(
    db,
    actor,
    'list',
    'referral',
    rows.map((r) => r.id),
    requestId,
  );
  return rows;
}

/**
 * Whole referrals with their events, for an API that answers whole records (FHIR searches), and how many
 * match in all; each one listed is audited as a list.
 */
export async function searchReferralsAudited(
  db: Database,
  actor: Actor,
  filter: repo.ListFilter,
  requestId?: string,
) {
  const scope = referralScope(actor);
  const total = await repo.countReferrals(db, scope, filter);
  const listed = await listReferralsAudited(db, actor, filter, requestId);
  const found = [];
  for (const { id } of listed) {
    const referral = await repo.findReferral(db, scope, id);
    if (referral) found.push({ referral, events: await repo.loadEvents(db, id), scope });
  }
  return { total, found };
}

/** One page of the referrals a person may list, with the page's numbers; each one listed is audited. */
export async function pageOfReferrals(
  db: Database,
  actor: Actor,
  filter: repo.ListFilter,
  requestedPage: number,
  requestId?: string,
) {
  const page = pageOf(await repo.countReferrals(db, referralScope(actor), filter), requestedPage);
  const rows = await listReferralsAudited(
    db,
    actor,
    { ...filter, limit: page.limit, offset: page.offset },
    requestId,
  );
  return { page, rows };
}

export type ServiceAction =
  | { kind: 'contact'; outcome: ContactOutcome; note?: string | undefined }
  | { kind: 'accept'; note?: string | undefined }
  | { kind: 'decline'; reason: DeclineReason; note?: string | undefined };

/** An adviser's action on a referral their service received. Rules live in referral-status.ts. */
export async function actOnReferral(
  db: Database,
  user: StaffUser,
  id: string,
  action: ServiceAction,
  rules: { maxFailedAttempts: number; now: Date },
  requestId?: string,
): Promise<void> {
  const { maxFailedAttempts } = rules;
  const scope = referralScope(user);
  if (scope.view !== 'service') throw notFound('Referral not found');
  await db.transaction().execute(async (trx) => {
    const referral = await repo.findReferral(trx, scope, id);
    if (!referral) throw notFound('Referral not found');
    await repo.lockReferral(trx, id);
    const events = await repo.loadEvents(trx, id);
    const next =
      action.kind === 'contact'
        ? eventsForContactAttempt(events, action.outcome, maxFailedAttempts)
        : action.kind === 'accept'
          ? eventsForAccept(events)
          : eventsForDecline(events, action.reason);
    if (isTransitionError(next)) throw new HttpError(409, 'This change cannot be made', next.error);
    const withNote: (NewEvent & { note?: string | null })[] = next.map((e, i) =>
      i === 0 ? { ...e, note: action.note ?? null } : e,
    );
    const appended = await repo.appendEvents(trx, id, withNote, user.id);
    await planReferrerUpdates(trx, id, events, next, rules.now);
    await planReferralWebhooks(trx, id, appended);
    await audit(
      trx,
      user,
      { action: 'update', entityType: 'referral', entityId: id, detail: next.map((e) => e.kind).join(',') },
      requestId,
    );
  });
}

/**
 * Progress from treatment flows back to the referral (closed loop): quit date set, outcome recorded.
 * Called by the treatment module inside its own transaction, with England's date, so the referrer's
 * update email (when they asked for one and the person agreed) is planned with the event.
 */
export async function recordReferralProgress(
  db: Parameters<typeof repo.appendEvents>[0],
  referralId: string,
  kind: 'quit_date_set' | 'outcome_recorded' | 'closed',
  reason: string | null,
  actorUserId: string | null,
  today: IsoDate,
): Promise<void> {
  const earlier = await repo.loadEvents(db, referralId);
  const appended = await repo.appendEvents(
    db,
    referralId,
    [{ kind, ...(reason ? { reason } : {}) }],
    actorUserId,
  );
  await planReferrerUpdates(db, referralId, earlier, [{ kind }], dueFromDay(today));
  await planReferralWebhooks(db, referralId, appended);
}

/** The parts of a referral an episode starts from, for the receiving service only. */
export async function referralForEpisode(db: Database, user: StaffUser, id: string) {
  const scope = referralScope(user);
  if (scope.view !== 'service') throw notFound('Referral not found');
  const referral = await repo.findReferral(db, scope, id);
  if (!referral) throw notFound('Referral not found');
  return referral;
}

export async function linkReferralToPerson(
  db: Parameters<typeof repo.appendEvents>[0],
  referralId: string,
  personId: string,
) {
  await db.updateTable('referrals').set({ person_id: personId }).where('id', '=', referralId).execute();
}
