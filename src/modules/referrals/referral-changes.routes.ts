// The referrer's changes to a referral they sent (referral-changes.service.ts): correcting the person's
// contact details, and withdrawing it, each with a reason, until the service accepts it. Mistakes and a
// refusal come back on the page in the NHS error summary with what was typed.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { HttpError } from '../../platform/errors.ts';
import { setFlash } from '../../platform/flash.ts';
import { formErrors, type FormErrors } from '../../platform/forms.ts';
import { formValues } from './referral-form.ts';
import { changeReferral, type ReferrerChange } from './referral-changes.service.ts';
import { correctionSchema, withdrawSchema } from './referral-changes.schemas.ts';
import { REFERRER_CHANGE_REFUSED, referrerMayChange } from './referral-status.ts';
import type { ReferralRow } from './referral.repository.ts';
import { viewReferral } from './referral.service.ts';
import { REFERRER } from './referral.routes.ts';

type Which = 'change-details' | 'withdraw';
type Values = Record<string, unknown>;

const TITLES: Record<Which, string> = {
  'change-details': 'Correct their contact details',
  withdraw: 'Withdraw the referral',
};
const DONE: Record<Which, string> = {
  'change-details': 'The contact details have been corrected. The service can see the change.',
  withdraw: 'The referral has been withdrawn. The service can see why.',
};

const refusal = (text: string): FormErrors => ({ list: [{ text, href: '#change' }], fields: {} });

function show(reply: FastifyReply, which: Which, referral: ReferralRow, values: Values, errors?: FormErrors) {
  const allowed = referrerMayChange(referral.status);
  return reply.page(`referrals/views/${which}.njk`, {
    title: TITLES[which],
    backHref: `/referrals/${referral.id}`,
    referral,
    values,
    allowed,
    errors: errors ?? (allowed ? undefined : refusal(REFERRER_CHANGE_REFUSED)),
  });
}

function parse(which: Which, referral: ReferralRow, body: Values) {
  if (which === 'withdraw') {
    const parsed = withdrawSchema.safeParse(body);
    return parsed.success
      ? { change: { kind: 'withdraw', ...parsed.data } as ReferrerChange }
      : { errors: formErrors(parsed.error) };
  }
  const parsed = correctionSchema(referral.contact_methods).safeParse(body);
  return parsed.success
    ? { change: { kind: 'correct', ...parsed.data } as ReferrerChange }
    : { errors: formErrors(parsed.error) };
}

async function send(db: Database, which: Which, request: FastifyRequest, reply: FastifyReply) {
  const user = staffOf(request);
  const id = (request.params as { id: string }).id;
  // Showing the form again shows the referral: a read like any other, audited by viewReferral.
  const { referral } = await viewReferral(db, user, id, request.id);
  const body = (request.body ?? {}) as Values;
  const values = formValues(body);
  const parsed = parse(which, referral, body);
  if (!parsed.change) return show(reply.code(400), which, referral, values, parsed.errors);
  try {
    await changeReferral(db, user, referral.id, parsed.change, request.id);
  } catch (err) {
    if (!(err instanceof HttpError) || err.status !== 409) throw err;
    return show(reply.code(409), which, referral, values, refusal(err.message));
  }
  setFlash(reply, DONE[which]);
  return reply.redirect(`/referrals/${referral.id}`, 303);
}

export function registerReferralChangeRoutes(app: FastifyInstance, { db }: { db: Database }) {
  const config = { access: REFERRER };
  for (const which of ['change-details', 'withdraw'] as const) {
    app.get(`/referrals/:id/${which}`, { config }, async (request, reply) => {
      const id = (request.params as { id: string }).id;
      const { referral } = await viewReferral(db, staffOf(request), id, request.id);
      const values =
        which === 'change-details' ? { phone: referral.phone ?? '', email: referral.email ?? '' } : {};
      return show(reply, which, referral, values);
    });
    app.post(`/referrals/:id/${which}`, { config }, (request, reply) => send(db, which, request, reply));
  }
}
