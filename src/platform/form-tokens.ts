import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import { HttpError } from './errors.ts';
import { registerJob } from './jobs.ts';
import { hashToken, newToken } from './tokens.ts';

// A form that makes a record carries a one-time token in a hidden field, made when the form is shown.
// The submission that makes the record claims the token in the same transaction; the same form sent
// again (a double click, a retry after a slow answer) finds it claimed and goes where the first went,
// so one form makes one record. It needs no JavaScript. A form sent without a token (an old page, a
// program) is handled as before. Tokens are not secrets: only a hash is kept, and a claim is tied to
// the form and the signed-in user, so nobody is sent to someone else's record.

/** The hidden field every such form carries. */
export const FORM_TOKEN_FIELD = 'formToken';

const TOKEN = /^[A-Za-z0-9_-]{32,64}$/;

/** Kept long enough to catch any resubmission of a form that was actually sent. */
export const FORM_TOKEN_DAYS = 7;

export const newFormToken = () => newToken(24);

/** The token a submission carried, if it looks like one of ours. */
export function submittedFormToken(body: Record<string, unknown>): string | undefined {
  const v = body[FORM_TOKEN_FIELD];
  return typeof v === 'string' && TOKEN.test(v) ? v : undefined;
}

/** The token to put in a form shown again after an error: the one it had, so a later repeat is caught. */
export const formTokenFor = (body: Record<string, unknown>) => submittedFormToken(body) ?? newFormToken();

export type FormClaim = {
  /** Which form: a token made for one cannot be spent on another. */
  form: string;
  token: string | undefined;
  /** The signed-in user, or null for a public form. */
  userId: string | null;
};

export type Earlier = { location: string; detail: string | null };

async function earlier(db: Kysely<DB>, claim: FormClaim & { token: string }): Promise<Earlier | undefined> {
  const row = await db
    .selectFrom('form_tokens')
    .select(['form', 'user_id', 'location', 'detail'])
    .where('token_hash', '=', hashToken(claim.token))
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.form !== claim.form || row.user_id !== claim.userId || !row.location) {
    throw new HttpError(409, 'This form has already been sent', 'Open the form again to send another.');
  }
  return { location: row.location, detail: row.detail };
}

/** Where the first submission of this form went, if it has been sent: checked before any other work. */
export async function sentBefore(db: Kysely<DB>, claim: FormClaim): Promise<Earlier | undefined> {
  return claim.token ? earlier(db, { ...claim, token: claim.token }) : undefined;
}

export type Once<T> = { replayed: false; location: string; value: T } | ({ replayed: true } & Earlier);

/**
 * Makes the form's record once. `make` runs in a transaction that has claimed the token and returns the
 * page the submission leads to; if another submission of the same form claimed it first (a concurrent
 * one waits for it to commit), nothing is made and the earlier answer is returned. An error in `make`
 * rolls the claim back with the record, so the form can be corrected and sent again.
 */
export async function makeOnce<T>(
  db: Kysely<DB>,
  claim: FormClaim,
  make: (trx: Transaction<DB>) => Promise<{ location: string; value: T }>,
): Promise<Once<T>> {
  return db.transaction().execute(async (trx) => {
    const { token } = claim;
    if (token) {
      const claimed = await trx
        .insertInto('form_tokens')
        .values({ token_hash: hashToken(token), form: claim.form, user_id: claim.userId, location: null })
        .onConflict((oc) => oc.column('token_hash').doNothing())
        .returning('token_hash')
        .executeTakeFirst();
      if (!claimed) {
        const first = await earlier(trx, { ...claim, token });
        if (first) return { replayed: true, ...first } as const;
      }
    }
    const made = await make(trx);
    if (token) {
      await trx
        .updateTable('form_tokens')
        .set({ location: made.location })
        .where('token_hash', '=', hashToken(token))
        .execute();
    }
    return { replayed: false, location: made.location, value: made.value } as const;
  });
}

/** Keeps what the first answer gave the browser besides the redirect, to give it to a repeat too. */
export async function rememberDetail(db: Kysely<DB>, token: string | undefined, detail: string) {
  if (!token) return;
  await db.updateTable('form_tokens').set({ detail }).where('token_hash', '=', hashToken(token)).execute();
}

export async function purgeFormTokens(db: Kysely<DB>, now: Date): Promise<number> {
  const r = await db
    .deleteFrom('form_tokens')
    .where('used_at', '<', sql<Date>`${now}::timestamptz - make_interval(days => ${FORM_TOKEN_DAYS})`)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

registerJob({ name: 'purge-form-tokens', run: (trx, clock) => purgeFormTokens(trx, clock.now()) });
