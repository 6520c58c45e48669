import { DIRECTORY_AIDS, MODES } from './directory.codes.ts';
import { derivedId } from './hsds-ids.ts';

// Mortar's own taxonomy for what HSDS has no field for: how support is given, tailored support, Talking
// Therapies and the medicines and vapes on offer. Every term a service can carry is listed here, so the
// taxonomy endpoints, the service attributes and the taxonomy filters all read the same list. Pure.

export const TAXONOMY = 'mortar-stop-smoking';
export const TAXONOMY_ID = derivedId(TAXONOMY);

export const TAILORED_SUPPORT = 'tailored_support:anxiety_depression';
export const IN_TALKING_THERAPIES = 'works_in:nhs_talking_therapies';

export type Term = { id: string; code: string; name: string };

const term = (code: string, name: string): Term => ({ id: derivedId(TAXONOMY, code), code, name });

export const TERMS: readonly Term[] = [
  ...Object.entries(MODES).map(([code, name]) => term(`mode:${code}`, name)),
  term(TAILORED_SUPPORT, 'Support tailored for people with anxiety or depression'),
  term(IN_TALKING_THERAPIES, 'Works inside NHS Talking Therapies'),
  ...Object.entries(DIRECTORY_AIDS).map(([code, name]) => term(`aid:${code}`, name)),
];

const byCode = new Map(TERMS.map((t) => [t.code, t]));
const byId = new Map(TERMS.map((t) => [t.id, t]));

export const termByCode = (code: string): Term | undefined => byCode.get(code);
export const termById = (id: string): Term | undefined => byId.get(id);

export function hsdsTaxonomy() {
  return {
    id: TAXONOMY_ID,
    name: 'Mortar stop smoking support',
    description:
      'How a stop smoking service gives support, who it tailors support for, and the medicines and vapes it offers.',
    version: '1',
  };
}

export function hsdsTaxonomyTerm(t: Term) {
  return {
    id: t.id,
    code: t.code,
    name: t.name,
    description: t.name,
    taxonomy: TAXONOMY,
    taxonomy_id: TAXONOMY_ID,
  };
}
