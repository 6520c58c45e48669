import type { Database } from '../../db/database.ts';
import { OidcFailure, type OidcClients } from '../../platform/oidc-client.ts';
import type { SsoSession } from '../../platform/sessions.ts';
import type { SsoProvider } from '../../platform/sso-config.ts';
import { hashToken, newToken } from '../../platform/tokens.ts';
import {
  decideSignIn,
  emailOf,
  grantsFromClaims,
  providerAssertsMfa,
  tenantMismatch,
  type Refusal,
} from './sso-claims.ts';
import * as repo from './sso.repository.ts';
import * as userRepo from './user.repository.ts';

// Single sign-on in the database: a sign-in sent to its provider and taken back once, and what the
// provider's answer means here (sso-claims.ts decides; this carries it out and audits it).

// Long enough to sign in at the provider (a smartcard, an app), short enough to be of little use to anyone else.
const STATE_MS = 10 * 60_000;

export type SsoRefusal = Refusal | 'failed' | 'unreachable' | 'expired';

export type SsoOutcome =
  | { kind: 'signed-in'; userId: string; returnTo: string; providerMfa: boolean; sso: SsoSession }
  | { kind: 'linked'; userId: string }
  | { kind: 'refused'; reason: SsoRefusal };

type AuditRow = {
  userId: string | null;
  organisationId: string | null;
  action: 'create' | 'update' | 'view';
};

/** What happened, for the audit: the provider and the outcome; never a claim, an email or a token. */
async function auditSso(
  db: Pick<Database, 'insertInto'>,
  row: AuditRow,
  detail: string,
  requestId: string | undefined,
) {
  await db
    .insertInto('audit_events')
    .values({
      actor_user_id: row.userId,
      actor_api_key_id: null,
      organisation_id: row.organisationId,
      action: row.action,
      entity_type: row.userId ? 'user' : 'sso_sign_in',
      entity_id: row.userId,
      detail,
      request_id: requestId ?? null,
    })
    .execute();
}

const NOBODY: AuditRow = { userId: null, organisationId: null, action: 'view' };

async function refused(
  db: Database,
  provider: SsoProvider,
  reason: SsoRefusal,
  who: AuditRow,
  requestId: string | undefined,
): Promise<SsoOutcome> {
  await auditSso(db, who, `single sign-on with ${provider.id} refused: ${reason}`, requestId);
  return { kind: 'refused', reason };
}

/** Starts a sign-in (or a link to the signed-in account): the provider's address and the cookie's token. */
export async function beginSsoSignIn(
  db: Database,
  oidc: OidcClients,
  provider: SsoProvider,
  a: { redirectUri: string; returnTo: string; linkUserId: string | null; now: Date },
): Promise<{ token: string; url: string }> {
  const request = await oidc.authorizationRequest(provider, a.redirectUri);
  const token = newToken();
  await repo.insertState(db, {
    tokenHash: hashToken(token),
    providerId: provider.id,
    state: request.state,
    nonce: request.nonce,
    codeVerifier: request.codeVerifier,
    returnTo: a.returnTo,
    linkUserId: a.linkUserId,
    now: a.now,
    expiresAt: new Date(a.now.getTime() + STATE_MS),
  });
  return { token, url: request.url };
}

async function accountOf(db: Database, userId: string) {
  const u = await userRepo.findUser(db, userId);
  return u ? { userId: u.id, organisationId: u.organisation_id, role: u.role, active: u.active } : null;
}

type Finish = {
  cookieToken: string | undefined;
  callbackUrl: URL;
  /** The signed-in member of staff, when there is one: only they may finish a link they started. */
  currentUserId: string | null;
  requestId: string | undefined;
  now: Date;
};

/** Takes the provider's answer: signs in, links, makes the account an invitation promised, or refuses. */
export async function finishSsoSignIn(
  db: Database,
  oidc: OidcClients,
  provider: SsoProvider,
  f: Finish,
): Promise<SsoOutcome> {
  const refuse = (reason: SsoRefusal) => refused(db, provider, reason, NOBODY, f.requestId);
  const st = f.cookieToken ? await repo.takeState(db, hashToken(f.cookieToken), f.now) : undefined;
  if (!st || st.provider_id !== provider.id) return refuse('expired');
  if (st.link_user_id && st.link_user_id !== f.currentUserId) return refuse('expired');

  let signed;
  try {
    signed = await oidc.complete(provider, f.callbackUrl, {
      state: st.state,
      nonce: st.nonce,
      codeVerifier: st.code_verifier,
    });
  } catch (err) {
    if (!(err instanceof OidcFailure)) throw err;
    await auditSso(db, NOBODY, `single sign-on with ${provider.id} failed: ${err.message}`, f.requestId);
    return { kind: 'refused', reason: err.unreachable ? 'unreachable' : 'failed' };
  }

  return carryOut(db, provider, signed, st, f);
}

