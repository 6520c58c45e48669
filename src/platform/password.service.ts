import type { Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import { audit } from './audit.ts';
import { sendSafely, type Notifier, type NotifyLogger } from './notify.ts';
import { hashPassword } from './passwords.ts';
import type { StaffUser } from './roles.ts';
import { destroyUserSessions } from './sessions.ts';
import { throttleKeys } from './sign-in.service.ts';
import { hashToken, newToken } from './tokens.ts';

// Changing a password (signed in, knowing the current one) and resetting it by a one-time link sent
// to the account's email address. The link's token is stored only as its hash, works once, and only
// for RESET_LINK_MINUTES. Asking for a link answers the same whether or not the account exists.

export const RESET_LINK_MINUTES = 30;
/** Links sent to one account in an hour, at most: enough for a lost email, too few to flood an inbox. */
export const RESET_LINKS_PER_HOUR = 3;
const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

/** A new password: every session of the account ends, and every reset link still out stops working. */
async function setPassword(trx: Transaction<DB>, userId: string, passwordHash: string, now: Date) {
  await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
  await trx
    .updateTable('password_resets')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute();
  await destroyUserSessions(trx, userId);
}

/**
 * Sets a new password for a signed-in user who has just given the current one. Every session of theirs
 * ends (the caller starts a new one for this browser), and any reset link not yet used stops working.
 */
export async function changePassword(
  db: Database,
  user: StaffUser,
  password: string,
  now: Date,
  requestId?: string,
): Promise<void> {
  const passwordHash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    await setPassword(trx, user.id, passwordHash, now);
    await audit(
      trx,
      user,
      { action: 'update', entityType: 'user', entityId: user.id, detail: 'changed their password' },
      requestId,
    );
  });
}

export type ResetRequest = {
  email: string;
  /** The address people reach Mortar at (PUBLIC_URL), never the request's Host header. */
  publicUrl: string;
  now: Date;
  requestId?: string;
};

/**
 * Sends a reset link if an active account has this email address and it has not had too many in the
 * last hour; otherwise does nothing. Says nothing either way: the caller answers the same in every case.
 */
export async function requestPasswordReset(
  db: Database,
  notifier: Notifier,
  log: NotifyLogger,
  req: ResetRequest,
): Promise<'sent' | 'not sent'> {
  const user = await db
    .selectFrom('users as u')
    .innerJoin('organisations as o', 'o.id', 'u.organisation_id')
    .select(['u.id', 'u.email'])
    .where((eb) => eb(eb.fn('lower', ['u.email']), '=', req.email.trim().toLowerCase()))
    .where('u.active', '=', true)
    .where('o.active', '=', true)
    .executeTakeFirst();
  if (!user) return 'not sent';
  const token = newToken();
  const issued = await db.transaction().execute(async (trx) => {
    // The account's row is locked so two requests at once cannot both pass the hourly count.
    await trx.selectFrom('users').select('id').where('id', '=', user.id).forUpdate().execute();
    const recent = await trx
      .selectFrom('password_resets')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('user_id', '=', user.id)
      .where('created_at', '>', new Date(req.now.getTime() - 3600_000))
      .executeTakeFirstOrThrow();
    if (Number(recent.n) >= RESET_LINKS_PER_HOUR) return false;
    await trx
      .insertInto('password_resets')
      .values({
        user_id: user.id,
        token_hash: hashToken(token),
        created_at: req.now,
        expires_at: new Date(req.now.getTime() + RESET_LINK_MINUTES * 60_000),
      })
      .execute();
    await audit(
      trx,
      null,
      { action: 'create', entityType: 'password_reset', entityId: user.id, detail: 'reset link sent' },
      req.requestId,
    );
    return true;
  });
  if (!issued) return 'not sent';
  const sent = await sendSafely(
    notifier,
    {
      to: { email: user.email },
      template: 'password_reset',
      personalisation: {
        link: `${req.publicUrl}/reset-password?token=${token}`,
        minutes: String(RESET_LINK_MINUTES),
      },
    },
    log,
  );
  return sent.ok ? 'sent' : 'not sent';
}

/** Whether a reset link can still be used. */
export async function resetLinkUsable(db: Database, token: unknown, now: Date): Promise<boolean> {
  if (typeof token !== 'string' || !TOKEN.test(token)) return false;
  const row = await db
    .selectFrom('password_resets as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select('r.id')
    .where('r.token_hash', '=', hashToken(token))
    .where('r.used_at', 'is', null)
    .where('r.expires_at', '>', now)
    .where('u.active', '=', true)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Sets a new password through a reset link, which is used up in the same transaction: of two tries at
 * once, one wins. Ends every session of the account and clears the waits its wrong passwords made.
 * False when the link cannot be used (unknown, used, expired, or the account disabled).
 */
export async function resetPassword(
  db: Database,
  token: string,
  password: string,
  now: Date,
  requestId?: string,
): Promise<boolean> {
  if (!TOKEN.test(token)) return false;
  const passwordHash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    const used = await trx
      .updateTable('password_resets as r')
      .from('users as u')
      .set({ used_at: now })
      .whereRef('u.id', '=', 'r.user_id')
      .where('r.token_hash', '=', hashToken(token))
      .where('r.used_at', 'is', null)
      .where('r.expires_at', '>', now)
      .where('u.active', '=', true)
      .returning(['r.user_id', 'u.email'])
      .executeTakeFirst();
    if (!used) return false;
    await setPassword(trx, used.user_id, passwordHash, now);
    // The owner proved they hold the mailbox: waits from someone else's guesses no longer apply to them.
    await trx
      .deleteFrom('sign_in_throttle')
      .where('key', '=', throttleKeys(used.email, '').account)
      .execute();
    await audit(
      trx,
      null,
      {
        action: 'update',
        entityType: 'user',
        entityId: used.user_id,
        detail: 'reset their password with a link',
      },
      requestId,
    );
    return true;
  });
}

/** Deletes reset links a day after they expired (the hourly count needs only the last hour's). */
export async function purgePasswordResets(db: Pick<Database, 'deleteFrom'>, now: Date): Promise<number> {
  const r = await db
    .deleteFrom('password_resets')
    .where('expires_at', '<=', new Date(now.getTime() - 24 * 3600_000))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
