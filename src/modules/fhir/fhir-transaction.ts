// A referral sent as a transaction Bundle: the Patient as its own entry and the ServiceRequest naming it
// by fullUrl (or Patient/id). Pure: finds the two, for readServiceRequest to read as it reads contained
// resources. Nothing else may be in the Bundle, so nothing a sender sends is silently dropped.
import type { Resource } from './fhir-resources.ts';
import type { FieldError } from './fhir-search.ts';

type Json = Record<string, unknown>;

export type Transaction =
  { serviceRequest: Resource; bundled: Map<string, Json>; patientFullUrl: string } | { errors: FieldError[] };

export function readTransaction(body: unknown): Transaction {
  const bundle = body as Json | null;
  if (!bundle || bundle.resourceType !== 'Bundle' || bundle.type !== 'transaction')
    return { errors: [{ path: 'Bundle.type', message: 'Send a Bundle of type transaction' }] };
  const entries = (Array.isArray(bundle.entry) ? bundle.entry : []) as Json[];
  const bundled = new Map<string, Json>();
  let serviceRequest: Resource | undefined;
  let patientFullUrl = '';
  const errors: FieldError[] = [];
  for (const [i, entry] of entries.entries()) {
    const resource = entry.resource as Json | undefined;
    const request = entry.request as Json | undefined;
    const type = resource?.resourceType;
    if (
      request?.method !== 'POST' ||
      request.url !== type ||
      (type !== 'Patient' && type !== 'ServiceRequest')
    ) {
      errors.push({
        path: `Bundle.entry[${i}]`,
        message: 'Each entry must POST a Patient or a ServiceRequest',
      });
      continue;
    }
    if (type === 'ServiceRequest') {
      if (serviceRequest)
        errors.push({ path: `Bundle.entry[${i}]`, message: 'Send one ServiceRequest a Bundle' });
      serviceRequest = resource as Resource;
    } else {
      if (patientFullUrl) errors.push({ path: `Bundle.entry[${i}]`, message: 'Send one Patient a Bundle' });
      patientFullUrl = typeof entry.fullUrl === 'string' ? entry.fullUrl : `Patient/${String(resource?.id)}`;
      bundled.set(patientFullUrl, resource!);
      if (resource?.id) bundled.set(`Patient/${String(resource.id)}`, resource);
    }
  }
  if (!serviceRequest) errors.push({ path: 'Bundle.entry', message: 'The Bundle has no ServiceRequest' });
  if (!patientFullUrl) errors.push({ path: 'Bundle.entry', message: 'The Bundle has no Patient' });
  return errors.length ? { errors } : { serviceRequest: serviceRequest!, bundled, patientFullUrl };
}
