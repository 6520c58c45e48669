// A referral sent as FHIR, read into the JSON referral API's body, so that the one validation
// (referral.schemas.ts parseApiBody) and the one service decide it. Pure. The ServiceRequest carries the
// person as a contained Patient (or one from the same transaction Bundle), their smoking status as a
// contained Observation (LOINC 72166-2 with a SNOMED CT value), and the rest of the referral form's
// answers as a contained QuestionnaireResponse whose linkIds are the API's field names (docs/fhir.md).
import { loinc, snomed } from '../../platform/clinical-codes.ts';
import { NHS_NUMBER_SYSTEM, type Resource } from './fhir-resources.ts';
import type { FieldError } from './fhir-search.ts';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Where each API field comes from, as FHIRPath, so an error points at what the sender wrote. */
export const FHIR_PATH_OF: Record<string, string> = {
  givenName: 'Patient.name[0].given[0]',
  familyName: 'Patient.name[0].family',
  dateOfBirth: 'Patient.birthDate',
  postcode: 'Patient.address[0].postalCode',
  phone: "Patient.telecom.where(system='phone' or system='sms')",
  email: "Patient.telecom.where(system='email')",
  contactMethods: 'Patient.telecom',
  nhsNumber: `Patient.identifier.where(system='${NHS_NUMBER_SYSTEM}')`,
  language: 'Patient.communication[0].language',
  smokingStatus: 'ServiceRequest.supportingInfo (Observation 72166-2)',
  notes: 'ServiceRequest.note[0].text',
};
export const fhirPathOf = (field: string) =>
  FHIR_PATH_OF[field] ?? `QuestionnaireResponse.item.where(linkId='${field}')`;

/** The SNOMED CT smoking statuses a referral may carry, as the NHS Data Dictionary codes the API takes. */
const SMOKING_STATUS_OF: Record<string, string> = {
  [snomed.smoker.code]: '1',
  [snomed.exSmoker.code]: '2',
  [snomed.neverSmokedTobacco.code]: '4',
};

/** The contained (or bundled) resource a reference names: `#id`, `Type/id` or a `urn:uuid:`. */
function resolve(
  ref: unknown,
  contained: readonly Json[],
  bundled: ReadonlyMap<string, Json>,
): Json | undefined {
  const r = isObject(ref) ? text(ref.reference) : undefined;
  if (!r) return undefined;
  if (r.startsWith('#')) return contained.find((c) => c.id === r.slice(1));
  return bundled.get(r);
}

function telecomOf(patient: Json) {
  const telecom = list(patient.telecom).filter(isObject);
  const valueOf = (...systems: string[]) =>
    text(telecom.find((t) => systems.includes(text(t.system) ?? ''))?.value);
  const methods = new Set<string>();
  for (const t of telecom) {
    if (t.system === 'phone') methods.add('phone');
    if (t.system === 'sms') methods.add('text');
    if (t.system === 'email') methods.add('email');
  }
  return { phone: valueOf('phone', 'sms'), email: valueOf('email'), contactMethods: [...methods] };
}

function patientFields(patient: Json) {
  const name = list(patient.name).filter(isObject)[0] ?? {};
  const nhs = list(patient.identifier)
    .filter(isObject)
    .find((i) => i.system === NHS_NUMBER_SYSTEM);
  const address = list(patient.address).filter(isObject)[0] ?? {};
  const language = list(patient.communication).filter(isObject)[0]?.language;
  return {
    givenName: text(list(name.given)[0]),
    familyName: text(name.family),
    dateOfBirth: text(patient.birthDate),
    postcode: text(address.postalCode),
    ...telecomOf(patient),
    nhsNumber: text(nhs?.value),
    language: isObject(language)
      ? (text(language.text) ?? text(list(language.coding).filter(isObject)[0]?.display))
      : undefined,
  };
}

/** The contained QuestionnaireResponse's answers: a code, a string, or a boolean read as yes or no. */
function answersOf(response: Json | undefined): Json {
  const out: Json = {};
  for (const item of list(response?.item).filter(isObject)) {
    const linkId = text(item.linkId);
    const answer = list(item.answer).filter(isObject)[0];
    if (!linkId || !answer) continue;
    const coding = isObject(answer.valueCoding) ? text(answer.valueCoding.code) : undefined;
    const bool = typeof answer.valueBoolean === 'boolean' ? (answer.valueBoolean ? 'yes' : 'no') : undefined;
    out[linkId] = coding ?? text(answer.valueString) ?? bool;
  }
  return out;
}

function smokingStatusOf(observation: Json | undefined): string | undefined {
  if (!observation) return undefined;
  const coded = list(isObject(observation.code) ? observation.code.coding : []).filter(isObject);
  if (!coded.some((c) => c.code === loinc.tobaccoSmokingStatus.code)) return undefined;
  const value = list(
    isObject(observation.valueCodeableConcept) ? observation.valueCodeableConcept.coding : [],
  )
    .filter(isObject)
    .find((c) => typeof c.code === 'string' && c.code in SMOKING_STATUS_OF);
  return value ? SMOKING_STATUS_OF[value.code as string] : 'unrecognised';
}

export type ReadReferral = { body: Json; identifier: string | undefined } | { errors: FieldError[] };

/**
 * The JSON API body a ServiceRequest stands for, and the sender's own identifier for it (system|value),
 * which Mortar takes as its Idempotency-Key. `bundled` maps fullUrls and Type/id to the other resources
 * of a transaction Bundle.
 */
export function readServiceRequest(
  sr: Resource,
  bundled: ReadonlyMap<string, Json> = new Map(),
): ReadReferral {
  const errors: FieldError[] = [];
  const contained = list(sr.contained).filter(isObject);
  if (sr.intent !== 'order') errors.push({ path: 'ServiceRequest.intent', message: 'intent must be order' });
  if (sr.status !== undefined && sr.status !== 'active')
    errors.push({ path: 'ServiceRequest.status', message: 'status must be active' });
  const patient = resolve(sr.subject, contained, bundled);
  if (patient?.resourceType !== 'Patient')
    errors.push({
      path: 'ServiceRequest.subject',
      message: 'subject must be the Patient, contained or in the Bundle',
    });
  const supporting = list(sr.supportingInfo).map((ref) => resolve(ref, contained, bundled));
  const observation = supporting.find((r) => r?.resourceType === 'Observation');
  const answers = supporting.find((r) => r?.resourceType === 'QuestionnaireResponse');
  const smokingStatus = smokingStatusOf(observation);
  if (smokingStatus === 'unrecognised')
    errors.push({
      path: 'Observation.valueCodeableConcept',
      message: `The smoking status must be SNOMED CT ${snomed.smoker.code} (${snomed.smoker.display}) or ${snomed.exSmoker.code} (${snomed.exSmoker.display})`,
    });
  if (errors.length) return { errors };
  const note = list(sr.note).filter(isObject)[0];
  const identifier = list(sr.identifier).filter(isObject)[0];
  return {
    body: {
      // A ServiceRequest is the referral the person accepted; the advice given is one of the answers.
      acceptsReferral: 'yes',
      ...answersOf(answers),
      ...(smokingStatus ? { smokingStatus } : {}),
      ...patientFields(patient!),
      ...(note ? { notes: text(note.text) } : {}),
    },
    identifier:
      identifier && text(identifier.system) && text(identifier.value)
        ? `${text(identifier.system)}|${text(identifier.value)}`
        : undefined,
  };
}
