import { forbidden } from './errors.ts';
import type { Actor, Role } from './roles.ts';

// The one place that decides whose records an actor may see. Repositories take the scope and apply it to
// every query; routes never build their own filters on organisation.

/**
 * Referrals: the referring organisation sees what it sent; the receiving stop smoking service sees what
 * it was sent. Nobody else sees a referral's personal details (commissioners and analysts get counts).
 */
export type ReferralScope =
  | { view: 'referrer'; column: 'referrer_organisation_id'; organisationId: string }
  | { view: 'service'; column: 'service_organisation_id'; organisationId: string };

export function referralScope(actor: Actor): ReferralScope {
  if (actor.kind === 'api' || actor.role === 'referrer') {
    return { view: 'referrer', column: 'referrer_organisation_id', organisationId: actor.organisationId };
  }
  if (actor.role === 'adviser' || actor.role === 'service_manager') {
    return { view: 'service', column: 'service_organisation_id', organisationId: actor.organisationId };
  }
  throw forbidden();
}

/** Aggregate counts: a commissioner sees their own authority, an analyst every authority. */
export type AreaScope = { kind: 'all' } | { kind: 'local_authority'; code: string };

export function areaScope(actor: Actor): AreaScope {
  if (actor.kind === 'user' && actor.role === 'national_analyst') return { kind: 'all' };
  if (actor.kind === 'user' && actor.role === 'commissioner' && actor.localAuthorityCode) {
    return { kind: 'local_authority', code: actor.localAuthorityCode };
  }
  throw forbidden();
}

/**
 * Service costs for the funding case: a commissioner reads and records the costs of the services in their
 * own authority; a national analyst reads every authority's (areaScope) and records none.
 */
export const mayEnterCostsFor = (scope: AreaScope, serviceAuthority: string | null): boolean =>
  scope.kind === 'local_authority' && scope.code === serviceAuthority;

/**
 * Local strategies and their targets: a commissioner reads and edits their own authority's; a national
 * analyst reads every authority's and edits none. Nobody else sees them.
 */
export type StrategyScope =
  { kind: 'all'; edits: null } | { kind: 'local_authority'; code: string; edits: string };

export function strategyScope(actor: Actor): StrategyScope {
  const area = areaScope(actor);
  return area.kind === 'all'
    ? { kind: 'all', edits: null }
    : { kind: 'local_authority', code: area.code, edits: area.code };
}

export const mayReadStrategyOf = (scope: StrategyScope, code: string) =>
  scope.kind === 'all' || scope.code === code;
export const mayEditStrategyOf = (scope: StrategyScope, code: string) => scope.edits === code;

/**
 * Partners of an authority's whole-system response, their staff training and smokefree policies: the
 * authority's commissioner sees and edits its own; a national analyst reads every authority's; nobody
 * else sees them.
 */
export type PartnerScope =
  { kind: 'all'; canEdit: false } | { kind: 'local_authority'; code: string; canEdit: true };

export function partnerScope(actor: Actor): PartnerScope {
  if (actor.kind === 'user' && actor.role === 'national_analyst') return { kind: 'all', canEdit: false };
  if (actor.kind === 'user' && actor.role === 'commissioner' && actor.localAuthorityCode) {
    return { kind: 'local_authority', code: actor.localAuthorityCode, canEdit: true };
  }
  throw forbidden();
}

/**
 * People and treatment episodes belong to the stop smoking service that runs them: its advisers and
 * managers see them, nobody else.
 */
export type ServiceScope = { organisationId: string };

export function serviceScope(actor: Actor): ServiceScope {
  if (actor.kind === 'user' && (actor.role === 'adviser' || actor.role === 'service_manager')) {
    return { organisationId: actor.organisationId };
  }
  throw forbidden();
}

/**
 * The public service directory: who may edit which stop smoking service's entry. A service manager
 * edits their own service's (and an administrator their own organisation's), a commissioner those of the
 * services their authority commissions today, a national administrator every one. Nobody else edits the directory (everyone may read what is published).
 */
export type DirectoryEditScope =
  | { kind: 'all' }
  | { kind: 'organisation'; organisationId: string }
  | { kind: 'commissioned_by'; localAuthorityCode: string };

export function directoryEditScope(actor: Actor): DirectoryEditScope {
  if (actor.kind === 'user') {
    if (actor.role === 'national_administrator') return { kind: 'all' };
    if (actor.role === 'service_manager' || actor.role === 'administrator')
      return { kind: 'organisation', organisationId: actor.organisationId };
    if (actor.role === 'commissioner' && actor.localAuthorityCode) {
      return { kind: 'commissioned_by', localAuthorityCode: actor.localAuthorityCode };
    }
  }
  throw forbidden();
}

