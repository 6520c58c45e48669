import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

// The Open Referral schemas copied into data/reference/open-referral (see its README for source and
// licence), loaded under the addresses they are published at, so their own relative $refs resolve.
// The schemas name no draft; JSON Schema 2020-12 is what HSDS 3.0's tools check them with.

const ROOT = join(import.meta.dirname, '../../data/reference/open-referral');

export const STANDARDS = {
  'HSDS 3.0': {
    dir: 'hsds-3.0',
    base: 'https://raw.githubusercontent.com/openreferral/specification/3.0/schema/',
  },
  'Open Referral UK': {
    dir: 'uk-profile',
    base: 'https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/',
  },
} as const;

export type Standard = keyof typeof STANDARDS;

/** What each endpoint answers, by schema file (a list endpoint's items; its page is checked apart). */
export type SchemaName =
  | 'service.json'
  | 'compiled/service_list.json'
  | 'organization.json'
  | 'compiled/organization_list.json'
  | 'service_at_location.json'
  | 'compiled/service_at_location_list.json'
  | 'location.json'
  | 'taxonomy.json'
  | 'taxonomy_term.json';

function load(standard: Standard): Ajv2020 {
  const { dir, base } = STANDARDS[standard];
  // strict: false because the schemas carry Open Referral's own keywords (constraints, core, example...).
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  for (const sub of ['', 'compiled/']) {
    for (const file of readdirSync(join(ROOT, dir, sub)).filter(
      (f) => f.endsWith('.json') && f !== 'openapi.json',
    )) {
      const schema = JSON.parse(readFileSync(join(ROOT, dir, sub, file), 'utf8')) as object;
      ajv.addSchema(schema, `${base}${sub}${file}`);
    }
  }
  return ajv;
}

const loaded = new Map<Standard, Ajv2020>();
const validators = new Map<string, ValidateFunction>();

function validator(standard: Standard, name: SchemaName): ValidateFunction {
  const key = `${standard} ${name}`;
  let v = validators.get(key);
  if (!v) {
    let ajv = loaded.get(standard);
    if (!ajv) loaded.set(standard, (ajv = load(standard)));
    const found = ajv.getSchema(`${STANDARDS[standard].base}${name}`);
    if (!found) throw new Error(`${standard} has no schema ${name}`);
    validators.set(key, (v = found));
  }
  return v;
}

/** The schema's errors for one object, as readable lines; none when it conforms. */
export function conformanceErrors(standard: Standard, name: SchemaName, data: unknown): string[] {
  const v = validator(standard, name);
  if (v(data)) return [];
  return (v.errors ?? []).map(
    (e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`,
  );
}

/** The paging fields every list answers (the OpenAPI documents' Page), as its schema gives them. */
export function pageErrors(standard: Standard, page: unknown): string[] {
  const openapi = JSON.parse(readFileSync(join(ROOT, STANDARDS[standard].dir, 'openapi.json'), 'utf8')) as {
    components: { schemas: { Page: object } };
  };
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const v = ajv.compile({
    ...openapi.components.schemas.Page,
    required: [
      'total_items',
      'total_pages',
      'page_number',
      'size',
      'first_page',
      'last_page',
      'empty',
      'contents',
    ],
  });
  if (v(page)) return [];
  return (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`);
}
