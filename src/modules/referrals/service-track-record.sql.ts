// trackRecord (service-track-record.ts) in SQL, for one service: the same quarter, the same median (of
// the days from receipt to the first contact attempt) and the same acceptance rule, counted in the
// database from referral_facts and the referral's events. service-track-record.sql.db.test.ts checks it
// against trackRecord on generated histories.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { IsoDate } from '../../platform/dates.ts';
import { lastQuarter, MIN_REFERRALS, type TrackRecord } from './service-track-record.ts';

export async function trackRecordSql(db: Executor, serviceId: string, today: IsoDate): Promise<TrackRecord> {
  const quarter = lastQuarter(today);
  const { rows } = await sql<{
    received: number;
    median_days: number | null;
    decided: number;
    accepted: number;
  }>`
    with q as (
      select f.received_on, f.first_contact_on,
        exists (select 1 from referral_events a where a.referral_id = f.referral_id and a.kind = 'accepted') as accepted,
        exists (select 1 from referral_events d where d.referral_id = f.referral_id and d.kind = 'declined') as declined
      from referral_facts f
      where f.service_organisation_id = ${serviceId}
        and f.received_on between ${quarter.start} and ${quarter.end}
    )
    select count(*)::int as received,
      (percentile_cont(0.5) within group (order by first_contact_on - received_on)
        filter (where first_contact_on is not null))::float8 as median_days,
      (count(*) filter (where accepted or declined))::int as decided,
      (count(*) filter (where accepted))::int as accepted
    from q
  `.execute(db);
  const r = rows[0]!;
  return {
    quarter,
    received: r.received,
    medianDaysToFirstContact: r.received >= MIN_REFERRALS ? r.median_days : null,
    medianDaysAny: r.median_days,
    decided: r.decided,
    accepted: r.accepted,
    acceptanceRate: r.decided >= MIN_REFERRALS ? r.accepted / r.decided : null,
  };
}