/**
 * The quarterly return of one local authority for one quarter: who may see it, at what level of detail,
 * and which steps of its sign-off they may take. `commissionedServiceIds` are the stop smoking services
 * the authority commissions in that quarter (the repository finds them).
 * - the authority's commissioner: sees it exact (it is their authority's), enters exception reasons,
 *   approves, submits, rejects a signed-off return, reopens;
 * - a service manager of a service it commissions: sees it exact, enters exception reasons, signs off,
 *   and follows the "missing data" links to their own service's episodes;
 * - a national analyst: every authority's, exact (the national collection receives exact figures);
 *   rejects a submitted return;
 * - nobody else: nothing (`see: false`, routes answer 403); on the published tables, which commissioners
 *   and analysts may read, every authority this gives `exact: false` is disclosure-controlled.
 * A return is generated from Mortar's episodes when the authority commissions a service in Mortar that
 * quarter (its commissioner or that service's manager generates it), and imported from a file when it
 * does not: by its commissioner, who then also signs it off (there is no service manager in Mortar to
 * do so), or by a national analyst loading the file the authority sent, already signed off and approved
 * outside Mortar, who gives its exception reasons and submits it straight from draft.
 */
export type ReturnAccess = {
  /** May open this authority's return, its versions and exports. */
  see: boolean;
  /** Sees this authority's figures exact; false: only as published (disclosure-controlled). */
  exact: boolean;
  generate: boolean;
  exceptionReasons: boolean;
  signOff: boolean;
  approve: boolean;
  /** The statuses from which this user may submit the return to the national collection. */
  submitFrom: readonly ('draft' | 'signed_off' | 'approved')[];
  reopen: boolean;
  /** The statuses from which this user may reject the return, with a message, back to draft. */
  rejectFrom: readonly ('signed_off' | 'submitted')[];
  import: boolean;
  /** The service whose episodes the "missing data" links may open (the user's own), or null for none. */
  episodesOf: string | null;
};

export type ReturnAuthority = { code: string; commissionedServiceIds: readonly string[] };

const NO_RETURN_ACCESS: ReturnAccess = {
  see: false,
  exact: false,
  generate: false,
  exceptionReasons: false,
  signOff: false,
  approve: false,
  submitFrom: [],
  reopen: false,
  rejectFrom: [],
  import: false,
  episodesOf: null,
};

export function returnAccess(actor: Actor, authority: ReturnAuthority): ReturnAccess {
  if (actor.kind !== 'user') return NO_RETURN_ACCESS;
  const full = { ...NO_RETURN_ACCESS, see: true, exact: true };
  const usesMortar = authority.commissionedServiceIds.length > 0;
  switch (actor.role) {
    case 'commissioner':
      if (actor.localAuthorityCode !== authority.code) return NO_RETURN_ACCESS;
      return {
        ...full,
        generate: usesMortar,
        exceptionReasons: true,
        signOff: !usesMortar,
        approve: true,
        submitFrom: ['approved'],
        reopen: true,
        rejectFrom: ['signed_off'],
        import: !usesMortar,
      };
    case 'service_manager':
      if (!authority.commissionedServiceIds.includes(actor.organisationId)) return NO_RETURN_ACCESS;
      return {
        ...full,
        generate: true,
        exceptionReasons: true,
        signOff: true,
        episodesOf: actor.organisationId,
      };
    case 'national_analyst':
      return {
        ...full,
        rejectFrom: ['submitted'],
        import: !usesMortar,
        exceptionReasons: !usesMortar,
        submitFrom: usesMortar ? [] : ['draft'],
      };
    default:
      return NO_RETURN_ACCESS;
  }
}

/**
 * An integrated-delivery return: the quarterly return of a mental health service whose own practitioners
 * run quit attempts alongside therapy (returns/return-unit.ts). No local authority commissions it, so
 * there is no commissioner's step: its service manager generates it, gives exception reasons and signs it
 * off, with the same checks as an authority's; a national analyst then submits it to the national
 * collection or rejects it (signed off or submitted) back to draft, with a message. Nobody else sees it.
 * It is always generated from Mortar's episodes (there is nothing to import).
 */
export function integratedReturnAccess(actor: Actor, serviceOrganisationId: string): ReturnAccess {
  if (actor.kind !== 'user') return NO_RETURN_ACCESS;
  const full = { ...NO_RETURN_ACCESS, see: true, exact: true };
  if (actor.role === 'service_manager' && actor.organisationId === serviceOrganisationId) {
    return {
      ...full,
      generate: true,
      exceptionReasons: true,
      signOff: true,
      episodesOf: actor.organisationId,
    };
  }
  if (actor.role === 'national_analyst') {
    return { ...full, submitFrom: ['signed_off'], rejectFrom: ['signed_off', 'submitted'] };
  }
  return NO_RETURN_ACCESS;
}

/**
 * Communications campaigns. A national analyst sees, creates and edits every campaign, regional or
 * local, and sees every result exact. A commissioner sees their own authority's local campaigns and
 * their region's regional ones, creates and edits local campaigns for their own authority only, and sees
 * exact results only for referrals routed to their own authority: what a campaign brought to any other
 * authority is disclosure-controlled (the convention of returnAccess). The repository applies `see`.
 */
export type CampaignScope = { kind: 'all' } | { kind: 'local_authority'; code: string };

export function campaignScope(actor: Actor): CampaignScope {
  return areaScope(actor);
}

