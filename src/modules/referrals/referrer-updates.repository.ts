import type { Executor } from '../../db/database.ts';

/**
 * What deciding and composing a referrer's update needs, read now: the referral's reference, source and
 * consent, the service and the number it calls from, the referring organisation's shared inbox, and the
 * referrer's account. No detail of the person.
 */
export async function updateFactsOf(db: Executor, referralId: string) {
  return db
    .selectFrom('referrals as r')
    .innerJoin('organisations as svc', 'svc.id', 'r.service_organisation_id')
    .leftJoin('directory_services as ds', (join) =>
      join.onRef('ds.organisation_id', '=', 'svc.id').on('ds.published', '=', true),
    )
    .leftJoin('organisations as ref', 'ref.id', 'r.referrer_organisation_id')
    .leftJoin('users as u', 'u.id', 'r.referrer_user_id')
    .select((eb) => [
      'r.id',
      'r.reference',
      'r.source',
      'r.consent_share_progress',
      'r.created_at',
      'r.referrer_organisation_id',
      'svc.name as service_name',
      eb.fn.coalesce('ds.phone', 'svc.phone').as('service_phone'),
      'ref.referral_updates_email as inbox',
      'u.id as user_id',
      'u.email as user_email',
      'u.referral_updates as user_opted_in',
      'u.active as user_active',
      'u.organisation_id as user_organisation_id',
    ])
    .where('r.id', '=', referralId)
    .executeTakeFirst();
}

export type UpdateFactsRow = NonNullable<Awaited<ReturnType<typeof updateFactsOf>>>;
