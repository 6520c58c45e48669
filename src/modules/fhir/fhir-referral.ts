// A referral as FHIR resources, as its referrer may see it: the person (Patient), the request
// (ServiceRequest) and the task that tracks it (Task), each with the versions the referrer has seen.
// Pure. Only what referrerTimeline lets the referrer see reaches a status, a reason or a date here, so
// the FHIR API tells a referrer no more than the pages and the JSON API do.
import { snomed, snomedCoding } from '../../platform/clinical-codes.ts';
import { referrerTimeline, STATUS_LABELS, type ReferralStatus } from '../referrals/referral-status.ts';
import {
  mortarCodeSystem,
  mortarSystem,
  NHS_NUMBER_SYSTEM,
  NHS_NUMBER_VERIFICATION_EXTENSION,
  NHS_NUMBER_VERIFICATION_SYSTEM,
  profileOf,
  type Resource,
} from './fhir-resources.ts';
import { REASONED, serviceRequestStatusOf, TASK_STATUS_OF } from './fhir-status.ts';

/** The columns of a referral these resources are made from (referral.service.ts viewReferral). */
export type ReferralRecord = {
  id: string;
  reference: string;
  created_at: Date;
  consent_share_progress: boolean;
  given_name: string;
  family_name: string;
  date_of_birth: string;
  postcode: string;
  phone: string | null;
  email: string | null;
  contact_methods: readonly string[];
  nhs_number: string | null;
  language: string | null;
  notes: string | null;
  idempotency_key: string | null;
  referrer_organisation_id: string | null;
  referrer_name: string | null;
  service_organisation_id: string;
  service_name: string;
};

export type ReferralEventRecord = {
  kind: string;
  reason?: string | null;
  occurredAt: Date;
};

export type Viewed = { referral: ReferralRecord; events: readonly ReferralEventRecord[] };

const meta = (type: string, version: number, at: Date) => ({
  versionId: String(version),
  lastUpdated: at.toISOString(),
  profile: [profileOf(type)],
});

const orgRef = (id: string | null, name: string | null) => ({
  ...(id ? { reference: `Organization/${id}` } : {}),
  display: name ?? 'A referring organisation',
});

/** The statuses the referrer has seen, oldest first. */
const visibleTimeline = ({ referral, events }: Viewed) =>
  referrerTimeline(
    events.map((e) => ({ ...e, kind: e.kind as ReferralStatus })),
    referral.consent_share_progress,
  );

/** The person as the referrer sent them, with their corrections; Mortar does not trace NHS numbers. */
export function patientOf({ referral, events }: Viewed): Resource {
  const corrections = events.filter((e) => e.kind === 'details_corrected');
  const telecom = [
    ...(referral.phone && referral.contact_methods.includes('phone')
      ? [{ system: 'phone', value: referral.phone }]
      : []),
    ...(referral.phone && referral.contact_methods.includes('text')
      ? [{ system: 'sms', value: referral.phone }]
      : []),
    ...(referral.phone && !referral.contact_methods.some((m) => m === 'phone' || m === 'text')
      ? [{ system: 'phone', value: referral.phone }]
      : []),
    ...(referral.email ? [{ system: 'email', value: referral.email }] : []),
  ];
  return {
    resourceType: 'Patient',
    id: referral.id,
    meta: meta('Patient', 1 + corrections.length, corrections.at(-1)?.occurredAt ?? referral.created_at),
    ...(referral.nhs_number
      ? {
          identifier: [
            {
              extension: [
                {
                  url: NHS_NUMBER_VERIFICATION_EXTENSION,
                  valueCodeableConcept: {
                    coding: [
                      {
                        system: NHS_NUMBER_VERIFICATION_SYSTEM,
                        code: '02',
                        display: 'Number present but not traced',
                      },
                    ],
                  },
                },
              ],
              system: NHS_NUMBER_SYSTEM,
              value: referral.nhs_number.replaceAll(' ', ''),
            },
          ],
        }
      : {}),
    name: [{ use: 'official', family: referral.family_name, given: [referral.given_name] }],
    ...(telecom.length ? { telecom } : {}),
    birthDate: referral.date_of_birth,
    address: [{ postalCode: referral.postcode }],
  };
}

