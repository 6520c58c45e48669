// "Send them the details" (send-details.service.ts): after recording that a person did not want a
// referral, the referrer texts or emails them their local service's details, at their request. The
// number or address typed is shown again only when the form has a mistake, and never kept.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { HttpError } from '../../platform/errors.ts';
import { setFlash } from '../../platform/flash.ts';
import { formErrors, type FormErrors } from '../../platform/forms.ts';
import type { Notifier } from '../../platform/notify.ts';
import type { PostcodeLookup } from '../../platform/postcode-lookup.ts';
import { UPDATE_STATUS_LABELS } from './referrer-updates.ts';
import { REFERRER } from './referral.routes.ts';
import { REFUSALS, SendDetailsSchema } from './send-details.ts';
import { adviceAndReceipts, sendDetails } from './send-details.service.ts';
import { stepCodesForAdvice } from '../../platform/clinical-code-log.ts';
import { STEP_LABELS } from '../../platform/step-codes.ts';

type Deps = { db: Database; postcodes: PostcodeLookup; config: Config; notifier: Notifier };
type Values = Record<string, unknown>;

const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;
const CHANNELS: Record<string, string> = { sms: 'Text message', email: 'Email' };

/** What was typed, to show again: strings only, never the CSRF token. */
function kept(body: Values): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['how', 'phone', 'email', 'postcode', 'agreed'])
    if (typeof body[k] === 'string') out[k] = (body[k] as string).slice(0, 300);
  return out;
}

async function form(
  db: Database,
  now: Date,
  request: FastifyRequest,
  reply: FastifyReply,
  values: Values = {},
  errors?: FormErrors,
) {
  const { refusal } = await adviceAndReceipts(db, staffOf(request), idOf(request), now);
  const shown: FormErrors | undefined =
    errors ??
    (refusal ? { list: [{ text: REFUSALS[refusal], href: '#main-content' }], fields: {} } : undefined);
  return reply.page('referrals/views/send-details.njk', {
    title: 'Send them the details',
    backHref: `/referrals/advice-recorded/${idOf(request)}`,
    adviceId: idOf(request),
    allowed: !refusal,
    values,
    errors: shown,
  });
}

/** Only the referrer's own steps are stored for advice; call after adviceAndReceipts checked it is theirs. */
async function adviceCodes(db: Database, adviceId: string) {
  return (await stepCodesForAdvice(db, adviceId)).map((c) => ({ ...c, label: STEP_LABELS[c.step] }));
}

export function registerSendDetailsRoutes(app: FastifyInstance, deps: Deps) {
  const { db } = deps;
  const config = { access: REFERRER };

  app.get('/referrals/advice-recorded/:id', { config }, async (request, reply) => {
    const { receipts, refusal } = await adviceAndReceipts(
      db,
      staffOf(request),
      idOf(request),
      app.clock.now(),
    );
    return reply.page('referrals/views/advice-recorded.njk', {
      title: 'Advice recorded',
      adviceId: idOf(request),
      canSend: !refusal,
      receipts: receipts.map((r) => ({
        label: CHANNELS[r.channel] ?? r.channel,
        status: (UPDATE_STATUS_LABELS[r.status] ?? 'Not sent').toLowerCase(),
        at: r.status_at,
      })),
      codes: await adviceCodes(db, idOf(request)),
    });
  });

  app.get('/referrals/advice-recorded/:id/send-details', { config }, async (request, reply) =>
    form(db, app.clock.now(), request, reply),
  );

  app.post('/referrals/advice-recorded/:id/send-details', { config }, async (request, reply) => {
    const now = app.clock.now();
    const body = (request.body ?? {}) as Values;
    const parsed = SendDetailsSchema.safeParse(body);
    if (!parsed.success)
      return form(
        db,
        now,
        request,
        reply.code(400),
        kept(body),
        formErrors(parsed.error, { how: 'how', agreed: 'agreed' }),
      );
    try {
      const { sent } = await sendDetails(
        { ...deps, publicUrl: deps.config.publicUrl, clock: app.clock, pacer: app.messagePacer },
        staffOf(request),
        idOf(request),
        parsed.data,
        { log: request.log, requestId: request.id },
      );
      setFlash(
        reply,
        sent
          ? 'The details have been sent. Their number or address has not been kept.'
          : 'The details could not be sent. Check the number or address with them, and try again.',
      );
    } catch (err) {
      if (!(err instanceof HttpError) || err.status !== 409) throw err;
      const errors = { list: [{ text: err.message, href: '#main-content' }], fields: {} };
      return form(db, now, request, reply.code(409), kept(body), errors);
    }
    return reply.redirect(`/referrals/advice-recorded/${idOf(request)}`, 303);
  });
}
