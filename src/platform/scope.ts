import { forbidden } from './errors.ts';
import type { Actor } from './roles.ts';

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
 * edits their own service's, a commissioner those of the services their authority commissions today,
 * an administrator every one. Nobody else edits the directory (everyone may read what is published).
 */
export type DirectoryEditScope =
  | { kind: 'all' }
  | { kind: 'organisation'; organisationId: string }
  | { kind: 'commissioned_by'; localAuthorityCode: string };

export function directoryEditScope(actor: Actor): DirectoryEditScope {
  if (actor.kind === 'user') {
    if (actor.role === 'administrator') return { kind: 'all' };
    if (actor.role === 'service_manager') return { kind: 'organisation', organisationId: actor.organisationId };
    if (actor.role === 'commissioner' && actor.localAuthorityCode) {
      return { kind: 'commissioned_by', localAuthorityCode: actor.localAuthorityCode };
    }
  }
  throw forbidden();
}