/** The referrer's own identifier for the request, when they sent one (kept as its Idempotency-Key). */
function senderIdentifier(key: string | null) {
  const bar = key?.indexOf('|') ?? -1;
  if (!key || bar <= 0 || bar === key.length - 1) return [];
  return [{ system: key.slice(0, bar), value: key.slice(bar + 1) }];
}

export function serviceRequestOf(viewed: Viewed, base: string): Resource {
  const { referral } = viewed;
  const timeline = visibleTimeline(viewed);
  // A version is each change of the request's own status the referrer has seen.
  const changes = timeline.filter(
    (t, i) => i === 0 || serviceRequestStatusOf(t.status) !== serviceRequestStatusOf(timeline[i - 1]!.status),
  );
  const latest = timeline.at(-1);
  return {
    resourceType: 'ServiceRequest',
    id: referral.id,
    meta: meta('ServiceRequest', changes.length || 1, changes.at(-1)?.at ?? referral.created_at),
    identifier: [
      { system: mortarSystem(base, 'referral-reference'), value: referral.reference },
      ...senderIdentifier(referral.idempotency_key),
    ],
    status: serviceRequestStatusOf(latest?.status ?? 'received'),
    intent: 'order',
    code: { coding: [snomedCoding(snomed.referralToSmokingCessationService)] },
    subject: { reference: `Patient/${referral.id}` },
    authoredOn: referral.created_at.toISOString(),
    requester: orgRef(referral.referrer_organisation_id, referral.referrer_name),
    performer: [orgRef(referral.service_organisation_id, referral.service_name)],
    ...(referral.notes ? { note: [{ text: referral.notes }] } : {}),
  };
}

/** The Task after the first `upTo` statuses the referrer has seen (all of them by default). */
export function taskOf(viewed: Viewed, base: string, upTo?: number): Resource {
  const { referral } = viewed;
  const timeline = visibleTimeline(viewed).slice(0, upTo);
  const latest = timeline.at(-1) ?? { status: 'received' as const, at: referral.created_at, reason: null };
  const status = TASK_STATUS_OF[latest.status];
  return {
    resourceType: 'Task',
    id: referral.id,
    meta: meta('Task', Math.max(1, timeline.length), latest.at),
    identifier: [{ system: mortarSystem(base, 'referral-reference'), value: referral.reference }],
    basedOn: [{ reference: `ServiceRequest/${referral.id}` }],
    status,
    ...(REASONED.includes(status)
      ? { statusReason: { text: latest.reason ?? STATUS_LABELS[latest.status] } }
      : {}),
    businessStatus: {
      coding: [
        {
          system: mortarCodeSystem(base, 'referral-status'),
          code: latest.status,
          display: STATUS_LABELS[latest.status],
        },
      ],
    },
    intent: 'order',
    code: {
      coding: [
        {
          system: 'http://hl7.org/fhir/CodeSystem/task-code',
          code: 'fulfill',
          display: 'Fulfill the focal request',
        },
      ],
    },
    focus: { reference: `ServiceRequest/${referral.id}` },
    for: { reference: `Patient/${referral.id}` },
    authoredOn: referral.created_at.toISOString(),
    lastModified: latest.at.toISOString(),
    requester: orgRef(referral.referrer_organisation_id, referral.referrer_name),
    owner: orgRef(referral.service_organisation_id, referral.service_name),
  };
}

/** Every version of the Task the referrer has seen, oldest first. */
export function taskHistory(viewed: Viewed, base: string): Resource[] {
  const seen = Math.max(1, visibleTimeline(viewed).length);
  return Array.from({ length: seen }, (_, i) => taskOf(viewed, base, i + 1));
}