type Signed = Awaited<ReturnType<OidcClients['complete']>>;
type Taken = NonNullable<Awaited<ReturnType<typeof repo.takeState>>>;

/** Decides who the sign-in is (sso-claims.ts) and does it: sign in, link, make the account, or refuse. */
async function carryOut(
  db: Database,
  provider: SsoProvider,
  signed: Signed,
  st: Taken,
  f: Finish,
): Promise<SsoOutcome> {
  const refuse = (reason: SsoRefusal, who: AuditRow = NOBODY) =>
    refused(db, provider, reason, who, f.requestId);
  const grants = grantsFromClaims(provider.kind, signed.claims, await repo.rulesFor(db, provider.id));
  const email = emailOf(signed.claims, provider.trustEmail);
  const linked = await repo.findLinkedAccount(db, signed.issuer, signed.subject);
  const linking = st.link_user_id ? await accountOf(db, st.link_user_id) : null;
  const invitation =
    !linked && !linking && email.email ? await repo.validInvitationFor(db, email.email, f.now) : undefined;
  const decision = decideSignIn({
    grants,
    tenantMismatch: tenantMismatch(provider.kind, provider.issuer, signed.claims),
    linked,
    linking,
    email,
    invitation: invitation
      ? { id: invitation.id, organisationId: invitation.organisation_id, role: invitation.role }
      : null,
    accountWithEmail:
      !linked && !linking && email.email ? await repo.accountWithEmail(db, email.email) : false,
  });
  const sso: SsoSession = { providerId: provider.id, idToken: signed.idToken || null };
  const providerMfa = providerAssertsMfa(signed.idTokenClaims, provider.mfaAcr);
  const identity = { issuer: signed.issuer, subject: signed.subject, providerId: provider.id, now: f.now };

  switch (decision.kind) {
    case 'refuse': {
      const who = linked ?? linking;
      return refuse(decision.reason, {
        userId: who?.userId ?? null,
        organisationId: who?.organisationId ?? null,
        action: 'view',
      });
    }
    case 'link':
      await db.transaction().execute(async (trx) => {
        await repo.linkIdentity(trx, { ...identity, userId: decision.userId });
        await auditSso(
          trx,
          { userId: decision.userId, organisationId: linking!.organisationId, action: 'update' },
          `linked single sign-on with ${provider.id}`,
          f.requestId,
        );
      });
      return { kind: 'linked', userId: decision.userId };
    case 'sign-in':
      await repo.touchIdentity(db, signed.issuer, signed.subject, f.now);
      await repo.recordSignIn(db, decision.userId, f.now);
      await auditSso(
        db,
        { userId: decision.userId, organisationId: linked!.organisationId, action: 'view' },
        `signed in with ${provider.id}${providerMfa ? ', two factors at the provider' : ''}`,
        f.requestId,
      );
      return { kind: 'signed-in', userId: decision.userId, returnTo: st.return_to, providerMfa, sso };
    case 'create': {
      const userId = await createFromInvitation(
        db,
        decision.invitationId,
        email.email!,
        identity,
        f.requestId,
      );
      if (!userId) return refuse('no-invitation');
      return { kind: 'signed-in', userId, returnTo: st.return_to, providerMfa, sso };
    }
  }
}

/**
 * Makes the account an invitation promised and links it, in one transaction; null when the invitation was
 * used or replaced meanwhile, or the address was taken (two sign-ins at once).
 */
async function createFromInvitation(
  db: Database,
  invitationId: string,
  email: string,
  identity: { issuer: string; subject: string; providerId: string; now: Date },
  requestId: string | undefined,
): Promise<string | null> {
  try {
    return await db.transaction().execute(async (trx) => {
      const inv = await repo.validInvitationFor(trx, email, identity.now, true);
      if (!inv || inv.id !== invitationId || (await repo.accountWithEmail(trx, inv.email))) return null;
      const userId = await repo.insertUserWithoutPassword(trx, {
        invitationId: inv.id,
        email: inv.email,
        name: inv.name,
        role: inv.role,
        organisationId: inv.organisation_id,
        now: identity.now,
      });
      await repo.linkIdentity(trx, { ...identity, userId });
      await auditSso(
        trx,
        { userId, organisationId: inv.organisation_id, action: 'create' },
        `accepted invitation ${inv.id} by single sign-on with ${identity.providerId}`,
        requestId,
      );
      return userId;
    });
  } catch (err) {
    if ((err as { code?: string }).code === '23505') return null;
    throw err;
  }
}
