// The shapes every FHIR answer shares: OperationOutcome, searchset and history Bundles, meta, and the
// UK Core profiles Mortar claims. Pure: no database, no web framework.

export const FHIR_JSON = 'application/fhir+json';
export const FHIR_VERSION = '4.0.1';

/** A FHIR resource as JSON: its type, id and meta, and whatever its definition allows. */
export type Resource = {
  resourceType: string;
  id?: string;
  meta?: { versionId?: string; lastUpdated?: string; profile?: string[] };
  [element: string]: unknown;
};

const UK_CORE = 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-';
/** The UK Core profile (STU2, fhir.hl7.org.uk) each resource Mortar emits claims to meet. */
export const profileOf = (type: string) => `${UK_CORE}${type}`;

export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
export const NHS_NUMBER_VERIFICATION_EXTENSION =
  'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus';
export const NHS_NUMBER_VERIFICATION_SYSTEM =
  'https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland';

/** Mortar's own identifiers and code systems, named under the server's FHIR base. */
export const mortarSystem = (base: string, name: string) => `${base}/NamingSystem/${name}`;
export const mortarCodeSystem = (base: string, name: string) => `${base}/CodeSystem/${name}`;

export type IssueCode =
  | 'invalid'
  | 'structure'
  | 'required'
  | 'value'
  | 'login'
  | 'forbidden'
  | 'not-found'
  | 'not-supported'
  | 'conflict'
  | 'duplicate'
  | 'processing'
  | 'business-rule'
  | 'too-costly'
  | 'throttled'
  | 'transient'
  | 'exception';

export type Issue = { code: IssueCode; diagnostics: string; expression?: string[]; details?: unknown };

const ISSUE_FOR_STATUS: Record<number, IssueCode> = {
  400: 'invalid',
  401: 'login',
  403: 'forbidden',
  404: 'not-found',
  405: 'not-supported',
  406: 'not-supported',
  409: 'conflict',
  412: 'conflict',
  413: 'too-costly',
  415: 'not-supported',
  422: 'processing',
  429: 'throttled',
  503: 'transient',
};

export const issueCodeFor = (status: number): IssueCode =>
  ISSUE_FOR_STATUS[status] ?? (status >= 500 ? 'exception' : 'invalid');

export function operationOutcome(issues: readonly Issue[]): Resource {
  return {
    resourceType: 'OperationOutcome',
    issue: issues.map((i) => ({
      severity: 'error',
      code: i.code,
      ...(i.details ? { details: i.details } : {}),
      diagnostics: i.diagnostics,
      ...(i.expression ? { expression: i.expression } : {}),
    })),
  };
}

/** An RFC 9457 problem document as Mortar writes it (platform/errors.ts sendProblem). */
type Problem = {
  status?: number;
  title?: string;
  detail?: string;
  errors?: { path: string; message: string }[];
  reason?: string;
  contact?: { name?: string | null; phone?: string | null; website?: string | null };
};

/**
 * The OperationOutcome saying what a problem document says: each field error an issue at its FHIRPath
 * (the FHIR routes write FHIRPath into `path`), and a refusal's reason a code in a Mortar code system.
 */
export function outcomeOfProblem(problem: Problem, status: number, base: string): Resource {
  if (problem.errors?.length) {
    return operationOutcome(
      problem.errors.map((e) => ({
        code: 'invalid',
        diagnostics: e.message,
        ...(e.path && e.path !== '(body)' ? { expression: [e.path] } : {}),
      })),
    );
  }
  const contact = problem.contact
    ? ` Contact ${[problem.contact.name, problem.contact.phone, problem.contact.website].filter(Boolean).join(', ')}.`
    : '';
  return operationOutcome([
    {
      code: issueCodeFor(status),
      diagnostics: `${problem.detail ?? problem.title ?? 'Error'}${contact}`,
      ...(problem.reason
        ? {
            details: {
              coding: [{ system: mortarCodeSystem(base, 'refusal-reason'), code: problem.reason }],
            },
          }
        : {}),
    },
  ]);
}

export type Page = { count: number; offset: number };

/** A searchset Bundle: the matches on this page, `total` over every page, and self/next/previous links. */
export function searchset(
  resources: readonly Resource[],
  total: number,
  page: Page,
  links: { base: string; path: string; params: URLSearchParams },
  now: Date,
): Resource {
  const urlAt = (offset: number) => {
    const params = new URLSearchParams(links.params);
    params.set('_count', String(page.count));
    params.set('_offset', String(offset));
    return `${links.base}${links.path}?${params.toString()}`;
  };
  const link = [{ relation: 'self', url: urlAt(page.offset) }];
  if (page.offset + page.count < total) link.push({ relation: 'next', url: urlAt(page.offset + page.count) });
  if (page.offset > 0) link.push({ relation: 'previous', url: urlAt(Math.max(0, page.offset - page.count)) });
  return {
    resourceType: 'Bundle',
    meta: { lastUpdated: now.toISOString() },
    type: 'searchset',
    total,
    link,
    entry: resources.map((resource) => ({
      fullUrl: `${links.base}/${resource.resourceType}/${resource.id}`,
      resource,
      search: { mode: 'match' },
    })),
  };
}

/** A history Bundle of one resource's versions, newest first. */
export function historyBundle(versions: readonly Resource[], base: string, self: string): Resource {
  const newestFirst = [...versions].reverse();
  return {
    resourceType: 'Bundle',
    type: 'history',
    total: versions.length,
    link: [{ relation: 'self', url: `${base}${self}` }],
    entry: newestFirst.map((resource) => ({
      fullUrl: `${base}/${resource.resourceType}/${resource.id}`,
      resource,
      request: {
        method: resource.meta?.versionId === '1' ? 'POST' : 'PUT',
        url: `${resource.resourceType}/${resource.id}`,
      },
      response: {
        status: resource.meta?.versionId === '1' ? '201' : '200',
        lastModified: resource.meta?.lastUpdated,
      },
    })),
  };
}
