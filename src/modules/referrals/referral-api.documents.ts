// What the referral API answers: its documents and its validation problem, shared by its routes.
import { z } from 'zod';
import { HttpError } from '../../platform/errors.ts';
import type { listReferralsAudited, viewReferral } from './referral.service.ts';
import { referrerTimeline, referrerVisibleStatus } from './referral-status.ts';

export function validationProblem(error: z.ZodError) {
  return new HttpError(
    400,
    'Your request has errors',
    'Correct the fields listed in errors and send it again.',
    {
      errors: error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message })),
    },
  );
}

export function listItem(r: Awaited<ReturnType<typeof listReferralsAudited>>[number]) {
  return {
    id: r.id,
    reference: r.reference,
    createdAt: r.created_at,
    service: { name: r.service_name },
    consentShareProgress: r.consent_share_progress,
    // Without the person's consent the referrer only learns that the service received it.
    status: referrerVisibleStatus(r.status, r.consent_share_progress),
    statusAt: r.consent_share_progress ? r.status_at : r.created_at,
  };
}

/** One referral and its history, as far as the person agreed to share it (referrerTimeline). */
export function referralDocument({ referral, events }: Awaited<ReturnType<typeof viewReferral>>) {
  const timeline = referrerTimeline(events, referral.consent_share_progress);
  return {
    id: referral.id,
    reference: referral.reference,
    createdAt: referral.created_at,
    service: { name: referral.service_name },
    localAuthority: { code: referral.local_authority_code, name: referral.local_authority_name },
    consentShareProgress: referral.consent_share_progress,
    status: timeline.at(-1)?.status ?? 'received',
    history: timeline.map((t) => ({ status: t.status, at: t.at, reason: t.reason })),
  };
}
