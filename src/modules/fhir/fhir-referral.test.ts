// The referral's resources, pure, through the same validators the HTTP tests use; and those validators
// shown to refuse what is wrong, so a test that passes through them means something.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertValidFhir } from '../../../test/helpers/fhir-validation.ts';
import { patientOf, serviceRequestOf, taskHistory, taskOf, type Viewed } from './fhir-referral.ts';
import { readServiceRequest } from './fhir-referral-input.ts';

const base = 'https://mortar.example/fhir';
const at = (day: number) => new Date(Date.UTC(2026, 2, day, 9));

function viewed(consent: boolean, kinds: [string, string | null][]): Viewed {
  return {
    referral: {
      id: '0b0d6a1e-2a8d-4bb8-9a59-9f2f6bd4a001',
      reference: 'MOR-000123',
      created_at: at(1),
      consent_share_progress: consent,
      given_name: 'Kai',
      family_name: 'Nowak',
      date_of_birth: '1992-04-30',
      postcode: 'M14 5TQ',
      phone: '07700 900982',
      email: null,
      contact_methods: ['text'],
      nhs_number: '943 476 5919',
      language: null,
      notes: null,
      idempotency_key: 'https://gp.example/referrals|R-9',
      referrer_organisation_id: '0b0d6a1e-2a8d-4bb8-9a59-9f2f6bd4a002',
      referrer_name: 'Hyde Park Surgery',
      service_organisation_id: '0b0d6a1e-2a8d-4bb8-9a59-9f2f6bd4a003',
      service_name: 'Manchester Stop Smoking Service',
    },
    events: kinds.map(([kind, reason], i) => ({ kind, reason, occurredAt: at(1 + i) })),
  };
}

test('the Patient, ServiceRequest and Task of a referral are valid R4 and meet UK Core', () => {
  const v = viewed(true, [
    ['received', null],
    ['contact_attempt', null],
    ['unable_to_contact', '3 failed contact attempts'],
  ]);
  const patient = patientOf(v);
  assertValidFhir(patient);
  assert.equal((patient.identifier as { value: string }[])[0]!.value, '9434765919');
  assertValidFhir(serviceRequestOf(v, base));
  const task = taskOf(v, base);
  assertValidFhir(task);
  assert.equal(task.status, 'on-hold');
  // The service's words on why stay with the service (referrerTimeline): the referrer sees the status.
  assert.deepEqual(task.statusReason, { text: 'Unable to contact' });
  assert.equal(task.meta?.versionId, '2', 'the contact attempt is no version the referrer sees');
  assert.deepEqual(
    taskHistory(v, base).map((t) => t.status),
    ['received', 'on-hold'],
  );
});

test('without consent the Task, its versions and its dates say only that the referral was received', () => {
  const v = viewed(false, [
    ['received', null],
    ['accepted', null],
    ['quit_date_set', 'Quit date 2026-03-20'],
  ]);
  const task = taskOf(v, base);
  assert.equal(task.status, 'received');
  assert.equal(task.meta?.lastUpdated, at(1).toISOString());
  assert.equal(taskHistory(v, base).length, 1);
  assert.equal(serviceRequestOf(v, base).status, 'active');
});

test('the validators refuse what is wrong', () => {
  const patient = patientOf(viewed(true, [['received', null]]));
  const identifier = (patient.identifier as Record<string, unknown>[])[0]!;
  const wrongStatus = {
    ...identifier,
    extension: [
      {
        ...(identifier.extension as object[])[0],
        valueCodeableConcept: {
          coding: [
            {
              system: 'https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland',
              code: '99',
            },
          ],
        },
      },
    ],
  };
  const cases: [string, Record<string, unknown>][] = [
    ['two NHS numbers', { ...patient, identifier: [identifier, identifier] }],
    ['an NHS number without its value', { ...patient, identifier: [{ system: identifier.system }] }],
    ['a verification status outside the value set', { ...patient, identifier: [wrongStatus] }],
    ['no UK Core profile claimed', { ...patient, meta: {} }],
    [
      'a Task status FHIR does not have',
      { ...taskOf(viewed(true, [['received', null]]), base), status: 'waiting' },
    ],
    ['an element R4 does not have', { ...patient, favouriteColour: 'blue' }],
  ];
  for (const [what, resource] of cases) assert.throws(() => assertValidFhir(resource), what);
});

test('a ServiceRequest is read into the referral API body, the Patient authoritative', () => {
  const read = readServiceRequest({
    resourceType: 'ServiceRequest',
    intent: 'order',
    identifier: [{ system: 'https://gp.example/referrals', value: 'R-9' }],
    contained: [
      {
        resourceType: 'Patient',
        id: 'p',
        name: [{ family: 'Nowak', given: ['Kai'] }],
        telecom: [
          { system: 'sms', value: '07700 900982' },
          { system: 'email', value: 'kai@example.com' },
        ],
      },
      {
        resourceType: 'QuestionnaireResponse',
        id: 'q',
        item: [
          { linkId: 'givenName', answer: [{ valueString: 'Someone else' }] },
          { linkId: 'consentShareProgress', answer: [{ valueBoolean: false }] },
        ],
      },
    ],
    subject: { reference: '#p' },
    supportingInfo: [{ reference: '#q' }],
  });
  assert.ok(!('errors' in read));
  assert.equal(read.body.givenName, 'Kai');
  assert.equal(read.body.consentShareProgress, 'no');
  assert.deepEqual(read.body.contactMethods, ['text', 'email']);
  assert.equal(read.identifier, 'https://gp.example/referrals|R-9');

  const noPatient = readServiceRequest({
    resourceType: 'ServiceRequest',
    intent: 'plan',
    subject: { reference: 'Patient/elsewhere' },
  });
  assert.ok('errors' in noPatient);
  assert.deepEqual(
    noPatient.errors.map((e) => e.path),
    ['ServiceRequest.intent', 'ServiceRequest.subject'],
  );
});