/** May this scope edit a campaign of this area (or create one there)? */
export function mayEditCampaign(
  scope: CampaignScope,
  area: { regionCode: string | null; localAuthorityCode: string | null },
): boolean {
  if (scope.kind === 'all') return true;
  return area.regionCode === null && area.localAuthorityCode === scope.code;
}

/** Whether this scope sees a campaign's results for referrals routed to authority `la` exact. */
export function campaignFiguresExact(scope: CampaignScope, la: string): boolean {
  return scope.kind === 'all' || scope.code === la;
}

/**
 * Organisations, their sites, API keys and people: an administrator manages their own organisation, a
 * national administrator every one. Nobody else manages any.
 */
export type AdminScope = { kind: 'all' } | { kind: 'organisation'; organisationId: string };

export function adminScope(actor: Actor): AdminScope {
  if (actor.kind === 'user' && actor.role === 'national_administrator') return { kind: 'all' };
  if (actor.kind === 'user' && actor.role === 'administrator') {
    return { kind: 'organisation', organisationId: actor.organisationId };
  }
  throw forbidden();
}

export const mayManageOrganisation = (scope: AdminScope, organisationId: string) =>
  scope.kind === 'all' || scope.organisationId === organisationId;

/** Roles whose reach is national: only a national administrator grants them. */
export const NATIONAL_ROLES: readonly Role[] = ['national_administrator'];

export type GrantDecision = { allowed: true; national: boolean } | { allowed: false; reason: string };

/**
 * Whether `granter` may give someone `role` in organisation `organisationId` (an invitation is a grant).
 * An administrator grants roles in their own organisation only, and no national role: otherwise an
 * administrator could invite an account of their own into any service and read its patients' records.
 * Anything wider is a national administrator's, and `national: true` marks such a grant to be shown to
 * the receiving organisation's managers and administrators. Whether the role fits the organisation's
 * type is a separate rule (organisations/user.service.ts roleFitError).
 */
export function grantDecision(granter: Actor, grant: { organisationId: string; role: Role }): GrantDecision {
  if (granter.kind !== 'user') return { allowed: false, reason: 'Only administrators can give access' };
  if (granter.role === 'national_administrator') return { allowed: true, national: true };
  if (granter.role !== 'administrator') {
    return { allowed: false, reason: 'Only administrators can give access' };
  }
  if (grant.organisationId !== granter.organisationId) {
    return {
      allowed: false,
      reason: 'You can only give access to people in your own organisation. Ask a national administrator.',
    };
  }
  if (NATIONAL_ROLES.includes(grant.role)) {
    return { allowed: false, reason: 'Only a national administrator can give a national role' };
  }
  return { allowed: true, national: false };
}

/**
 * Grants of access made into an organisation: its service managers and administrators see those made
 * into it; a national administrator sees every one.
 */
export type GrantsScope = { kind: 'all' } | { kind: 'organisation'; organisationId: string };

export function grantsScope(actor: Actor): GrantsScope {
  if (actor.kind === 'user') {
    if (actor.role === 'national_administrator') return { kind: 'all' };
    if (actor.role === 'service_manager' || actor.role === 'administrator') {
      return { kind: 'organisation', organisationId: actor.organisationId };
    }
  }
  throw forbidden();
}

/**
 * The audit trail: a service manager reads the audit of the person records their service holds, whoever
 * read or changed them; an administrator (national or not) that of the records their organisation holds
 * and of everything its own people did. A referral is held by the service it was sent to and by the
 * organisation that sent it (the database view audit_subjects says which records each organisation holds).
 */
export type AuditScope = { organisationId: string; includeOwnPeople: boolean };

export function auditScope(actor: Actor): AuditScope {
  if (actor.kind === 'user') {
    if (actor.role === 'service_manager') {
      return { organisationId: actor.organisationId, includeOwnPeople: false };
    }
    if (actor.role === 'administrator' || actor.role === 'national_administrator') {
      return { organisationId: actor.organisationId, includeOwnPeople: true };
    }
  }
  throw forbidden();
}

/**
 * The national toolkit: everyone signed in reads the national documents, and a download is filled with
 * the details of their own organisation's local authority (its adopted copy, when it has one; none for
 * national organisations). Only an authority's commissioner adopts and adapts its copy.
 */
export const toolkitArea = (actor: Actor): string | null => actor.localAuthorityCode;

export function toolkitEditArea(actor: Actor): string {
  const area = areaScope(actor);
  if (area.kind !== 'local_authority') throw forbidden();
  return area.code;
}

/**
 * Outcomes compared by route of delivery (counts only, no person's details): a national analyst every
 * episode in England, a commissioner those of their authority (every route, the integrated one included),
 * a service manager their own service's (for an NHS Talking Therapies service, its integrated delivery).
 */
export type RouteOutcomesScope =
  { kind: 'all' } | { kind: 'local_authority'; code: string } | { kind: 'service'; organisationId: string };

export function routeOutcomesScope(actor: Actor): RouteOutcomesScope {
  if (actor.kind === 'user' && actor.role === 'service_manager') {
    return { kind: 'service', organisationId: actor.organisationId };
  }
  return areaScope(actor);
}
